"""Load test of `raqib serve` on loopback: N concurrent clients for a fixed time, each looping over
a mix of the pages people use most (search, article, the public correction form), one request at a
time (a bounded, closed-loop client: no client ever has more than one request in flight).

    python bench/load.py STORE.db [--clients 50] [--seconds 60] [--workers 2]

The store (an SQLite file) is copied to a temporary directory first, because the correction form
writes. The server runs as `raqib serve --workers W` with the correction rate limit lifted (all
clients share one loopback address). Queries are words and entity names of the store's own titles.
Prints, per kind and overall: requests, requests/s, p50 / p95 / p99 latency and errors (any
status other than 200/201/303, or a failed connection).
"""
from __future__ import annotations

import argparse
import asyncio
import os
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

MIX = (("search", 0.45), ("article", 0.40), ("correction", 0.15))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] if xs else float("nan")


def material(db: str, rng: random.Random):
    con = sqlite3.connect(db)
    ids = [r[0] for r in con.execute("SELECT ext_id FROM articles WHERE ext_id IS NOT NULL")]
    titles = [r[0] for r in con.execute("SELECT title FROM articles WHERE title IS NOT NULL LIMIT 3000")]
    names = [r[0] for r in con.execute("SELECT name FROM entities GROUP BY name ORDER BY COUNT(*) DESC LIMIT 300")]
    con.close()
    words = [w for t in titles for w in re.findall(r"[^\W\d_]{3,}", t)]
    queries = [rng.choice(words) for _ in range(300)] + names
    return ids, queries


async def client(i, base, ids, queries, deadline, out, rng):
    import httpx
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False) as c:
        r = await c.get("/login")
        token = c.cookies.get("raqib_csrf")
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        while time.monotonic() < deadline:
            kind = rng.choices(kinds, weights)[0]
            t = time.perf_counter()
            try:
                if kind == "search":
                    r = await c.get("/search", params={"q": rng.choice(queries)})
                elif kind == "article":
                    r = await c.get(f"/articles/{rng.choice(ids)}")
                else:
                    r = await c.post("/corrections", data={"csrf": token, "article": rng.choice(ids),
                                                           "kind": "complaint", "target": "article",
                                                           "message": f"load test {i}"})
                ok = r.status_code in (200, 201, 303)
            except Exception:
                ok = False
            out.append((kind, time.perf_counter() - t, ok))


async def run(base, ids, queries, clients, seconds, seed):
    out: list = []
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(i, base, ids, queries, deadline, out, random.Random(seed + i))
                           for i in range(clients)))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "load.db")
        src = sqlite3.connect(a.db)
        dst = sqlite3.connect(db)
        src.backup(dst)
        src.close()
        dst.close()
        ids, queries = material(db, rng)
        port = free_port()
        raqib = shutil.which("raqib") or str(Path(sys.executable).with_name("raqib"))
        srv = subprocess.Popen([raqib, "serve", "--db", db, "--port", str(port), "--workers", str(a.workers),
                                "--correction-rate", "100000000/60"], stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            # warm up every worker (knowledge files, connections)
            asyncio.run(run(base, ids, queries, 4, 3, a.seed + 1000))
            t0 = time.monotonic()
            res = asyncio.run(run(base, ids, queries, a.clients, a.seconds, a.seed))
            wall = time.monotonic() - t0
        finally:
            srv.terminate()
            srv.wait(10)
    print(f"{a.clients} clients, {a.seconds:.0f} s, server workers {a.workers}, cpus {os.cpu_count()}")
    print(f"{'kind':<12}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>8}")
    for kind in [k for k, _ in MIX] + ["all"]:
        rows = [r for r in res if kind == "all" or r[0] == kind]
        lat = [r[1] * 1000 for r in rows]
        print(f"{kind:<12}{len(rows):>9}{len(rows) / wall:>8.1f}{pct(lat, 50):>8.0f}{pct(lat, 95):>8.0f}"
              f"{pct(lat, 99):>8.0f}{sum(not r[2] for r in rows):>8}")
    return 1 if any(not r[2] for r in res) else 0


if __name__ == "__main__":
    raise SystemExit(main())
