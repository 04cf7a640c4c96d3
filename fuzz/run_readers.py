"""The long fuzz run: 100,000+ hostile inputs through the readers, a share of them analysed too.

    nice -n 10 .venv/bin/python fuzz/run_readers.py                 # 100,000 inputs, seed 20261126
    .venv/bin/python fuzz/run_readers.py --examples 5000 --seed 7   # a quick one
    .venv/bin/python fuzz/run_readers.py --replay fuzz/crashes/*    # rerun saved inputs

Engine: Hypothesis (generation phase only, no shrinking, no example database, a fixed seed, so a
run is repeatable), with the strategies of fuzz/strategies.py. Everything runs in this process;
each input gets `--hang-seconds` (SIGALRM, raqib.pipeline.time_limit). The oracle is
fuzz/harness.py. Every crash and hang is saved under `--crash-dir` as the input's bytes, named
by the signature's hash and keeping the input's extension, for `--replay`.

Prints counts per family (inputs, records, one-line errors, analysed, crashes, hangs) and the
distinct crash signatures; exits 1 if anything crashed, else 0 (hangs are listed: in
`raqib analyze`/`ingest` the per-article `--timeout` turns them into one-line errors).
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import hashlib
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz.harness import check  # noqa: E402
from fuzz.strategies import FAMILIES  # noqa: E402

#: how often each family is drawn (out of the sum); long lines are costly to analyse
WEIGHTS = {"random-bytes": 14, "mutated-seed": 26, "salted-text": 15, "mixed-encodings": 10,
           "long-line": 1, "broken-html": 12, "json-lines": 22}


_STRATEGY = dict(FAMILIES)


def _save(crash_dir: Path, sig: str, name: str, data: bytes) -> Path:
    crash_dir.mkdir(parents=True, exist_ok=True)
    ext = "".join(Path(name).suffixes) or ".noext"
    p = crash_dir / (hashlib.sha1(sig.encode()).hexdigest()[:12] + ext)
    if not p.exists():
        p.write_bytes(data)
    return p


def run(examples: int, seed_value: int, analyse_share: float, hang_seconds: float, crash_dir: Path,
        progress_every: int = 5000) -> int:
    stats: dict = defaultdict(Counter)
    sigs: Counter = Counter()
    saved: dict = {}
    rnd = random.Random(seed_value)
    families = list(WEIGHTS)
    cum = list(itertools.accumulate(WEIGHTS.values()))
    started = time.monotonic()
    slowest = [0.0, ""]

    @seed(seed_value)
    @settings(max_examples=examples, phases=[Phase.generate], deadline=None, database=None,
              suppress_health_check=list(HealthCheck), derandomize=False, print_blob=False)
    @given(st.data())
    def one(draw):
        # the family is drawn by weight (a bounded integer over the cumulative weights), then the
        # input from that family's strategy; whether to analyse comes from a seeded Random
        k = draw.draw(st.integers(0, cum[-1] - 1), label="family")
        fam = families[bisect.bisect_right(cum, k)]
        name, data = draw.draw(_STRATEGY[fam], label=fam)
        analyse = rnd.random() < analyse_share
        t = time.monotonic()
        o = check(name, data, analyse=analyse, hang_seconds=hang_seconds)
        dt = time.monotonic() - t
        if dt > slowest[0]:
            slowest[:] = [dt, f"{fam} {name} {len(data)} bytes{' analysed' if analyse else ''}"]
        s = stats[fam]
        s["inputs"] += 1
        s["records"] += o.records
        s["errors"] += o.errors
        s["analysed"] += o.analysed
        s["crashed inputs"] += bool(o.crashes)
        s["hangs"] += o.hang
        for c in set(o.crashes) | ({f"hang > {hang_seconds:g} s ({fam}{', analysed' if analyse else ''})"}
                                   if o.hang else set()):
            sigs[c] += 1
            if c not in saved:
                saved[c] = _save(crash_dir, c, name, data)
        n = sum(x["inputs"] for x in stats.values())
        if progress_every and n % progress_every == 0:
            el = time.monotonic() - started
            tot = sum(stats.values(), Counter())
            print(f"  {n:>7,} inputs  {el:7.0f} s  {n / el:6.0f}/s  records {tot['records']:,}  errors "
                  f"{tot['errors']:,}  crashed {tot['crashed inputs']}  hangs {tot['hangs']}",
                  file=sys.stderr, flush=True)

    one()
    elapsed = time.monotonic() - started
    total = sum(stats.values(), Counter())
    cols = ("inputs", "records", "errors", "analysed", "crashed inputs", "hangs")
    print(f"raqib reader fuzz: Hypothesis {_hyp_version()}, seed {seed_value}, analyse share {analyse_share:g}, "
          f"hang limit {hang_seconds:g} s")
    print(f"{'family':16s}" + "".join(f"{c:>15s}" for c in cols))
    for fam in WEIGHTS:
        print(f"{fam:16s}" + "".join(f"{stats[fam][c]:>15,}" for c in cols))
    print(f"{'total':16s}" + "".join(f"{total[c]:>15,}" for c in cols))
    print(f"{elapsed:.0f} s, {total['inputs'] / max(elapsed, 1e-9):.0f} inputs/s; slowest input "
          f"{slowest[0]:.1f} s ({slowest[1]})")
    crashes = {k: v for k, v in sigs.items() if not k.startswith("hang")}
    for k, v in sigs.most_common():
        print(f"  {v:6d}  {k}  -> {saved[k]}")
    print(f"crashes: {sum(crashes.values())} ({len(crashes)} distinct); hangs: {total['hangs']}")
    return 1 if crashes else 0


def replay(paths: list[str], hang_seconds: float) -> int:
    bad = 0
    for p in paths:
        o = check(Path(p).name, Path(p).read_bytes(), analyse=True, hang_seconds=hang_seconds)
        status = "CRASH" if o.crashes else "HANG" if o.hang else "ok"
        bad += status == "CRASH"
        print(f"{status:5s} {p}: records {o.records}, errors {o.errors}" +
              "".join(f"\n      {c}" for c in o.crashes))
    return 1 if bad else 0


def _hyp_version() -> str:
    import hypothesis
    return hypothesis.__version__


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", "-n", type=int, default=100_000, help="inputs to run (default 100,000)")
    ap.add_argument("--seed", type=int, default=20261126, help="Hypothesis seed (default 20261126)")
    ap.add_argument("--analyse-share", type=float, default=0.05,
                    help="share of inputs whose records also go through the pipeline (default 0.05)")
    ap.add_argument("--hang-seconds", type=float, default=10.0, help="per-input time limit (default 10)")
    ap.add_argument("--crash-dir", type=Path, default=ROOT / "fuzz" / "crashes",
                    help="where crashing/hanging inputs are saved (default fuzz/crashes)")
    ap.add_argument("--replay", nargs="+", metavar="FILE", help="run these saved inputs (analysed) and stop")
    a = ap.parse_args(argv)
    if a.replay:
        return replay(a.replay, a.hang_seconds)
    return run(a.examples, a.seed, a.analyse_share, a.hang_seconds, a.crash_dir)


if __name__ == "__main__":
    sys.exit(main())
