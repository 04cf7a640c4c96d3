"""Corrections and complaints: submitted by anyone, reviewed by editors; an accepted correction
changes the stored record (its JSON and its rows, in one transaction) and leaves an audit entry
with who, when, the item before and after.

What can be corrected (`target`, `field`, `value`):

    claim:C3     stance        one of assert accuse deny confirm warn demand
    claim:C3     speaker       the speaker as written in the article (offsets are looked up)
    claim:C3     content       the claimed words as written in the article
    claim:C3     not_a_claim   (no value) the claim is removed
    place:E4     coordinates   "lat, lon"
    place:E4     not_a_place   (no value) the place is removed
    entity:E2    name_en       the canonical English name
    time:START   value         YYYY, YYYY-MM, YYYY-MM-DD or PAST_REF / PRESENT_REF / FUTURE_REF
    quantity:START value       a number
    article      missing_claim "speaker | cue | content | stance": each as written in the article
    (any)        complaint     free text; accepting a complaint changes nothing

A value that names text ("as written") must occur in the article: evidence stays evidence.
"""
from __future__ import annotations

import json
import re

from ..store.base import STANCES, name_key
from . import db

FIELDS = {
    "claim": ("stance", "speaker", "content", "not_a_claim"),
    "place": ("coordinates", "not_a_place"),
    "entity": ("name_en",),
    "time": ("value",),
    "quantity": ("value",),
    "article": ("missing_claim",),
}
NO_VALUE = ("not_a_claim", "not_a_place")
MAX_MESSAGE = 4000
MAX_VALUE = 1000
MAX_CONTACT = 200
_TIME_VALUE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?|PAST_REF|PRESENT_REF|FUTURE_REF")


class CorrectionError(ValueError):
    """A correction that cannot be submitted or applied, with the reason for the user."""


# -- submitting ------------------------------------------------------------------------------------

def check(record: dict, kind: str, target: str, field: str | None, value: str | None) -> None:
    """Refuse a correction that names no item of the record or carries a malformed value."""
    if kind not in ("correction", "complaint"):
        raise CorrectionError("kind must be correction or complaint")
    kind_of = target.split(":", 1)[0] if target else ""
    if kind_of not in FIELDS:
        raise CorrectionError(f"unknown target {target!r}")
    if kind_of != "article":
        _find(record, target)            # raises when the item does not exist
    if kind == "complaint":
        return
    if field not in FIELDS[kind_of]:
        raise CorrectionError(f"{kind_of} corrections change one of: {', '.join(FIELDS[kind_of])}")
    if field not in NO_VALUE and not (value or "").strip():
        raise CorrectionError("the corrected value is missing")
    if len(value or "") > MAX_VALUE:
        raise CorrectionError(f"the value is longer than {MAX_VALUE} characters")
    _new_item(record, target, field, value)   # dry run: raises on a value we could not apply


def submit(store, article_id: int, record: dict, kind: str, target: str, field: str | None, value: str | None,
           message: str | None, contact: str | None, client: str | None) -> int:
    db.ensure_tables(store)
    target = (target or "article").strip()
    message, contact = (message or "").strip(), (contact or "").strip()
    if len(message) > MAX_MESSAGE:
        raise CorrectionError(f"the message is longer than {MAX_MESSAGE} characters")
    if len(contact) > MAX_CONTACT:
        raise CorrectionError(f"the contact is longer than {MAX_CONTACT} characters")
    if kind == "complaint" and not message:
        raise CorrectionError("a complaint needs a message")
    check(record, kind, target, field, value)
    return db.insert(store, "web_corrections", {
        "kind": kind, "article_id": article_id, "target": target, "field": field if kind == "correction" else None,
        "value": (value or "").strip() or None, "message": message or None, "contact": contact or None,
        "status": "pending", "reason": None, "reviewer": None, "created": db.now(), "reviewed": None,
        "client": client})


def listing(store, status: str | None = "pending", limit: int = 200) -> list[dict]:
    db.ensure_tables(store)
    where, params = "", []
    if status:
        where, params = "WHERE c.status = ?", [status]
    return store._all(f"SELECT c.id, c.kind, c.article_id, a.ext_id, a.title, c.target, c.field, c.value, c.message, "
                      f"c.contact, c.status, c.reason, c.reviewer, c.created, c.reviewed FROM web_corrections c "
                      f"LEFT JOIN articles a ON a.id = c.article_id {where} ORDER BY c.id DESC LIMIT ?",
                      params + [int(limit)])


