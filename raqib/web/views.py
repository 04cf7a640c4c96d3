"""The data behind each workbench page, as plain dicts (the JSON API returns the same).

The article text is never turned into HTML by concatenation of raw strings: `highlight` cuts it
into segments at every span boundary and each segment is escaped; the layers covering a segment
become its CSS classes and data attributes. Overlapping layers (a place inside a claim's content)
need no nesting that way.
"""
from __future__ import annotations

import heapq
import json

from markupsafe import Markup, escape

from ..store.base import STANCES
from . import db

LAYER_CLASSES = ("ent", "place", "time", "qty", "c-speaker", "c-cue", "c-content")


# -- article --------------------------------------------------------------------------------------

def article_spans(rec: dict) -> list[tuple[int, int, str, str, str]]:
    """(start, end, css class, data kind, data id) for every highlighted item of a record."""
    spans = []
    place_ents = {p.get("entity") for p in rec.get("places") or []}
    for e in rec.get("entities") or []:
        cls = "place" if e["id"] in place_ents else f"ent ent-{(e.get('type') or 'X').lower()}"
        for m in e.get("mentions") or []:
            spans.append((m["start"], m["end"], cls, "e", e["id"]))
    for t in rec.get("times") or []:
        spans.append((t["start"], t["end"], "time", "t", str(t["start"])))
    for q in rec.get("quantities") or []:
        spans.append((q["start"], q["end"], "qty", "q", str(q["start"])))
    for c in rec.get("claims") or []:
        sp = c.get("speaker") or {}
        if sp.get("start") is not None:
            spans.append((sp["start"], sp["end"], "c-speaker", "c", c["id"]))
        spans.append((c["cue"]["start"], c["cue"]["end"], "c-cue", "c", c["id"]))
        spans.append((c["content"]["start"], c["content"]["end"], "c-content", "c", c["id"]))
    n = len(rec.get("text") or "")
    return [s for s in spans if 0 <= s[0] < s[1] <= n]


def highlight(rec: dict) -> Markup:
    """The article text as escaped HTML with one <span> per run of equally covered characters."""
    text = rec.get("text") or ""
    spans = sorted(article_spans(rec))
    bounds = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out, active, k = [], [], 0            # active: heap of (end, index into spans)
    for a, b in zip(bounds, bounds[1:]):
        while k < len(spans) and spans[k][0] <= a:
            heapq.heappush(active, (spans[k][1], k))
            k += 1
        while active and active[0][0] <= a:
            heapq.heappop(active)
        piece = escape(text[a:b])
        if not active:
            out.append(str(piece))
            continue
        classes, data = [], {}
        for _, i in active:
            _, _, cls, kind, ref = spans[i]
            classes.append(cls)
            data.setdefault(kind, []).append(ref)
        attrs = " ".join(f'data-{k}="{escape(" ".join(dict.fromkeys(v)))}"' for k, v in sorted(data.items()))
        out.append(f'<span class="hl {escape(" ".join(sorted(set(classes))))}" {attrs}>{piece}</span>')
    return Markup("".join(out).replace("\n", "<br>\n"))


def claim_ids(store, article_id: int) -> dict:
    """local claim id (C3) → store claim id, and → cluster id where clustered."""
    db.ensure_tables(store)
    rows = store._all("SELECT c.local_id, c.id, m.cluster_id FROM claims c LEFT JOIN claim_cluster_members m "
                      "ON m.claim_id = c.id WHERE c.article_id = ?", (article_id,))
    return {r["local_id"]: {"id": r["id"], "cluster": r["cluster_id"]} for r in rows}


