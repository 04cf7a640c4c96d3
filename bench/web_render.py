"""Server time of the workbench's heaviest page: an article with 1,000 claims (and as many
entity, time and quantity spans), rendered through the app in-process (no network).

    python bench/web_render.py [--claims 1000] [--runs 20]

The article is made up by repeating a reported-speech sentence; it is stored with every claim
clustered (one cluster per 10 claims) so the page shows its cluster links too. Prints the median
and p95 of the server time of GET /articles/{id} and GET /api/articles/{id}.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

SENTENCE = "وقال المرصد السوري لحقوق الإنسان إن {n} مدنيين قتلوا في قصف على مدينة إدلب يوم الثلاثاء الماضي. "


def make_record(n_claims: int) -> dict:
    text, claims, ents, times, qty = "", [], [], [], []
    for i in range(n_claims):
        s = SENTENCE.format(n=i % 50 + 2)
        base = len(text)
        text += s

        def span(word, after=0):
            k = s.index(word, after)
            return {"start": base + k, "end": base + k + len(word), "text": word}
        spk = span("المرصد السوري لحقوق الإنسان")
        place = span("إدلب")
        ents.append({"id": f"E{2 * i + 1}", "type": "ORG", "name": spk["text"], "name_en": "SOHR", "kb": None,
                     "mentions": [spk]})
        ents.append({"id": f"E{2 * i + 2}", "type": "LOC", "name": "إدلب", "name_en": "Idlib", "kb": None,
                     "mentions": [place]})
        times.append({**span("يوم الثلاثاء الماضي"), "value": "2019-11-19"})
        q = span(str(i % 50 + 2))
        qty.append({**q, "value": i % 50 + 2, "approx": False, "unit": "مدنيين"})
        claims.append({"id": f"C{i + 1}", "sentence": i, "cue": span("قال"), "speaker": {**spk, "entity": f"E{2 * i + 1}"},
                       "content": {"start": q["start"], "end": base + len(s) - 2,
                                   "text": text[q["start"]:base + len(s) - 2]},
                       "stance": "assert", "via": [], "direct_quote": False, "targets": [f"E{2 * i + 2}"]})
    places = [{"entity": e["id"], "lat": 35.93, "lon": 36.63, "country": "SY", "admin1": "Idleb", "kind": "city",
               "gazetteer": None, "precision": "exact", "name_en": "Idlib"} for e in ents if e["type"] == "LOC"]
    return {"raqib": 1, "id": "bench-1000", "title": "1,000 claims", "published": "2019-11-26", "source": "bench",
            "url": None, "lang": "ar", "text": text, "boilerplate": [], "sentences": [], "entities": ents,
            "places": places, "times": times, "quantities": qty, "claims": claims, "events": []}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--claims", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--db", help="a store URL (default: a temporary SQLite file)")
    a = ap.parse_args(argv)
    from fastapi.testclient import TestClient

    from raqib.store import open_store
    from raqib.web.app import create_app
    from raqib.web.db import ensure_tables

    with tempfile.TemporaryDirectory() as d:
        url = a.db or str(Path(d) / "bench.db")
        rec = make_record(a.claims)
        with open_store(url) as s:
            s.add_article(rec)
            ensure_tables(s)
            ids = [r["id"] for r in s._all("SELECT id FROM claims ORDER BY id")]
            with s._write() as cur:
                for k in range(0, len(ids), 10):
                    s._ex(cur, "INSERT INTO claim_clusters (id, label, first_claim, size, polarity, updated) "
                               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                          (k // 10 + 1, "bench", ids[k], 10, 0, "now"))
                    s._many(cur, "INSERT INTO claim_cluster_members (claim_id, cluster_id, score) VALUES (?, ?, ?) "
                                 "ON CONFLICT (claim_id) DO NOTHING", [(i, k // 10 + 1, 1.0) for i in ids[k:k + 10]])
        with TestClient(create_app(url)) as c:
            for path in ("/articles/bench-1000", "/api/articles/bench-1000"):
                r = c.get(path)
                assert r.status_code == 200 and r.text.count("claim-item" if "api" not in path else '"cue"') >= a.claims
                times = []
                for _ in range(a.runs):
                    t = time.perf_counter()
                    r = c.get(path)
                    times.append(time.perf_counter() - t)
                times.sort()
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                print(f"{path}: {a.claims} claims, {len(r.content) / 1e6:.2f} MB, median {statistics.median(times) * 1000:.0f} ms, "
                      f"p95 {p95 * 1000:.0f} ms over {a.runs} runs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