def get(store, cid: int) -> dict | None:
    db.ensure_tables(store)
    rows = store._all("SELECT * FROM web_corrections WHERE id = ?", (int(cid),))
    return rows[0] if rows else None


def audit(store, article_id: int | None = None, limit: int = 200) -> list[dict]:
    db.ensure_tables(store)
    if article_id is None:
        return store._all("SELECT * FROM web_audit ORDER BY id DESC LIMIT ?", (int(limit),))
    return store._all("SELECT * FROM web_audit WHERE article_id = ? ORDER BY id DESC LIMIT ?",
                      (int(article_id), int(limit)))


# -- reviewing -------------------------------------------------------------------------------------

def review(store, cid: int, accept: bool, reviewer: str, reason: str | None) -> dict:
    """Accept (apply) or reject a pending correction; the audit entry and the change commit
    together. Returns the audit entry."""
    c = get(store, cid)
    if c is None:
        raise CorrectionError(f"no correction {cid}")
    if c["status"] != "pending":
        raise CorrectionError(f"correction {cid} is already {c['status']}")
    reason = (reason or "").strip()[:MAX_MESSAGE] or None
    if not accept and not reason:
        raise CorrectionError("a rejection needs a reason")
    from ..store.base import SQLStore  # noqa: F401  (the helpers used below live there)

    with store._write() as cur:
        store._ex(cur, "SELECT id, text, record FROM articles WHERE id = ?", (c["article_id"],))
        row = cur.fetchone()
        if row is None:
            raise CorrectionError("the article of this correction is no longer stored")
        before = after = None
        action = f"reject {c['kind']}"
        if accept:
            action = f"accept {c['kind']}"
            if c["kind"] == "correction":
                record = json.loads(row[2])
                record["text"] = row[1]
                before, after = _apply(store, cur, row[0], record, c["target"], c["field"], c["value"])
                record.pop("text")
                store._ex(cur, "UPDATE articles SET record = ? WHERE id = ?",
                          (json.dumps(record, ensure_ascii=False), row[0]))
        now = db.now()
        store._ex(cur, "UPDATE web_corrections SET status = ?, reason = ?, reviewer = ?, reviewed = ? WHERE id = ?",
                  ("accepted" if accept else "rejected", reason, reviewer, now, c["id"]))
        entry = {"at": now, "user_name": reviewer, "action": action, "article_id": row[0], "target": c["target"],
                 "before": json.dumps(before, ensure_ascii=False) if before is not None else None,
                 "after": json.dumps(after, ensure_ascii=False) if after is not None else None,
                 "correction_id": c["id"]}
        entry["id"] = db.insert(store, "web_audit", entry, cur=cur)
    return entry


# -- applying --------------------------------------------------------------------------------------

def _find(record: dict, target: str) -> tuple[str, int]:
    """(layer, index) of the item `target` names in the record."""
    kind, _, ref = target.partition(":")
    layer = {"claim": "claims", "place": "places", "entity": "entities", "time": "times",
             "quantity": "quantities"}.get(kind)
    if layer is None:
        raise CorrectionError(f"unknown target {target!r}")
    for i, item in enumerate(record.get(layer) or []):
        key = item.get("entity") if kind == "place" else item.get("id") if kind in ("claim", "entity") \
            else str(item.get("start"))
        if key == ref:
            return layer, i
    raise CorrectionError(f"the article has no {kind} {ref!r}")


def _span_near(text: str, words: str, near: int) -> dict:
    words = words.strip()
    hits = [m.start() for m in re.finditer(re.escape(words), text)] if words else []
    if not hits:
        raise CorrectionError(f"{words[:60]!r} does not occur in the article text: quote it as written")
    s = min(hits, key=lambda h: abs(h - near))
    return {"start": s, "end": s + len(words), "text": words}