def article_view(store, ref) -> dict | None:
    found = store.get_article(ref, with_id=True)
    if found is None:
        return None
    store_id, rec = found
    ids = claim_ids(store, store_id)
    ents = {e["id"]: e for e in rec.get("entities") or []}
    claims = []
    for c in rec.get("claims") or []:
        sp = c.get("speaker") or {}
        e = ents.get(sp.get("entity")) or {}
        claims.append({**c, "store_id": (ids.get(c["id"]) or {}).get("id"),
                       "cluster": (ids.get(c["id"]) or {}).get("cluster"),
                       "speaker_name": e.get("name") or sp.get("text"), "speaker_en": e.get("name_en"),
                       "speaker_kb": e.get("kb"),
                       "target_names": [ents[t].get("name") for t in c.get("targets") or [] if t in ents],
                       "via_names": [(ents.get(v.get("entity")) or {}).get("name") or v.get("text")
                                     for v in c.get("via") or []]})
    return {"store_id": store_id, "id": rec.get("id") or str(store_id), "record": rec, "claims": claims,
            "copies": store.copies(store_id)}


# -- clusters -------------------------------------------------------------------------------------

_CLAIM_SQL = ("SELECT c.id, c.local_id, c.content_start, c.content_end, c.content_text, c.stance, c.speaker_text, "
              "c.cue_text, se.name AS speaker_name, se.kb AS speaker_kb, a.id AS article, a.ext_id, a.title, "
              "a.source, a.published, a.pub_date, a.url FROM claims c JOIN articles a ON a.id = c.article_id "
              "LEFT JOIN entities se ON se.id = c.speaker_entity")


def _via(store, ids: list[int]) -> dict:
    out: dict = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for r in store._all(f"SELECT v.claim_id, v.text, e.name FROM claim_via v LEFT JOIN entities e "
                            f"ON e.id = v.entity_id WHERE v.claim_id IN ({', '.join('?' * len(chunk))}) "
                            f"ORDER BY v.claim_id, v.pos", chunk):
            out.setdefault(r["claim_id"], []).append(r["name"] or r["text"])
    return out


def _claim_out(r: dict, via: dict) -> dict:
    return {"id": r["id"], "article": r["ext_id"] or str(r["article"]), "article_store_id": r["article"],
            "local": r["local_id"], "content": {"start": r["content_start"], "end": r["content_end"]},
            "text": r["content_text"], "stance": r["stance"], "cue": r["cue_text"],
            "speaker": r["speaker_name"] or r["speaker_text"], "speaker_kb": r["speaker_kb"],
            "via": via.get(r["id"], []), "source": r["source"], "published": r["published"],
            "title": r["title"], "url": r["url"]}


def cluster_view(store, cluster_id: int) -> dict | None:
    """A cluster: its claims oldest first (the first appearance), speakers, relaying outlets,
    the clusters it contradicts or corroborates (with their first claim) and its verdicts."""
    db.ensure_tables(store)
    row = store._all("SELECT id, label, size, polarity FROM claim_clusters WHERE id = ?", (int(cluster_id),))
    if not row:
        return None
    rows = store._all(_CLAIM_SQL + " JOIN claim_cluster_members m ON m.claim_id = c.id WHERE m.cluster_id = ? "
                      "ORDER BY COALESCE(a.pub_date, '9999'), a.published, c.article_id, c.id", (int(cluster_id),))
    via = _via(store, [r["id"] for r in rows])
    claims = [_claim_out(r, via) for r in rows]
    rels = []
    for r in store._all("SELECT cluster_a, cluster_b, type, score FROM claim_cluster_relations "
                        "WHERE cluster_a = ? OR cluster_b = ?", (int(cluster_id), int(cluster_id))):
        other = r["cluster_b"] if r["cluster_a"] == int(cluster_id) else r["cluster_a"]
        lab = store._all("SELECT id, label, size FROM claim_clusters WHERE id = ?", (other,))
        first = store._all(_CLAIM_SQL + " JOIN claim_cluster_members m ON m.claim_id = c.id WHERE m.cluster_id = ? "
                           "ORDER BY COALESCE(a.pub_date, '9999'), a.published, c.id LIMIT 3", (other,))
        fv = _via(store, [f["id"] for f in first])
        rels.append({"type": r["type"], "cluster": other, "label": lab[0]["label"] if lab else None,
                     "size": lab[0]["size"] if lab else None, "score": r["score"],
                     "claims": [_claim_out(f, fv) for f in first]})
    rels.sort(key=lambda x: (x["type"], -(x["size"] or 0), x["cluster"]))
    return {"id": row[0]["id"], "label": row[0]["label"], "size": len(claims), "claims": claims,
            "first": claims[0] if claims else None,
            "speakers": list(dict.fromkeys(c["speaker"] for c in claims if c["speaker"])),
            "outlets": list(dict.fromkeys(c["source"] for c in claims if c["source"])),
            "stances": {s: sum(c["stance"] == s for c in claims) for s in STANCES if any(c["stance"] == s for c in claims)},
            "contradicts": [r for r in rels if r["type"] == "contradicts"],
            "corroborates": [r for r in rels if r["type"] == "corroborates"],
            "verdicts": verdicts(store, int(cluster_id))}


