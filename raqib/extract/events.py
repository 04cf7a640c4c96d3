"""Events: typed incidents (who did what to whom, where, when, with how many casualties).

`extract_events(article)` fills `article.events` from the layers before it (tokens, sentences,
entities, places, times, quantities, claims):

* triggers — words and phrases of `lang/ar/event_types.tsv` matched over the tokens (every word
  of a phrase through its proclitic readings, longest match first, never inside an entity name such
  as منظمة حظر الأسلحة الكيميائية). Per sentence: strong triggers make events; weak ones only when
  the sentence has no strong one (a weak قصف becomes an air strike next to an air cue such as
  الطيران); generic ones (الهجوم، الضربة) are one more trigger of the article's latest event.
* actor — a named non-place entity that governs the trigger: the nearest one before it in the same
  clause (inside a claim, only within the claim's content, so the speaker is not the actor), or one
  right after it (غارات للتحالف، قصف قوات النظام). target — the first entity after على / ضد / استهدف
  following the trigger. Both are entity ids of the article.
* place — the place entity in the sentence nearest to the trigger, the finest first (the dateline
  and a place that speaks — قالت موسكو — do not count); its geo precision from the places layer.
  When the sentence names none, the finest place of the sentence before; else None (within the
  article such an event joins an event of the same type that has one).
* date — the dated time expression in the sentence nearest to the trigger (precision day, month
  or year), else the publication date (precision "published").
* killed / injured / displaced — numbers of the quantities layer in the sentence or the next one
  whose neighbouring words are casualty words (`lang/ar/event_casualties.tsv`), each with its
  quantity span and the claim whose content holds it.

Within one article, events of the same type with compatible places and dates are one event with
several triggers. Each event record:

    {"id": "V1", "type", "trigger": {"start","end","text"}, "triggers": [{"start","end","text"}],
     "sentence", "actor": entity id | null, "target": entity id | null,
     "place": entity id | null, "geo_precision": "exact"|"admin"|"country"|null,
     "place_source": "sentence"|"previous" (the place was named in the sentence before) | absent,
     "date": "YYYY-MM-DD"|"YYYY-MM"|"YYYY"|null, "time_precision": "day"|"month"|"year"|"published"|null,
     "killed"|"injured"|"displaced": {"value", "start", "end", "text", "claim": claim id | null} | null}
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ..lang import records
from ..text.normalize import normalize_key

TYPES = ("chemical_attack", "air_strike", "shelling", "clash", "explosion", "arrest_abduction",
         "displacement", "agreement", "protest", "aircraft_downed", "other_violence")
FIGURES = ("killed", "injured", "displaced")
TARGET_MARKERS = {"علي", "ضد", "استهدف", "استهدفت", "مستهدفا", "مستهدفه", "طال", "طالت"}
AGENT_LINKS = {"شنها", "شنته", "نفذها", "نفذه", "شنتها", "نفذتها"}
CLAUSE_BREAK = {"،", ",", ";", "؛", ":", "(", ")"}
PRECISION_RANK = {"exact": 0, "admin": 1, "country": 2, None: 3}
MERGE_KM = 25.0
MERGE_DAYS = 2
PUBLISHED_BACK = 5   # days before the publication date that an undated report may refer to
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _stem_set(tok) -> set:
    return {s for _, s in tok.stems} if tok.is_word else {tok.norm}


@lru_cache(maxsize=1)
def lexicon():
    """(phrases, air cues, casualty words): phrases by first word -> [(words, type, strength)], longest first."""
    phrases: dict = {}
    air = set()
    for r in records("event_types.tsv"):
        words = tuple(normalize_key(r["trigger"]).split())
        if not words:
            continue
        if r["strength"] == "air":
            air.add(words[0])
            continue
        phrases.setdefault(words[0], []).append((words, r["type"], r["strength"]))
    for v in phrases.values():
        v.sort(key=lambda x: -len(x[0]))
    casualty = {}
    for r in records("event_casualties.tsv"):
        w = normalize_key(r["word"]).split()
        if w:
            casualty[w[-1]] = r["kind"]
    return phrases, frozenset(air), casualty


def _match_phrase(toks, i, words) -> int:
    """Index after the last token when `words` match from token i (skipping nothing), else -1."""
    j = i
    for w in words:
        while j < len(toks) and not toks[j].is_word and toks[j].norm in ("-", "ـ"):
            j += 1
        if j >= len(toks) or not any(w == st for _, st in toks[j].stems):
            return -1
        j += 1
    return j


def find_triggers(article) -> list:
    """[(start, end, type, strength, token index)] in text order."""
    phrases, _, _ = lexicon()
    toks = article.tokens
    blocked = _entity_spans(article)
    out = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        hit = None
        if t.is_word:
            for _, st in t.stems:
                for words, typ, strength in phrases.get(st, ()):
                    j = _match_phrase(toks, i, words)
                    if j > 0 and (hit is None or j > hit[0]):
                        hit = (j, typ, strength)
                    if hit and j == hit[0]:
                        break
        if hit is not None:
            s, e = t.start, toks[hit[0] - 1].end
            if hit[2] == "none":
                i = hit[0]
                continue
            if not _inside(blocked, s, e):
                out.append((s, e, hit[1], hit[2], i))
                i = hit[0]
                continue
        i += 1
    return out


def _entity_spans(article) -> list:
    spans = []
    for e in article.entities:
        for m in e.get("mentions") or []:
            spans.append((m["start"], m["end"]))
    spans.sort()
    return spans


def _inside(spans, s, e) -> bool:
    """Whether [s, e) overlaps one of the sorted spans."""
    k = bisect.bisect_left(spans, (e, -1))
    for j in range(k - 1, max(k - 8, -1), -1):
        if spans[j][1] > s:
            return True
    return False


def _sentence_index(sent_starts, pos) -> int:
    return max(0, bisect.bisect_right(sent_starts, pos) - 1)


def extract_events(article) -> list:
    text = article.text
    sents = article.sentences or [{"start": 0, "end": len(text)}]
    sent_starts = [s["start"] for s in sents]
    triggers = find_triggers(article)
    if not triggers:
        article.events = []
        return article.events
    _, air, _ = lexicon()
    toks = article.tokens
    tok_starts = [t.start for t in toks]

    # group triggers by sentence; keep strong, else weak; generic attach to the latest event
    by_sent: dict = {}
    for tr in triggers:
        by_sent.setdefault(_sentence_index(sent_starts, tr[0]), []).append(tr)

    ctx = _Context(article, sents, sent_starts)
    ctx.trigger_sents = {si for si, trs in by_sent.items() if any(t[3] != "generic" for t in trs)}
    events: list = []
    for si in sorted(by_sent):
        trs = by_sent[si]
        has_air = None
        if any(t[3] in ("weak", "strong_if_air") for t in trs):
            s0, e0 = sents[si]["start"], sents[si]["end"]
            k0, k1 = bisect.bisect_left(tok_starts, s0), bisect.bisect_left(tok_starts, e0)
            has_air = any(_stem_set(toks[k]) & air for k in range(k0, k1))
        strong = [t for t in trs if t[3] == "strong" or (t[3] == "strong_if_air" and has_air)]
        chosen = strong or [t for t in trs if t[3] == "weak"]
        generic = [t for t in trs if t[3] == "generic"]
        if not strong and chosen:
            chosen = [(s, e, "air_strike" if (typ == "shelling" and has_air) else typ, st, k)
                      for s, e, typ, st, k in chosen]
        sent_events: dict = {}
        for s, e, typ, strength, k in chosen:
            ev = sent_events.get(typ)
            if ev is None:
                ev = ctx.build(typ, si, s, e, k)
                sent_events[typ] = ev
            else:
                ev["triggers"].append(article.span(s, e))
                ctx.fill(ev, si, s, e, k)
        new = list(sent_events.values())
        if generic and (new or events):
            last = (new or events)[-1]
            for s, e, _, _, k in generic:
                last["triggers"].append(article.span(s, e))
        events.extend(new)

    merged = _merge_local(events, article)
    for n, ev in enumerate(merged, 1):
        ev["id"] = f"V{n}"
        ev["triggers"].sort(key=lambda t: t["start"])
    article.events = merged
    return merged


class _Context:
    def __init__(self, article, sents, sent_starts):
        from .places import _dateline_end

        self.a = article
        self.tok_starts = [t.start for t in article.tokens]
        self.sents = sents
        self.sent_starts = sent_starts
        self.places = {p["entity"]: p for p in article.places if p.get("entity")}
        dl = _dateline_end(article.text)
        # entity mentions: (start, end, entity id, is_place)
        ms = []
        for e in article.entities:
            is_place = e["id"] in self.places or e.get("type") == "LOC"
            for m in e.get("mentions") or []:
                if is_place and m["start"] < dl:
                    continue
                ms.append((m["start"], m["end"], e["id"], is_place))
        ms.sort()
        self.mentions = ms
        self.times = sorted((t for t in article.times if _DATE.match(str(t.get("value") or ""))),
                            key=lambda t: t["start"])
        self.quantities = sorted(article.quantities, key=lambda q: q["start"])
        self.claims = sorted(article.claims, key=lambda c: c["content"]["start"])
        # speakers report events, they are not their actors
        self.speaker_spans = sorted((c["speaker"]["start"], c["speaker"]["end"]) for c in article.claims
                                    if c.get("speaker") and c["speaker"].get("start") is not None)
        pub = str(article.published or "")[:10]
        self.published = pub if _DATE.match(pub) else None
        focus = [p for p in article.places if p.get("focus") and p.get("entity")]
        focus.sort(key=lambda p: PRECISION_RANK.get(p.get("precision"), 3))
        self.focus = focus[0] if focus else None
        # the country the article is about: that of its finest focus place that is not itself a
        # state name (a country or a national capital speaking or acting for its state)
        fc = [p for p in focus if not _state_metonym(p)]
        self.focus_country = fc[0].get("country") if fc else None

    def _in_sentence(self, items, si, key="start"):
        s, e = self.sents[si]["start"], self.sents[si]["end"]
        return [x for x in items if s <= (x[0] if isinstance(x, tuple) else x[key]) < e]

    def _foreign_state(self, typ, place) -> bool:
        """A country or national capital other than the article's own country, named beside an
        incident that happens on the ground (strikes, shelling, clashes, chemical attacks): in
        conflict reporting such a name is an actor (موسكو، واشنطن، روسيا), not the scene."""
        return (typ in GROUND_TYPES and self.focus_country is not None and _state_metonym(place)
                and place.get("country") != self.focus_country)

    def claim_of(self, pos):
        for c in self.claims:
            if c["content"]["start"] <= pos < c["content"]["end"]:
                return c
        return None

    def build(self, typ, si, s, e, k) -> dict:
        ev = {"id": None, "type": typ, "trigger": self.a.span(s, e), "triggers": [self.a.span(s, e)],
              "sentence": si, "actor": None, "target": None, "place": None, "geo_precision": None,
              "date": None, "time_precision": None, "killed": None, "injured": None, "displaced": None}
        self.fill(ev, si, s, e, k)
        return ev

    def fill(self, ev, si, s, e, k):
        text = self.a.text
        sent_ms = self._in_sentence(self.mentions, si)
        claim = self.claim_of(s)
        lo = claim["content"]["start"] if claim else self.sents[si]["start"]
        # place: nearest place mention in the sentence
        if ev["place"] is None:
            best = None
            for ms, me, eid, is_place in sent_ms:
                # a place that speaks (قالت موسكو) is not where the event happened
                if is_place and eid in self.places and not _inside(self.speaker_spans, ms, me):
                    if self._foreign_state(typ_of(ev), self.places[eid]):
                        continue    # "وتنفي روسيا وقوع هجوم كيماوي": Russia acts, the attack was elsewhere
                    # the finest (a town before its governorate, before a country), then the nearest
                    d = (PRECISION_RANK.get(self.places[eid].get("precision"), 3), s - me if me <= s else ms - e)
                    if best is None or d < best[0]:
                        best = (d, eid)
            if best is None and si > 0:
                # else the last place named in the sentence before (… في مدينة دوما. وقالت إن الهجوم …)
                prev = [m for m in self._in_sentence(self.mentions, si - 1) if m[3] and m[2] in self.places
                        and not _inside(self.speaker_spans, m[0], m[1])
                        and not self._foreign_state(typ_of(ev), self.places[m[2]])]
                if prev:
                    ev["place_source"] = "previous"
                    best = (None, min(prev, key=lambda m: (PRECISION_RANK.get(self.places[m[2]].get("precision"), 3),
                                                           -m[0]))[2])
            if best is not None:
                ev.setdefault("place_source", "sentence")
                ev["place"] = best[1]
                ev["geo_precision"] = self.places[best[1]].get("precision")
        # actor / target
        if ev["actor"] is None or ev["target"] is None:
            actor, target = self._roles(sent_ms, s, e, lo, text)
            ev["actor"] = ev["actor"] or actor
            ev["target"] = ev["target"] or target
        # date
        if ev["date"] is None or ev["time_precision"] == "published":
            ts = self._in_sentence(self.times, si)
            if ts:
                t = min(ts, key=lambda t: abs(t["start"] - s))
                v = str(t["value"])
                ev["date"] = v
                ev["time_precision"] = {10: "day", 7: "month", 4: "year"}[len(v)]
            elif ev["date"] is None and self.published:
                ev["date"] = self.published
                ev["time_precision"] = "published"
        # casualty figures: this sentence, then the next
        for sj in (si, si + 1):
            if sj >= len(self.sents) or (sj > si and sj in self.trigger_sents):
                break     # the next sentence's figures belong to its own events
            for q in self._in_sentence(self.quantities, sj):
                kind = self._figure_kind(q)
                if kind and ev[kind] is None and isinstance(q.get("value"), (int, float)):
                    c = self.claim_of(q["start"])
                    ev[kind] = {"value": q["value"], "start": q["start"], "end": q["end"], "text": q["text"],
                                "claim": c["id"] if c else None}

    def _roles(self, sent_ms, s, e, lo, text):
        actor = target = None
        # target: first named entity after a target marker following the trigger
        after = [m for m in sent_ms if m[0] >= e]
        toks = self.a.tokens
        k = bisect.bisect_left(self.tok_starts, e)
        marker_pos = None
        for t in toks[k:k + 12]:
            if t.norm in CLAUSE_BREAK or t.norm in (".", "!", "?", "؟"):
                break
            if _stem_set(t) & TARGET_MARKERS or t.norm in TARGET_MARKERS:
                marker_pos = t.end
                break
        if marker_pos is not None:
            for ms, me, eid, is_place in after:
                if ms >= marker_pos - 3 and ms - marker_pos < 40:
                    if not is_place or self.places.get(eid, {}).get("precision") == "country":
                        target = eid
                    break
        # between two sides: اشتباكات بين A و B
        for t in toks[k:k + 4]:
            if t.norm == "بين":
                sides = [m for m in after if m[0] >= t.end and not m[3] and m[0] - t.end < 60]
                if sides:
                    a = sides[0][2]
                    b = next((m[2] for m in sides[1:] if m[2] != a), None)
                    return a, b
                break
        # actor: an organisation/person right after the trigger (genitive: قصف قوات النظام)
        for ms, me, eid, is_place in after:
            if ms - e <= 3 and not is_place and eid != target and not _inside(self.speaker_spans, ms, me):
                actor = eid
            break
        if actor is None:
            before = [m for m in sent_ms if lo <= m[0] and m[1] <= s and not m[3]
                      and not _inside(self.speaker_spans, m[0], m[1])]
            if before:
                ms, me, eid, _ = before[-1]
                gap = text[me:s]
                if not any(c in gap for c in "،,؛;:") and len(gap) < 80:
                    actor = eid
        return actor, target

    def _figure_kind(self, q):
        _, _, casualty = lexicon()
        toks = self.a.tokens
        starts = self.tok_starts
        k0 = bisect.bisect_left(starts, q["start"])
        k1 = bisect.bisect_left(starts, q["end"])
        # the noun governing the number (مقتل 11 شخصا), the counted noun itself (42 قتيلا), then words
        # after (42 شخصا قتلوا), then further words before
        order = list(range(k0 - 1, max(k0 - 2, -1), -1)) + list(range(k0, min(k1, len(toks)))) + \
            list(range(k1, min(k1 + 4, len(toks)))) + list(range(k0 - 2, max(k0 - 4, -1), -1))
        for j in order:
            t = toks[j]
            if t.norm in (".", "!", "?", "؟"):
                continue
            for st in _stem_set(t):
                kind = casualty.get(st)
                if kind:
                    return kind
        return None


def _merge_local(events, article) -> list:
    """Events of the same type in one article with compatible places and dates become one."""
    from ..kb.gazetteer import haversine

    places = {p["entity"]: p for p in article.places if p.get("entity")}
    out: list = []
    for ev in events:
        target = None
        for o in out:
            if o["type"] != ev["type"]:
                continue
            if ev["place"] and o["place"] and ev["place"] != o["place"]:
                a, b = places.get(ev["place"]), places.get(o["place"])
                if not (a and b and a.get("lat") is not None and b.get("lat") is not None and
                        haversine(a["lat"], a["lon"], b["lat"], b["lon"]) <= MERGE_KM):
                    if not (a and b and _contains(a, b)):
                        continue
            if not dates_compatible(ev["date"], ev["time_precision"], o["date"], o["time_precision"]):
                continue
            target = o
            break
        if target is None:
            out.append(ev)
            continue
        target["triggers"].extend(ev["triggers"])
        for k in ("actor", "target"):
            target[k] = target[k] or ev[k]
        if PRECISION_RANK.get(ev["geo_precision"], 3) < PRECISION_RANK.get(target["geo_precision"], 3):
            target["place"], target["geo_precision"] = ev["place"], ev["geo_precision"]
            if ev.get("place_source"):
                target["place_source"] = ev["place_source"]
        if target["time_precision"] in ("published", None) and ev["time_precision"] not in ("published", None):
            target["date"], target["time_precision"] = ev["date"], ev["time_precision"]
        for f in FIGURES:
            target[f] = target[f] or ev[f]
    return out


def _contains(a, b) -> bool:
    """One place is the governorate/country of the other."""
    for x, y in ((a, b), (b, a)):
        if x.get("precision") == "country" and x.get("country") and x.get("country") == y.get("country"):
            return True
        if x.get("precision") == "admin" and x.get("admin1") and x.get("admin1") == y.get("admin1"):
            return True
    return False


def date_range(value, precision):
    """(lo, hi) ISO day strings covered by a date value, or None. A date known only from the
    publication covers the PUBLISHED_BACK days before it (an event is reported after it happens)."""
    import calendar

    if not value:
        return None
    v = str(value)
    try:
        if len(v) == 10:
            return (shift(v, -PUBLISHED_BACK), v) if precision == "published" else (v, v)
        if len(v) == 7:
            y, m = int(v[:4]), int(v[5:7])
            return f"{v}-01", f"{v}-{calendar.monthrange(y, m)[1]:02d}"
        if len(v) == 4:
            return f"{v}-01-01", f"{v}-12-31"
    except ValueError:
        return None
    return None


GROUND_TYPES = frozenset({"chemical_attack", "air_strike", "shelling", "clash", "aircraft_downed"})


def typ_of(ev) -> str:
    return ev.get("type") or ""


def _state_metonym(place: dict) -> bool:
    """A country, or a national capital (the gazetteer's source notes 'capital')."""
    if place.get("kind") == "country":
        return True
    gid = place.get("gazetteer")
    if not gid:
        return False
    from ..kb.gazetteer import load_gazetteer
    rec = load_gazetteer().get(gid)
    return rec is not None and "capital" in (rec.source or "")


def shift(day: str, days: int) -> str:
    """An ISO day moved by `days`; ValueError for a malformed day or one moved off the calendar."""
    import datetime as dt
    try:
        return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    except OverflowError:
        raise ValueError(f"{day} moved by {days} days leaves the calendar") from None


def dates_compatible(d1, p1, d2, p2) -> bool:
    r1, r2 = date_range(d1, p1), date_range(d2, p2)
    if r1 is None or r2 is None:
        return True
    try:
        return shift(r1[0], -MERGE_DAYS) <= r2[1] and r2[0] <= shift(r1[1], MERGE_DAYS)
    except ValueError:
        return False