def _new_item(record: dict, target: str, field: str, value: str | None):
    """(layer, index or None, before, after) for a correction, without changing anything."""
    value = (value or "").strip()
    text = record.get("text") or ""
    if target == "article":
        parts = [p.strip() for p in value.split("|")]
        if len(parts) != 4:
            raise CorrectionError("a missing claim is given as: speaker | cue | content | stance")
        speaker, cue, content, stance = parts
        if stance not in STANCES:
            raise CorrectionError(f"stance must be one of {', '.join(STANCES)}")
        c_span = _span_near(text, content, 0)
        claims = record.get("claims") or []
        n = 1 + max([int(c["id"][1:]) for c in claims if str(c.get("id", "")).startswith("C")
                     and c["id"][1:].isdigit()] or [0])
        new = {"id": f"C{n}", "sentence": None, "cue": _span_near(text, cue, c_span["start"]),
               "speaker": _span_near(text, speaker, c_span["start"]), "content": c_span, "stance": stance,
               "via": [], "direct_quote": False, "targets": [], "corrected": True}
        return "claims", None, None, new
    layer, i = _find(record, target)
    old = record[layer][i]
    new = json.loads(json.dumps(old))
    if field in NO_VALUE:
        return layer, i, old, None
    if field == "stance":
        if value not in STANCES:
            raise CorrectionError(f"stance must be one of {', '.join(STANCES)}")
        new["stance"] = value
    elif field == "speaker":
        new["speaker"] = _span_near(text, value, old["cue"]["start"])
    elif field == "content":
        new["content"] = _span_near(text, value, old["content"]["start"])
    elif field == "coordinates":
        m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*[,،\s]\s*(-?\d+(?:\.\d+)?)\s*", value)
        if not m or not (-90 <= float(m.group(1)) <= 90 and -180 <= float(m.group(2)) <= 180):
            raise CorrectionError("coordinates are given as: lat, lon (for example 35.93, 36.63)")
        new["lat"], new["lon"] = float(m.group(1)), float(m.group(2))
        new["precision"] = "corrected"
    elif field == "name_en":
        new["name_en"] = value[:200]
    elif field == "value" and layer == "times":
        if not _TIME_VALUE.fullmatch(value):
            raise CorrectionError("a time value is YYYY, YYYY-MM, YYYY-MM-DD, PAST_REF, PRESENT_REF or FUTURE_REF")
        new["value"] = value
    elif field == "value" and layer == "quantities":
        try:
            v = float(value.replace(",", "").replace("٫", "."))
        except ValueError:
            raise CorrectionError("a quantity value is a number") from None
        new["value"] = int(v) if v.is_integer() else v
    else:
        raise CorrectionError(f"cannot correct {field!r} of {target!r}")
    new["corrected"] = True
    return layer, i, old, new