def claim_view(store, claim_id: int) -> dict | None:
    db.ensure_tables(store)
    rows = store._all(_CLAIM_SQL + " WHERE c.id = ?", (int(claim_id),))
    if not rows:
        return None
    claim = _claim_out(rows[0], _via(store, [int(claim_id)]))
    mem = store._all("SELECT cluster_id FROM claim_cluster_members WHERE claim_id = ?", (int(claim_id),))
    claim["cluster"] = mem[0]["cluster_id"] if mem else None
    return {"claim": claim, "cluster": cluster_view(store, mem[0]["cluster_id"]) if mem else None}


def verdicts(store, cluster_id: int | None = None) -> list[dict]:
    db.ensure_tables(store)
    if cluster_id is None:
        return store._all("SELECT v.*, c.label FROM web_verdicts v LEFT JOIN claim_clusters c ON c.id = v.cluster_id "
                          "ORDER BY v.id")
    return store._all("SELECT * FROM web_verdicts WHERE cluster_id = ? ORDER BY id DESC", (cluster_id,))


# -- entities -------------------------------------------------------------------------------------

def entity_view(store, ref: str) -> dict:
    """An entity by knowledge-base id (org:ru-mod) or by name."""
    name = ref
    kb_entry = None
    if ":" in ref:
        from ..kb.entities import load_kb
        kb_entry = load_kb().entities.get(ref)
        if kb_entry is not None:
            name = kb_entry.name_ar
    out = store.entity(name, limit=500)
    out["ref"] = ref
    if kb_entry is not None:
        out["kb"] = {"id": kb_entry.id, "name_ar": kb_entry.name_ar, "name_en": kb_entry.name_en,
                     "aliases_ar": list(kb_entry.aliases_ar), "aliases_en": list(kb_entry.aliases_en),
                     "type": kb_entry.type}
    return out


def timeline_svg(timeline: list[dict], width: int = 640, height: int = 160) -> Markup:
    """A small bar chart (claims made / received per month) as inline SVG: no script needed."""
    slots = [t for t in timeline if t["period"] != "undated"]
    if not slots:
        return Markup("")
    top = max(max(t["made"], t["received"]) for t in slots) or 1
    bw = max(4, min(40, (width - 40) // (len(slots) * 2 + 1)))
    parts = [f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" aria-label="timeline" '
             f'xmlns="http://www.w3.org/2000/svg" direction="ltr">']
    x = 20
    for t in slots:
        for kind, cls in (("made", "bar-made"), ("received", "bar-received")):
            h = int((height - 40) * t[kind] / top)
            parts.append(f'<rect class="{cls}" x="{x}" y="{height - 20 - h}" width="{bw}" height="{h}">'
                         f'<title>{escape(t["period"])}: {t[kind]} {kind}</title></rect>')
            x += bw
        parts.append(f'<text x="{x - bw}" y="{height - 5}" text-anchor="middle">{escape(t["period"])}</text>')
        x += bw
    parts.append("</svg>")
    return Markup("".join(parts))


def to_json(o) -> str:
    return json.dumps(o, ensure_ascii=False, default=str)
