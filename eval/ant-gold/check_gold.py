#!/usr/bin/env python3
"""Validate the hand-made ANT gold (events.jsonl, clusters.jsonl) against the ANT corpus.

Usage: python3 check_gold.py /path/to/news-ant-2018-dev.jsonl [gold_dir]

Stdlib only. Exits with status 1 if any check fails, and prints counts.
"""
import hashlib
import json
import os
import re
import sys
from collections import Counter

EVENT_TYPES = {"chemical_attack", "air_strike", "shelling", "clash", "explosion",
               "arrest_abduction", "displacement", "agreement", "protest",
               "aircraft_downed", "other_violence"}
STANCES = {"assert", "accuse", "deny", "confirm", "warn", "demand"}
DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def load_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit("%s:%d: bad JSON: %s" % (path, n, e))
    return out


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    ant_path = sys.argv[1]
    gold_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    texts = {}
    for r in load_jsonl(ant_path):
        texts[r["id"]] = r["text"]
    events = load_jsonl(os.path.join(gold_dir, "events.jsonl"))
    props = load_jsonl(os.path.join(gold_dir, "clusters.jsonl"))
    errors = []

    def err(msg):
        errors.append(msg)

    def check_span(where, s):
        # a span carries its exact "text" (event triggers), or, for the longer claim contents, the
        # first words ("head") and "sha1" (first 12 hex digits of the SHA-1 of the UTF-8 span), so
        # that the outlets' sentences are not copied into the repository
        for k in ("article", "start", "end"):
            if k not in s:
                err("%s: missing %s" % (where, k))
                return False
        if "text" not in s and "sha1" not in s:
            err("%s: missing text or sha1" % where)
            return False
        a = s["article"]
        if a not in texts:
            err("%s: unknown article %s" % (where, a))
            return False
        st, en = s["start"], s["end"]
        if not (isinstance(st, int) and isinstance(en, int) and 0 <= st < en <= len(texts[a])):
            err("%s: bad offsets %r-%r in %s" % (where, st, en, a))
            return False
        got = texts[a][st:en]
        if "text" in s and got != s["text"]:
            err("%s: span mismatch in %s [%d:%d]: gold %r != text %r" % (where, a, st, en, s["text"], got))
            return False
        if "sha1" in s and hashlib.sha1(got.encode("utf-8")).hexdigest()[:12] != s["sha1"]:
            err("%s: span mismatch in %s [%d:%d]: sha1 %s, text %r" % (where, a, st, en, s["sha1"], got))
            return False
        return True

    articles = set()
    # ---- events
    eids = set()
    n_mentions = 0
    seen_mentions = {}
    for e in events:
        eid = e.get("id")
        if not eid or eid in eids:
            err("event id missing or duplicate: %r" % eid)
        eids.add(eid)
        if e.get("type") not in EVENT_TYPES:
            err("%s: bad type %r" % (eid, e.get("type")))
        if not isinstance(e.get("date"), str) or not DATE_RE.match(e["date"]):
            err("%s: bad date %r" % (eid, e.get("date")))
        pl = e.get("place") or {}
        for k in ("name", "name_en", "lat", "lon", "country"):
            if k not in pl:
                err("%s: place missing %s" % (eid, k))
        if isinstance(pl.get("lat"), (int, float)) and isinstance(pl.get("lon"), (int, float)):
            if not (29 <= pl["lat"] <= 38 and 33 <= pl["lon"] <= 43):
                err("%s: coordinates outside the Levant: %r,%r" % (eid, pl["lat"], pl["lon"]))
        else:
            err("%s: lat/lon not numeric" % eid)
        for k in ("actor", "target", "killed", "injured"):
            if k not in e:
                err("%s: missing field %s" % (eid, k))
        for k in ("killed", "injured"):
            v = e.get(k)
            if v is not None and not (isinstance(v, int) and v >= 0):
                err("%s: %s must be a non-negative int or null" % (eid, k))
        ms = e.get("mentions") or []
        if not ms:
            err("%s: no mentions" % eid)
        for i, m in enumerate(ms):
            if check_span("%s.mentions[%d]" % (eid, i), m):
                articles.add(m["article"])
                key = (m["article"], m["start"], m["end"])
                if key in seen_mentions:
                    err("%s: mention %r also used by %s" % (eid, m["text"], seen_mentions[key]))
                seen_mentions[key] = eid
            n_mentions += 1

    # ---- propositions / claims
    pids = {}
    n_claims = 0
    multi_article = 0
    stance_count = Counter()
    for p in props:
        pid = p.get("id")
        if not pid or pid in pids:
            err("proposition id missing or duplicate: %r" % pid)
        pids[pid] = p
        if not p.get("label"):
            err("%s: empty label" % pid)
        if p.get("incident") not in eids:
            err("%s: unknown incident %r" % (pid, p.get("incident")))
        cl = p.get("claims") or []
        if not cl:
            err("%s: no claims" % pid)
        arts = set()
        for i, c in enumerate(cl):
            where = "%s.claims[%d]" % (pid, i)
            if check_span(where, c):
                articles.add(c["article"])
                arts.add(c["article"])
            if c.get("stance") not in STANCES:
                err("%s: bad stance %r" % (where, c.get("stance")))
            stance_count[c.get("stance")] += 1
            if not c.get("speaker") or not c.get("speaker_en"):
                err("%s: missing speaker/speaker_en" % where)
            n_claims += 1
        if len(arts) >= 2:
            multi_article += 1

    contra, corro = set(), set()
    for pid, p in pids.items():
        for rel, store in (("contradicts", contra), ("corroborates", corro)):
            lst = p.get(rel)
            if not isinstance(lst, list):
                err("%s: %s must be a list" % (pid, rel))
                continue
            if len(set(lst)) != len(lst):
                err("%s: duplicate ids in %s" % (pid, rel))
            for q in lst:
                if q == pid:
                    err("%s: relates to itself in %s" % (pid, rel))
                elif q not in pids:
                    err("%s: %s unknown id %s" % (pid, rel, q))
                elif pid not in (pids[q].get(rel) or []):
                    err("%s %s %s but not symmetric" % (pid, rel, q))
                else:
                    store.add(tuple(sorted((pid, q))))
    both = contra & corro
    if both:
        err("pairs both contradicting and corroborating: %s" % sorted(both))

    print("incidents:            %d" % len(events))
    print("event mentions:       %d" % n_mentions)
    print("event types:          %s" % dict(Counter(e.get("type") for e in events)))
    print("articles (in gold):   %d" % len(articles))
    print("claims:               %d" % n_claims)
    print("stances:              %s" % dict(stance_count))
    print("propositions:         %d (with claims from 2+ articles: %d)" % (len(props), multi_article))
    print("contradiction pairs:  %d" % len(contra))
    print("corroboration pairs:  %d" % len(corro))
    if errors:
        print("\n%d ERROR(S):" % len(errors))
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("OK: all spans, ids, relations, types and stances valid")


if __name__ == "__main__":
    main()
