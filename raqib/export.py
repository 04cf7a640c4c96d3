"""Exports of the archive in formats other tools read (`raqib export`, and the app's downloads).

    claimreview  one schema.org ClaimReview (JSON-LD) per fact-check verdict on a claim cluster:
                 claimReviewed, itemReviewed (a Claim with author, first appearance and
                 appearances), reviewRating (alternateName = the editor's rating), datePublished,
                 author (the publishing organisation, `--org`), url
    json         one JSON line per stored claim: article, offsets, speaker, cue, content, stance, via
    csv          the same claims as CSV (UTF-8 with BOM so spreadsheet programs read Arabic)
    geojson      a FeatureCollection of the merged events that have coordinates
    gold         the articles with accepted corrections, as gold lines for `raqib eval`
"""
from __future__ import annotations

import csv
import io
import json

FORMATS = ("claimreview", "json", "csv", "geojson", "gold")
RATINGS = ("true", "mostly-true", "misleading", "unproven", "mostly-false", "false", "staged", "satire")
_CLAIM_COLUMNS = ("claim", "article", "published", "source", "url", "speaker", "speaker_en", "cue", "stance",
                  "content", "content_start", "content_end", "via", "direct_quote")


def claim_rows(store, limit: int = 10_000_000) -> list[dict]:
    rows = store._all(
        "SELECT c.id, c.local_id, c.cue_text, c.stance, c.content_start, c.content_end, c.content_text, "
        "c.speaker_text, c.direct_quote, se.name AS speaker_name, se.name_en AS speaker_en, a.id AS art, a.ext_id, "
        "a.published, a.source, a.url FROM claims c JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN entities se ON se.id = c.speaker_entity ORDER BY a.pub_date, a.id, c.id LIMIT ?", (int(limit),))
    via: dict = {}
    for v in store._all("SELECT v.claim_id, v.text FROM claim_via v ORDER BY v.claim_id, v.pos"):
        via.setdefault(v["claim_id"], []).append(v["text"])
    return [{"claim": r["id"], "article": r["ext_id"] or str(r["art"]), "local": r["local_id"],
             "published": r["published"], "source": r["source"], "url": r["url"],
             "speaker": r["speaker_text"], "speaker_en": r["speaker_en"], "cue": r["cue_text"], "stance": r["stance"],
             "content": r["content_text"], "content_start": r["content_start"], "content_end": r["content_end"],
             "via": via.get(r["id"], []), "direct_quote": bool(r["direct_quote"])} for r in rows]


def claimreview(store, org: str = "raqib", base_url: str = "") -> list[dict]:
    """ClaimReview JSON-LD documents, one per verdict."""
    from .web.views import cluster_view, verdicts

    out = []
    for v in verdicts(store):
        cl = cluster_view(store, v["cluster_id"])
        if cl is None or not cl["claims"]:
            continue
        first = cl["first"]
        appearances = []
        for c in cl["claims"]:
            ap = {"@type": "CreativeWork", "datePublished": c["published"], "publisher":
                  {"@type": "Organization", "name": c["source"]} if c["source"] else None,
                  "url": c["url"] or f"{base_url}/articles/{c['article']}"}
            appearances.append({k: x for k, x in ap.items() if x})
        author = {"@type": "Organization" if not first.get("speaker_kb", "") or
                  str(first.get("speaker_kb")).startswith("org:") else "Person",
                  "name": first["speaker"] or "unknown"}
        doc = {
            "@context": "https://schema.org", "@type": "ClaimReview",
            "url": v["url"] or f"{base_url}/clusters/{cl['id']}",
            "claimReviewed": cl["label"] or first["text"],
            "itemReviewed": {"@type": "Claim", "author": author, "datePublished": first["published"],
                             "firstAppearance": appearances[0], "appearance": appearances},
            "author": {"@type": "Organization", "name": org},
            "reviewRating": {"@type": "Rating", "alternateName": v["rating"],
                             **({"ratingValue": RATINGS.index(v["rating"]) + 1, "bestRating": 1,
                                 "worstRating": len(RATINGS)} if v["rating"] in RATINGS[:6] else {})},
            "reviewBody": v["summary"] or "",
            "datePublished": (v["created"] or "")[:10],
            "inLanguage": "ar",
        }
        out.append(doc)
    return out


def events_geojson(store) -> dict:
    from .store.events import list_events

    feats = []
    for e in list_events(store):
        p = e.get("place") or {}
        if p.get("lat") is None or p.get("lon") is None:
            continue
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                      "properties": {"id": e["id"], "type": e["type"], "date": e["date"], "place": p.get("name"),
                                     "country": p.get("country"), "precision": p.get("precision"),
                                     "actor": e.get("actor"), "target": e.get("target"), "killed": e.get("killed"),
                                     "injured": e.get("injured"), "reports": len(e.get("mentions") or [])}})
    return {"type": "FeatureCollection", "features": feats}


def render(store, fmt: str, org: str = "raqib", base_url: str = "") -> str:
    """The whole export as one string."""
    if fmt == "claimreview":
        return json.dumps(claimreview(store, org=org, base_url=base_url), ensure_ascii=False, indent=1) + "\n"
    if fmt == "json":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in claim_rows(store))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=_CLAIM_COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in claim_rows(store):
            w.writerow({**r, "via": " | ".join(r["via"])})
        return "\ufeff" + buf.getvalue()
    if fmt == "geojson":
        return json.dumps(events_geojson(store), ensure_ascii=False) + "\n"
    if fmt == "gold":
        from .web.corrections import gold_lines
        return "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold_lines(store))
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")


MEDIA_TYPES = {"claimreview": ("application/ld+json", "claimreview.json"), "json": ("application/x-ndjson", "claims.jsonl"),
               "csv": ("text/csv; charset=utf-8", "claims.csv"), "geojson": ("application/geo+json", "events.geojson"),
               "gold": ("application/x-ndjson", "corrections-gold.jsonl")}
