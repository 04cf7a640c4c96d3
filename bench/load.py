"""Load test of `raqib serve` on loopback with wrk (Debian's package: `make load` installs it):
N connections for a fixed time, each a bounded client with one request in flight at a time.

    python bench/load.py STORE.db [--clients 50] [--seconds 60] [--workers 2]

The store (an SQLite file) is copied to a temporary directory first, because the correction form
writes. The server runs as `raqib serve --workers W` with the correction rate limit lifted (all
clients share one loopback address). Runs: the mix (45% search, 40% article pages, 15% the public
correction form) for `--seconds`, then each page kind alone for a third of that. Queries are
words and entity names from the store's own titles; articles are drawn from all stored ones.
Prints requests/s, p50 / p95 / p99 latency and errors (connection errors, timeouts, and any status
other than 2xx/3xx); exits 1 on any error.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
TOKEN = "raqib-load-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def requests_for(db: str, rng: random.Random) -> dict:
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT ext_id FROM articles WHERE ext_id IS NOT NULL")]
    titles = [r[0] for r in con.execute("SELECT title FROM articles WHERE title IS NOT NULL LIMIT 3000")]
    names = [r[0] for r in con.execute("SELECT name FROM entities GROUP BY name ORDER BY COUNT(*) DESC LIMIT 300")]
    con.close()
    words = [w for t in titles for w in re.findall(r"[^\W\d_]{3,}", t)]
    queries = [rng.choice(words) for _ in range(700)] + names
    search = [f"GET\t/search?{urlencode({'q': q})}" for q in queries]
    article = [f"GET\t/articles/{quote(i)}" for i in rng.sample(ids, min(1000, len(ids)))]
    correction = [f"POST\t/corrections\t" + urlencode({"csrf": TOKEN, "article": i, "kind": "complaint",
                                                         "target": "article", "message": "load test"})
                  for i in rng.sample(ids, min(200, len(ids)))]
    return {"search": search, "article": article, "correction": correction}


def mix(reqs: dict, n: int, rng: random.Random) -> list[str]:
    out = []
    for kind, share in (("search", 0.45), ("article", 0.40), ("correction", 0.15)):
        out += [rng.choice(reqs[kind]) for _ in range(int(n * share))]
    return out


def wrk(base: str, lines: list[str], clients: int, seconds: float, d: str) -> dict:
    paths = Path(d) / "paths.tsv"
    paths.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s",
                          "-s", str(HERE / "load.lua"), base], capture_output=True, text=True,
                         env={"RAQIB_LOAD_PATHS": str(paths), "RAQIB_LOAD_TOKEN": TOKEN, "PATH": "/usr/bin:/bin"})
    m = re.search(r"RESULT (.*)", out.stdout)
    if not m:
        raise RuntimeError(f"wrk failed: {out.stdout}\n{out.stderr}")
    r = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    r["errors"] = int(r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"])
    r["rps"] = r["requests"] / r["seconds"]
    return r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    if not shutil.which("wrk"):
        print("bench/load.py needs wrk: apt-get install wrk (or `make load`)", file=sys.stderr)
        return 2
    rng = random.Random(a.seed)
    results = {}
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "load.db")
        src, dst = sqlite3.connect(a.db), sqlite3.connect(db)
        src.backup(dst)
        src.close()
        dst.close()
        reqs = requests_for(db, rng)
        port = free_port()
        raqib = shutil.which("raqib") or str(Path(sys.executable).with_name("raqib"))
        srv = subprocess.Popen([raqib, "serve", "--db", db, "--port", str(port), "--workers", str(a.workers),
                                "--correction-rate", "100000000/60"], stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            base = f"http://127.0.0.1:{port}"
            wrk(base, mix(reqs, 2000, rng), 4, 3, d)          # warm-up: every worker loads its knowledge files
            results["mix"] = wrk(base, mix(reqs, 10000, rng), a.clients, a.seconds, d)
            for kind in ("search", "article", "correction"):
                results[kind] = wrk(base, reqs[kind], a.clients, max(5, a.seconds / 3), d)
        finally:
            srv.terminate()
            srv.wait(10)
    print(f"{a.clients} clients, mix {a.seconds:.0f} s then each kind {max(5, a.seconds / 3):.0f} s; "
          f"server workers {a.workers}; wrk 2 threads")
    print(f"{'run':<12}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}")
    for k, r in results.items():
        print(f"{k:<12}{int(r['requests']):>9}{r['rps']:>8.0f}{r['p50']:>8.0f}{r['p95']:>8.0f}{r['p99']:>8.0f}"
              f"{r['errors']:>8}")
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
