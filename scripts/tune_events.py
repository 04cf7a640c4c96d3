"""Two-fold cross-validation of the cross-article event merge settings on hand-made event gold.

Gold incidents are split into two folds of similar mention counts; the gold's articles are
analysed once, then stored afresh under every setting of the grid (merge distance in km, merge
window in days); the setting best on one fold (pairwise merge F1) is reported on the other.

    python scripts/tune_events.py eval/ant-gold/events.jsonl --articles ../shared/data/news-ant-2018-dev.jsonl
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raqib.eval.events import score  # noqa: E402
from raqib.pipeline import analyze  # noqa: E402
from raqib.read import read_path  # noqa: E402
from raqib.store import events as store_events  # noqa: E402
from raqib.store import open_store  # noqa: E402

GRID = {"MERGE_KM": (15.0, 25.0, 40.0, 60.0), "MERGE_DAYS": (1, 2, 3)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("--articles", required=True)
    a = ap.parse_args(argv)
    gold = [json.loads(l) for l in open(a.gold, encoding="utf-8") if l.strip()]
    ids = {str(m["article"]) for g in gold for m in g["mentions"]}
    fa, fb, na, nb = [], [], 0, 0
    for g in sorted(gold, key=lambda g: (-len(g["mentions"]), g["id"])):
        if na <= nb:
            fa.append(g)
            na += len(g["mentions"])
        else:
            fb.append(g)
            nb += len(g["mentions"])
    with tempfile.TemporaryDirectory() as d:
        sub = Path(d) / "a.jsonl"
        with open(a.articles, encoding="utf-8") as f, open(sub, "w", encoding="utf-8") as out:
            for line in f:
                if line.strip() and str(json.loads(line).get("id")) in ids:
                    out.write(line)
        records = [analyze(x).to_dict() for x in read_path(str(sub)) if not isinstance(x, Exception)]
        texts = {r["id"]: r["text"] for r in records}
        results = []
        for i, (km, days) in enumerate(itertools.product(GRID["MERGE_KM"], GRID["MERGE_DAYS"])):
            store_events.MERGE_KM, store_events.MERGE_DAYS = km, days
            with open_store(str(Path(d) / f"s{i}.db")) as s:
                for r in records:
                    s.add_article(r)
                pred = store_events.list_events(s, spans="all")
            results.append({"t": (km, days), "A": score(fa, pred, texts)["merge"]["f1"],
                            "B": score(fb, pred, texts)["merge"]["f1"], "all": score(gold, pred, texts)})
    cur = next(r for r in results if r["t"] == (25.0, 2))
    ba = max(results, key=lambda r: (r["A"], r["t"] == (25.0, 2)))
    bb = max(results, key=lambda r: (r["B"], r["t"] == (25.0, 2)))
    print(json.dumps({"mentions": {"A": na, "B": nb},
                      "current": {"t": cur["t"], "A": cur["A"], "B": cur["B"], "mean": round((cur["A"] + cur["B"]) / 2, 3)},
                      "tuned_on_A": {"t": ba["t"], "B_heldout": ba["B"]}, "tuned_on_B": {"t": bb["t"], "A_heldout": bb["A"]},
                      "cv_estimate": round((ba["B"] + bb["A"]) / 2, 3),
                      "grid": [{"t": r["t"], "A": r["A"], "B": r["B"], "all": r["all"]["merge"]["f1"]} for r in results]},
                     indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
