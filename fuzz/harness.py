"""The oracle of the fuzzers: run one input through the readers (and the pipeline) and classify it.

`check(name, data, analyse=..., hang_seconds=...)` returns an Outcome: how many records and
errors the input gave, and the crashes (with a one-line signature each) and hangs it caused.

A crash is anything but an Article or a one-line ReadError: an exception escaping the readers or
the pipeline; a ReadError made by a reader's last-resort `except Exception` (it carries the
exception as `__cause__`: a bug that the batch survived, but a bug); an error message spanning
lines; a record whose text cannot be written out as UTF-8 (a lone surrogate); an offset that does
not slice the analysed text to the words it reports. A hang is an input that took longer than
`hang_seconds` (the SIGALRM guard of raqib.pipeline stops it).
"""
from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field

from raqib.article import Article
from raqib.pipeline import TimeLimitExceeded, analyze, time_limit
from raqib.read import ReadError, read_bytes


@dataclass
class Outcome:
    records: int = 0
    errors: int = 0
    crashes: list = field(default_factory=list)   # one-line signatures
    hang: bool = False
    analysed: int = 0


def _sig(e: BaseException) -> str:
    """'Type: message @ file:line' of the innermost raqib frame (or the innermost frame)."""
    tb = traceback.extract_tb(e.__traceback__) if e.__traceback__ else []
    frames = [f for f in tb if "/raqib/" in f.filename] or tb
    where = f" @ {frames[-1].filename.split('/raqib/')[-1]}:{frames[-1].lineno}" if frames else ""
    msg = " ".join(str(e).split())[:120]
    return f"{type(e).__name__}: {msg}{where}"


def offsets_problems(rec: dict) -> list[str]:
    """What is wrong with the offsets of an analysed record (empty: all slice `text` right)."""
    s = rec["text"]
    n = len(s)
    bad = []

    def span(x, what, with_text=True):
        if not isinstance(x, dict):
            bad.append(f"{what}: not a span")
            return
        a, b = x.get("start"), x.get("end")
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= n):
            bad.append(f"{what}: bad offsets {a}..{b} (text length {n})")
        elif with_text and "text" in x and s[a:b] != x["text"]:
            bad.append(f"{what}: text[{a}:{b}] != {x['text'][:20]!r}")

    for i, x in enumerate(rec["sentences"]):
        span(x, f"sentence {i}", with_text=False)
    ids = set()
    for e in rec["entities"]:
        ids.add(e["id"])
        for m in e["mentions"]:
            span(m, f"entity {e['id']} mention")
    for p in rec["places"]:
        if p.get("entity") not in ids:
            bad.append(f"place of unknown entity {p.get('entity')}")
    for layer in ("times", "quantities"):
        for x in rec[layer]:
            span(x, layer)
    for c in rec["claims"]:
        span(c["cue"], f"claim {c['id']} cue")
        span(c["content"], f"claim {c['id']} content")
        if c.get("speaker"):
            span(c["speaker"], f"claim {c['id']} speaker")
        for v in c.get("via") or []:
            span(v, f"claim {c['id']} via")
    for ev in rec.get("events") or []:
        span(ev["trigger"], f"event {ev['id']} trigger")
        for t in ev.get("triggers") or []:
            span(t, f"event {ev['id']} triggers")
        for k in ("killed", "injured", "displaced"):
            if isinstance(ev.get(k), dict) and "start" in ev[k]:
                span(ev[k], f"event {ev['id']} {k}")
    return bad


def _check_article(item: Article, analyse: bool, out: Outcome) -> None:
    out.records += 1
    try:
        json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as e:
        out.crashes.append(f"record not writable as UTF-8 ({e.reason}) @ reader")
        return
    if not analyse:
        return
    try:
        rec = analyze(item).to_dict()
    except TimeLimitExceeded:
        raise
    except Exception as e:
        out.crashes.append("analyze: " + _sig(e))
        return
    out.analysed += 1
    for p in offsets_problems(rec)[:3]:
        out.crashes.append("offsets: " + p)
    try:
        json.dumps(rec, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError) as e:
        out.crashes.append(f"analysed record not writable as JSON/UTF-8 ({type(e).__name__}) @ pipeline")


def check(name: str, data: bytes, analyse: bool = False, hang_seconds: float | None = 10.0,
          published: str | None = None, max_chars: int | None = None) -> Outcome:
    """Read `data` as the file `name` (and analyse each article when `analyse`); classify."""
    out = Outcome()
    try:
        with time_limit(hang_seconds):
            for item in read_bytes(data, name, published=published, max_chars=max_chars):
                if isinstance(item, ReadError):
                    out.errors += 1
                    if item.__cause__ is not None:
                        out.crashes.append("reader guard: " + _sig(item.__cause__))
                    if "\n" in str(item) or "\r" in str(item):
                        out.crashes.append("multi-line error message: " + repr(str(item))[:100])
                elif isinstance(item, Article):
                    _check_article(item, analyse, out)
                else:
                    out.crashes.append(f"reader yielded a {type(item).__name__}")
    except TimeLimitExceeded:
        out.hang = True
    except Exception as e:
        out.crashes.append("escaped: " + _sig(e))
    return out
