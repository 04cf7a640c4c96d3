#!/usr/bin/env python3
"""Throughput of `raqib analyze` over a corpus of JSON lines (objects with "text").

usage: python bench/throughput.py CORPUS.jsonl [--limit N] [--warmup K]

Prints articles/s, characters/s and peak memory (RSS) for the whole pipeline on one core,
after loading the knowledge files once (load time is reported separately).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raqib.article import Article  # noqa: E402
from raqib.pipeline import analyze  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", help="JSON lines with a 'text' field (and optionally 'published', 'id')")
    ap.add_argument("--limit", type=int, default=0, help="analyse at most N articles")
    ap.add_argument("--warmup", type=int, default=3, help="articles analysed first to load data (not timed)")
    args = ap.parse_args()

    docs = []
    with open(args.corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                if d.get("text"):
                    docs.append(d)
            if args.limit and len(docs) >= args.limit + args.warmup:
                break
    if not docs:
        print("no articles with text in", args.corpus, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    for d in docs[: args.warmup]:
        analyze(Article(text=d["text"], published=d.get("published") or d.get("date")))
    load = time.perf_counter() - t0
    timed = docs[args.warmup:] or docs
    chars = sum(len(d["text"]) for d in timed)
    claims = 0
    t0 = time.perf_counter()
    for d in timed:
        a = analyze(Article(text=d["text"], published=d.get("published") or d.get("date")))
        claims += len(a.claims)
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus          {args.corpus}")
    print(f"articles        {len(timed)}  ({chars} characters, {claims} claims found)")
    print(f"warm-up         {load:.2f} s for {args.warmup} articles (loads knowledge files)")
    print(f"elapsed         {dt:.2f} s")
    print(f"articles/s      {len(timed) / dt:.1f}")
    print(f"characters/s    {chars / dt:,.0f}")
    print(f"peak memory     {peak_mb:.0f} MB (max RSS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
