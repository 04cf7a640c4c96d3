"""Events across articles: every article's events (its `events` layer) are stored as mentions and
merged with the reports of the same incident by other articles, in the article's own transaction.

Tables (both back ends):

    events          id, type, date (the best-known date), time_precision, date_lo, date_hi (the days
                    its reports cover), place_name, lat, lon, country, admin1, admin1_key,
                    geo_precision, actor, target, killed, injured, displaced, n_mentions
    event_mentions  event_id, article_id, local_id (V1...), type, start_off, end_off, text (the
                    trigger that reports it), date, time_precision, place_name, lat, lon, country,
                    admin1_key, geo_precision, actor, target, killed, injured, displaced,
                    killed_claim, injured_claim, displaced_claim (local claim ids)

Merge rule: a new report joins the stored event of the same type (or, when both are placed
within 25 km, of the other type of its group: air_strike / shelling, see TYPE_GROUPS) whose days overlap its own
widened by ±2 days (a month or a year covers its whole range) and whose place is compatible: both
within 25 km, or one is the governorate/region or the country of the other (same admin1 or
country). Two reports without a place merge on type and date; a report with a place does not join
one without. A report whose trigger is definite (الهجوم الكيماوي على دوما, ten days later) that
fits no event, or whose type is a rare landmark (chemical attack, aircraft downed), may also join
an established event (3 reports or more) of the same type within 25 km in the 30 days before, and
among its candidates the most reported wins (a landmark report naming no place in its sentence
too, wherever the sentence before is: "موسكو ... ونفت روسيا وقوع الهجوم الكيماوي"). Otherwise the nearest in space (5 km
steps), then in time, wins. The event keeps the finest
place of its reports and the first actor and target named; the days it covers grow only with
reports dated to the day in their text. The export (`list_events`) gives the day most reports
give and the median of the reported figures (the table keeps the largest).

Writers merging at the same time: SQLite serialises write transactions; PostgreSQL takes a
transaction-level advisory lock before merging.
"""
from __future__ import annotations

import re
from collections import Counter

from ..extract.events import FIGURES, MERGE_DAYS, MERGE_KM, PRECISION_RANK, date_range, shift
from ..text.normalize import normalize_key
from .base import date_bound, name_key

_LOCK = 0x72716576  # 'rqev'

_COLS_EVENT = ("type TEXT NOT NULL, date TEXT, time_precision TEXT, date_lo TEXT, date_hi TEXT, "
               "place_name TEXT, lat {real}, lon {real}, country TEXT, admin1 TEXT, admin1_key TEXT, "
               "geo_precision TEXT, actor TEXT, target TEXT, killed {real}, injured {real}, displaced {real}, "
               "n_mentions INTEGER NOT NULL")
_COLS_MENTION = ("local_id TEXT NOT NULL, type TEXT NOT NULL, start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, "
                 "text TEXT, date TEXT, time_precision TEXT, place_name TEXT, lat {real}, lon {real}, country TEXT, "
                 "admin1_key TEXT, geo_precision TEXT, actor TEXT, target TEXT, killed {real}, injured {real}, "
                 "displaced {real}, killed_claim TEXT, injured_claim TEXT, displaced_claim TEXT")

SQLITE_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY, {_COLS_EVENT.format(real="REAL")}
);
CREATE INDEX IF NOT EXISTS events_type_date ON events(type, date_lo, date_hi);
CREATE TABLE IF NOT EXISTS event_mentions (
  event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  {_COLS_MENTION.format(real="REAL")}
);
CREATE INDEX IF NOT EXISTS event_mentions_event ON event_mentions(event_id);
CREATE INDEX IF NOT EXISTS event_mentions_article ON event_mentions(article_id);
"""

POSTGRES_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS events (
  id BIGSERIAL PRIMARY KEY, {_COLS_EVENT.format(real="DOUBLE PRECISION")}
);
CREATE INDEX IF NOT EXISTS events_type_date ON events(type, date_lo, date_hi);
CREATE TABLE IF NOT EXISTS event_mentions (
  event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  {_COLS_MENTION.format(real="DOUBLE PRECISION")}
);
CREATE INDEX IF NOT EXISTS event_mentions_event ON event_mentions(event_id);
CREATE INDEX IF NOT EXISTS event_mentions_article ON event_mentions(article_id)
"""