def _apply(store, cur, art_id: int, record: dict, target: str, field: str, value: str | None):
    """Change the record in place and its rows through `cur`; (before, after)."""
    layer, i, before, after = _new_item(record, target, field, value)
    local = target.partition(":")[2]

    def claim_id():
        store._ex(cur, "SELECT id FROM claims WHERE article_id = ? AND local_id = ?", (art_id, local))
        r = cur.fetchone()
        if r is None:
            raise CorrectionError(f"claim {local} is not stored")
        return r[0]

    def entity_id(lid):
        store._ex(cur, "SELECT id FROM entities WHERE article_id = ? AND local_id = ?", (art_id, lid))
        r = cur.fetchone()
        return r[0] if r else None

    if layer == "claims" and i is None:            # a missing claim
        record.setdefault("claims", []).append(after)
        emap = {}
        store._ex(cur, "SELECT local_id, id FROM entities WHERE article_id = ?", (art_id,))
        for lid, eid in cur.fetchall():
            emap[lid] = eid
        store._insert_claims(cur, art_id, [after], emap)
    elif layer == "claims":
        cid = claim_id()
        if after is None:
            record["claims"].pop(i)
            store._ex(cur, "DELETE FROM claims WHERE id = ?", (cid,))
        else:
            record["claims"][i] = after
            sp, co = after.get("speaker") or {}, after["content"]
            store._ex(cur, "UPDATE claims SET stance = ?, speaker_start = ?, speaker_end = ?, speaker_text = ?, "
                           "speaker_key = ?, speaker_entity = ?, content_start = ?, content_end = ?, "
                           "content_text = ? WHERE id = ?",
                      (after.get("stance"), sp.get("start"), sp.get("end"), sp.get("text"),
                       f" {name_key(sp['text'])} " if sp.get("text") else None,
                       entity_id(sp["entity"]) if sp.get("entity") else None,
                       co["start"], co["end"], co.get("text"), cid))
    elif layer == "places":
        eid = entity_id(local)
        if after is None:
            record["places"].pop(i)
            store._ex(cur, "DELETE FROM places WHERE article_id = ? AND entity_id = ?", (art_id, eid))
        else:
            record["places"][i] = after
            store._ex(cur, "UPDATE places SET lat = ?, lon = ?, precision = ? WHERE article_id = ? AND entity_id = ?",
                      (after["lat"], after["lon"], after["precision"], art_id, eid))
    elif layer == "entities":
        record["entities"][i] = after
        store._ex(cur, "UPDATE entities SET name_en = ? WHERE id = ?", (after["name_en"], entity_id(local)))
        store._ex(cur, "INSERT INTO entity_names (entity_id, key) SELECT ?, ? WHERE NOT EXISTS "
                       "(SELECT 1 FROM entity_names WHERE entity_id = ? AND key = ?)",
                  (entity_id(local), name_key(after["name_en"]), entity_id(local), name_key(after["name_en"])))
    elif layer == "times":
        record["times"][i] = after
        store._ex(cur, "UPDATE times SET value = ? WHERE article_id = ? AND start_off = ? AND end_off = ?",
                  (after["value"], art_id, after["start"], after["end"]))
    elif layer == "quantities":
        record["quantities"][i] = after
        store._ex(cur, "UPDATE quantities SET value = ? WHERE article_id = ? AND start_off = ? AND end_off = ?",
                  (float(after["value"]), art_id, after["start"], after["end"]))
    return before, after


# -- gold export -------------------------------------------------------------------------------------

def gold_lines(store) -> list[dict]:
    """The articles with accepted corrections, as gold records for `raqib eval` (see GOLD.md's
    format): their corrected claims, entities, times, places and quantities."""
    db.ensure_tables(store)
    ids = [r["article_id"] for r in store._all(
        "SELECT DISTINCT article_id FROM web_corrections WHERE status = 'accepted' AND kind = 'correction' "
        "ORDER BY article_id")]
    out = []
    for aid in ids:
        rec = store.get_article(int(aid))
        if rec is not None:
            out.append(to_gold(rec))
    return out


def to_gold(rec: dict) -> dict:
    ents = {e["id"]: e for e in rec.get("entities") or []}

    def ent_en(ref):
        e = ents.get(ref) or {}
        return e.get("name_en") or e.get("name")

    claims = []
    for c in rec.get("claims") or []:
        sp = c.get("speaker") or {}
        claims.append({"cue": c["cue"]["text"], "speaker": sp.get("text"), "speaker_en": ent_en(sp.get("entity")),
                       "speaker_type": (ents.get(sp.get("entity")) or {}).get("type"),
                       "content": c["content"]["text"], "stance": c.get("stance"),
                       "via": [v["text"] for v in c.get("via") or []],
                       "via_en": [ent_en(v.get("entity")) for v in c.get("via") or []],
                       "direct_quote": bool(c.get("direct_quote"))})
    places = []
    for p in rec.get("places") or []:
        e = ents.get(p.get("entity")) or {}
        for m in e.get("mentions") or []:
            places.append({"text": m["text"], "name_en": p.get("name_en"), "country": p.get("country"),
                           "lat": p.get("lat"), "lon": p.get("lon")})
    return {"id": rec.get("id"), "source": rec.get("source"), "published": rec.get("published"),
            "title": rec.get("title"), "text": rec["text"], "claims": claims,
            "entities": [{"name_en": e.get("name_en") or e.get("name"), "type": e.get("type"),
                          "mentions": sorted({m["text"] for m in e.get("mentions") or []})}
                         for e in rec.get("entities") or []],
            "times": [{"text": t["text"], "value": t.get("value")} for t in rec.get("times") or []],
            "places": places,
            "quantities": [{"text": q["text"], "value": q.get("value"), "approx": bool(q.get("approx")),
                            "unit": q.get("unit")} for q in rec.get("quantities") or []]}
