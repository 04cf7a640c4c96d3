#!/usr/bin/env python3
"""Search latency of a raqib store: 100 varied queries taken from the store's own content.

usage: python bench/search.py DB_URL [--queries 100] [--limit 20] [--seed 1]

Queries (surface forms, as a person would type them, so normalisation is exercised): 40% single
words from titles across the frequency range (from very common to rare), 30% two adjacent title
words, 30% entity names (the most frequent 300, sampled). Each is run once through
`Store.search(query, limit)` with snippets, as `raqib search` does, after a few warm-up queries.
Prints p50 / p95 / max latency and the mean number of hits; then the same for `Store.claims(speaker=...)`
over the entity names.
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raqib.store import open_store  # noqa: E402
from raqib.store.base import search_tokens  # noqa: E402

_WORD = re.compile(r"[^\W\d_]{3,}")


def make_queries(store, n: int, rng: random.Random) -> tuple[list[str], list[str]]:
    titles = [r["title"] for r in store._all("SELECT title FROM articles WHERE title IS NOT NULL")]
    if not titles:
        titles = [r["t"] for r in store._all("SELECT substr(text, 1, 200) AS t FROM articles")]
    words = Counter()
    pairs = []
    for t in titles:
        ws = _WORD.findall(t)
        words.update(w for w in ws if search_tokens(w))
        pairs += [f"{a} {b}" for a, b in zip(ws, ws[1:])]
    ranked = [w for w, _ in words.most_common()]
    names = [r["name"] for r in store._all(
        "SELECT name, COUNT(*) AS n FROM entities WHERE name IS NOT NULL GROUP BY name ORDER BY COUNT(*) DESC, name "
        "LIMIT 300")]
    if not ranked:
        raise SystemExit("the store is empty")
    n_words, n_pairs = int(n * 0.4), int(n * 0.3)
    n_names = n - n_words - n_pairs
    # single words spread over the frequency range: a quarter from the top 50, the rest log-uniform
    singles = []
    for i in range(n_words):
        if i % 4 == 0:
            singles.append(rng.choice(ranked[:50]))
        else:
            singles.append(ranked[min(len(ranked) - 1, int(10 ** rng.uniform(0, 4.2)))])
    doubles = rng.sample(pairs, min(n_pairs, len(pairs)))
    ents = rng.sample(names, min(n_names, len(names))) if names else []
    queries = singles + doubles + ents
    while len(queries) < n:
        queries.append(rng.choice(ranked))
    return queries, ents


def timed(fn, items):
    lat, hits = [], []
    for q in items:
        t = time.perf_counter()
        r = fn(q)
        lat.append((time.perf_counter() - t) * 1000)
        hits.append(len(r))
    return lat, hits


def report(label, lat, hits, items):
    lat_sorted = sorted(lat)
    p = lambda q: lat_sorted[min(len(lat_sorted) - 1, int(round(q * (len(lat_sorted) - 1))))]  # noqa: E731
    print(f"{label}: {len(lat)} queries  p50 {statistics.median(lat):.1f} ms  p95 {p(0.95):.1f} ms  "
          f"max {max(lat):.1f} ms  mean hits {statistics.mean(hits):.1f}")
    worst = sorted(zip(lat, items, hits), reverse=True)[:3]
    print("  slowest: " + "; ".join(f"{q!r} {ms:.1f} ms ({h} hits)" for ms, q, h in worst))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", help="store URL (SQLite path, sqlite:///path or postgresql://...)")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--limit", type=int, default=20, help="hits per query")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    store = open_store(args.db)
    stats = store.stats()
    print(f"{stats['store']}: {stats['articles']} articles, {stats['claims']} claims")
    rng = random.Random(args.seed)
    queries, names = make_queries(store, args.queries, rng)
    for q in queries[:5]:                                       # warm caches
        store.search(q, limit=args.limit)
    lat, hits = timed(lambda q: store.search(q, limit=args.limit), queries)
    report("search", lat, hits, queries)
    if names:
        lat, hits = timed(lambda q: store.claims(speaker=q, limit=args.limit), names)
        report("claims --speaker", lat, hits, names)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