_EVENT_FIELDS = ("id", "type", "date", "time_precision", "date_lo", "date_hi", "place_name", "lat", "lon",
                 "country", "admin1", "admin1_key", "geo_precision", "actor", "target", "killed", "injured",
                 "displaced", "n_mentions")


def _is_pg(store) -> bool:
    return type(store).__name__ == "PostgresStore"


def _fetch(store, cur, sql, params=()):
    cur.execute(store._sql(sql), store._params(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _mention_row(rec: dict, ev: dict) -> dict:
    """The flat description of one article event (names instead of local entity ids)."""
    ents = {e["id"]: e for e in rec.get("entities") or []}
    places = {p["entity"]: p for p in rec.get("places") or [] if p.get("entity")}
    place = places.get(ev.get("place")) or {}
    pent = ents.get(ev.get("place")) or {}
    trig = ev.get("trigger") or {}
    row = {
        "local_id": ev.get("id"), "type": ev["type"], "start_off": trig.get("start", 0),
        "end_off": trig.get("end", 0), "text": trig.get("text"),
        "date": ev.get("date"), "time_precision": ev.get("time_precision"),
        "place_name": pent.get("name"), "lat": place.get("lat"), "lon": place.get("lon"),
        "country": place.get("country"), "admin1": place.get("admin1"),
        "admin1_key": name_key(place.get("admin1") or "") or None,
        "geo_precision": ev.get("geo_precision") if place else None,
        "place_weak": not place or ev.get("place_source") == "previous",
        "actor": (ents.get(ev.get("actor")) or {}).get("name"),
        "target": (ents.get(ev.get("target")) or {}).get("name"),
    }
    for f in FIGURES:
        fig = ev.get(f) or {}
        v = fig.get("value")
        row[f] = float(v) if isinstance(v, (int, float)) else None
        row[f + "_claim"] = fig.get("claim")
    return row


def _places_compatible(m: dict, e: dict) -> bool:
    if m["place_name"] is None and e["place_name"] is None:
        return True
    if m["place_name"] is None or e["place_name"] is None:
        return False
    if None not in (m["lat"], m["lon"], e["lat"], e["lon"]):
        from ..kb.gazetteer import haversine
        if haversine(m["lat"], m["lon"], e["lat"], e["lon"]) <= MERGE_KM:
            return True
    for x, y in ((m, e), (e, m)):
        if x["geo_precision"] == "country" and x["country"] and x["country"] == y["country"]:
            return True
        if x["geo_precision"] == "admin" and x["admin1_key"] and x["admin1_key"] == y["admin1_key"]:
            return True
    return False


def _distance(m: dict, e: dict) -> float:
    if None in (m["lat"], m["lon"], e["lat"], e["lon"]):
        return 1e6
    from ..kb.gazetteer import haversine
    return haversine(m["lat"], m["lon"], e["lat"], e["lon"])


def write_events(store, cur, art_id: int, record: dict) -> None:
    """Store the record's events and merge them into the archive's events (inside the article's
    write transaction `cur`)."""
    evs = record.get("events") or []
    if not evs:
        return
    if _is_pg(store):
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
    mentions = []
    for ev in evs:
        if not isinstance(ev, dict) or not ev.get("type"):
            continue
        m = _mention_row(record, ev)
        rng = date_range(m["date"], m["time_precision"])
        m["date_lo"], m["date_hi"] = rng if rng else (None, None)
        event = _find_event(store, cur, m)
        if event is None:
            eid = store._alloc_ids(cur, "events", 1)[0]
            cols = [c for c in _EVENT_FIELDS]
            vals = {**{k: m.get(k) for k in cols}, "id": eid, "n_mentions": 1}
            cur.execute(store._sql(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"),
                        store._params([vals[c] for c in cols]))
        else:
            eid = event["id"]
            _update_event(store, cur, event, m)
        mentions.append((eid, art_id, m["local_id"], m["type"], m["start_off"], m["end_off"], m["text"], m["date"],
                         m["time_precision"], m["place_name"], m["lat"], m["lon"], m["country"], m["admin1_key"],
                         m["geo_precision"], m["actor"], m["target"], m["killed"], m["injured"], m["displaced"],
                         m["killed_claim"], m["injured_claim"], m["displaced_claim"]))
    store._many(cur, "INSERT INTO event_mentions (event_id, article_id, local_id, type, start_off, end_off, text, "
                     "date, time_precision, place_name, lat, lon, country, admin1_key, geo_precision, actor, target, "
                     "killed, injured, displaced, killed_claim, injured_claim, displaced_claim) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", mentions)


def _find_event(store, cur, m: dict):
    if m["date_lo"] is None:
        return None
    try:
        lo, hi = shift(m["date_lo"], -MERGE_DAYS), shift(m["date_hi"], MERGE_DAYS)
    except ValueError:
        return None
    types = _merge_types(m)
    cands = _fetch(store, cur, f"SELECT {', '.join(_EVENT_FIELDS)} FROM events WHERE type IN "
                               f"({', '.join('?' * len(types))}) AND date_lo <= ? AND date_hi >= ? ORDER BY id LIMIT 500",
                   (*types, hi, lo))
    # another type of the group joins only a placed event within the merge distance
    cands = [e for e in cands if e["type"] == m["type"] or (e["place_name"] and _distance(m, e) <= MERGE_KM)]
    definite = _definite(m["text"]) and (m["type"] in LANDMARK_TYPES or not cands)
    if definite:
        # "الهجوم الكيماوي على دوما" in a later article (dated by its publication, or by another
        # verb of its sentence): also the established events (LOOKBACK_MIN reports) of that type
        # within 25 km in the LOOKBACK_DAYS before; the most reported one wins
        try:
            back = shift(m["date_hi"], -LOOKBACK_DAYS)
        except ValueError:
            back = None
        if back:
            seen = {e["id"] for e in cands}
            cands += [e for e in _fetch(store, cur, f"SELECT {', '.join(_EVENT_FIELDS)} FROM events WHERE type = ? "
                                                    f"AND date_hi >= ? AND date_lo <= ? AND n_mentions >= ? "
                                                    f"ORDER BY id LIMIT 500", (m["type"], back, hi, LOOKBACK_MIN))
                      if e["id"] not in seen and e["place_name"]
                      and (_distance(m, e) <= MERGE_KM or (m["place_weak"] and m["type"] in LANDMARK_TYPES))]
    best = None
    for e in cands:
        placeless_ref = definite and m["place_weak"] and m["type"] in LANDMARK_TYPES
        if not (_places_compatible(m, e) or (placeless_ref and e["n_mentions"] >= LOOKBACK_MIN)):
            continue
        near = 0 if placeless_ref else _distance(m, e) // 5
        key = (near, e["type"] != m["type"], -int(e["n_mentions"]) if definite else 0,
               abs(_days(m["date_lo"]) - _days(e["date_lo"])), e["id"])
        if best is None or key < best[0]:
            best = (key, e)
    return best[1] if best else None


# types that outlets use for one incident: missiles told as an air strike by one, as shelling by
# another. A placed report may join a placed event of the other type of its group within the merge
# distance; the event takes the type most of its reports give.
TYPE_GROUPS = ({"air_strike", "shelling"},)


def _merge_types(m: dict) -> tuple:
    if m.get("place_name") and not m.get("place_weak"):
        for g in TYPE_GROUPS:
            if m["type"] in g:
                return tuple(sorted(g))
    return (m["type"],)


LOOKBACK_DAYS = 30
LOOKBACK_MIN = 3
# rare incidents that later reports name as "the" attack: a definite trigger prefers the established
# event over one dated by another verb of its sentence; other types look back only when nothing fits
LANDMARK_TYPES = frozenset({"chemical_attack", "aircraft_downed"})
_DEFINITE = re.compile(r"^[وفبلك]{0,2}ال")


def _definite(text) -> bool:
    """Whether a trigger refers back (الهجوم, بالهجوم, والغارات)."""
    return bool(text) and bool(_DEFINITE.match(normalize_key(text)))


def _days(day: str) -> int:
    import datetime as dt
    try:
        return dt.date.fromisoformat(day).toordinal()
    except (TypeError, ValueError):
        return 0


_TP_RANK = {"day": 0, "month": 1, "year": 2, "published": 3, None: 4}


def _update_event(store, cur, e: dict, m: dict) -> None:
    new = dict(e)
    new["n_mentions"] = int(e["n_mentions"]) + 1
    # the days covered grow only with reports dated in their text to the day (no chaining through
    # reports dated by their publication or to a month); a day narrows a vaguer range
    if m["date_lo"] and (not e["date_lo"] or m["time_precision"] == "day"):
        if e["time_precision"] == "day" and e["date_lo"]:
            new["date_lo"], new["date_hi"] = min(e["date_lo"], m["date_lo"]), max(e["date_hi"], m["date_hi"])
        else:
            new["date_lo"], new["date_hi"] = m["date_lo"], m["date_hi"]
    if _TP_RANK.get(m["time_precision"], 4) < _TP_RANK.get(e["time_precision"], 4):
        new["date"], new["time_precision"] = m["date"], m["time_precision"]
    if m["place_name"] and PRECISION_RANK.get(m["geo_precision"], 3) < PRECISION_RANK.get(e["geo_precision"], 3):
        for k in ("place_name", "lat", "lon", "country", "admin1", "admin1_key", "geo_precision"):
            new[k] = m.get(k)
    for k in ("actor", "target"):
        new[k] = e[k] or m[k]
    if m["type"] != e["type"]:      # the type most of its reports give (ties keep the first)
        counts = Counter({r["type"]: int(r["n"]) for r in _fetch(
            store, cur, "SELECT type, COUNT(*) AS n FROM event_mentions WHERE event_id = ? GROUP BY type", (e["id"],))})
        counts[m["type"]] += 1
        if counts[m["type"]] > counts[e["type"]]:
            new["type"] = m["type"]
    for f in FIGURES:
        vals = [v for v in (e[f], m[f]) if v is not None]
        new[f] = max(vals) if vals else None
    cols = [c for c in _EVENT_FIELDS if c != "id"]
    cur.execute(store._sql(f"UPDATE events SET {', '.join(c + ' = ?' for c in cols)} WHERE id = ?"),
                store._params([new[c] for c in cols] + [e["id"]]))


# -- reading ---------------------------------------------------------------------------------------

def list_events(store, type=None, since=None, until=None, place=None, limit=None, spans: str = "article"
                ) -> list[dict]:
    """Merged events, oldest first, in the export shape of `raqib events --json`.

    spans="article": one mention per reporting article (its first trigger); spans="all": every
    span of every article that reports the event (each sentence that names it), read from the
    articles' records: what `raqib events --json` exports."""
    where, params = [], []
    if type:
        where.append("e.type = ?")
        params.append(type)
    lo, hi = date_bound(since, upper=False), date_bound(until, upper=True)
    if lo:
        where.append("e.date_hi >= ?")
        params.append(lo)
    if hi:
        where.append("e.date_lo <= ?")
        params.append(hi)
    sql = (f"SELECT {', '.join('e.' + c for c in _EVENT_FIELDS)} FROM events e"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY e.date_lo, e.id")
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    rows = store._all(sql, params)
    if place:
        key = name_key(place)
        rows = [r for r in rows if key and key in (name_key(r["place_name"] or ""), r["admin1_key"] or "")]
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    ments: dict = {}
    facts: dict = {}
    for chunk in _chunks(ids, 500):
        for m in store._all(
                f"SELECT m.event_id, m.article_id, m.local_id, m.start_off, m.end_off, m.text, m.date, "
                f"m.time_precision, m.killed, m.injured, m.displaced, a.ext_id, a.source, a.published "
                f"FROM event_mentions m "
                f"JOIN articles a ON a.id = m.article_id WHERE m.event_id IN ({', '.join('?' * len(chunk))}) "
                f"ORDER BY a.pub_date, m.article_id, m.start_off", chunk):
            agg = facts.setdefault(m["event_id"], {"days": [], "killed": [], "injured": [], "displaced": []})
            if m["time_precision"] == "day" and m["date"]:
                agg["days"].append(m["date"])
            for f in FIGURES:
                if m[f] is not None:
                    agg[f].append(m[f])
            ments.setdefault(m["event_id"], []).append({
                "article": m["ext_id"] if m["ext_id"] is not None else str(m["article_id"]),
                "start": m["start_off"], "end": m["end_off"], "text": m["text"], "event": m["local_id"],
                "source": m["source"], "published": m["published"], "article_store": m["article_id"]})
    if spans == "all":
        _all_spans(store, ments)
    out = []
    for r in rows:
        agg = facts.get(r["id"]) or {}
        if agg.get("days"):     # the day most reports give (the earliest of equals)
            r["date"] = min(Counter(agg["days"]).items(), key=lambda kv: (-kv[1], kv[0]))[0]
            r["time_precision"] = "day"
        for f in FIGURES:       # the median of the figures reported (robust to one wrong figure)
            vals = sorted(agg.get(f) or [])
            r[f] = vals[(len(vals) - 1) // 2] if vals else r[f]
        out.append({
            "id": r["id"], "type": r["type"], "date": r["date"], "time_precision": r["time_precision"],
            "place": {"name": r["place_name"], "lat": r["lat"], "lon": r["lon"], "country": r["country"],
                      "admin1": r["admin1"], "precision": r["geo_precision"]},
            "actor": r["actor"], "target": r["target"],
            "killed": _num(r["killed"]), "injured": _num(r["injured"]), "displaced": _num(r["displaced"]),
            "mentions": [{k: v for k, v in m.items() if k != "article_store"} for m in ments.get(r["id"], [])],
        })
    return out


def _all_spans(store, ments: dict) -> None:
    """Replace each article's mention by every trigger span its event has in the article's record."""
    import json
    need = {(m["article_store"], m["event"]) for ms in ments.values() for m in ms}
    triggers: dict = {}
    arts = sorted({a for a, _ in need})
    for chunk in _chunks(arts, 200):
        for r in store._all(f"SELECT id, record FROM articles WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
            for ev in json.loads(r["record"]).get("events") or []:
                if (r["id"], ev.get("id")) in need:
                    triggers[(r["id"], ev["id"])] = ev.get("triggers") or [ev.get("trigger")]
    for eid, ms in ments.items():
        out = []
        for m in ms:
            trigs = [t for t in triggers.get((m["article_store"], m["event"])) or [] if t]
            if not trigs:
                out.append(m)
                continue
            for t in sorted(trigs, key=lambda t: t["start"]):
                out.append({**m, "start": t["start"], "end": t["end"], "text": t.get("text")})
        ments[eid] = out


def _num(v):
    if v is None:
        return None
    return int(v) if float(v).is_integer() else float(v)


def _chunks(xs, n):
    for i in range(0, len(xs), n):
        yield xs[i:i + n]
