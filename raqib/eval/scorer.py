"""Scores contract-v1 records against gold annotations (the rules of the gold files' GOLD.md).

claims: content spans overlapping by at least half the shorter span, matched one-to-one in gold
order; speaker, stance and via judged on matched claims. entities: same type and a shared
normalised mention. times / quantities: the first predicted span overlapping the gold text carries
the same value. places: the first predicted place mention overlapping the gold text is within
25 km (100 km for governorates, districts and regions; countries by ISO code).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

_DIAC = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_ALEF = re.compile("[أإآٱ]")
_QUOTES = re.compile(r"[\"“”«»'‘’]")
_SPACES = re.compile(r"\s+")


def fold(s: str | None) -> str:
    """The gold files' comparison form (hamza, alef maqsura, ta marbuta, tatweel, diacritics, quotes)."""
    s = _DIAC.sub("", s or "")
    s = _ALEF.sub("ا", s)
    s = s.translate(str.maketrans({"ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}))
    s = _QUOTES.sub("", s)
    return _SPACES.sub(" ", s).strip()


def fold_en(s: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).strip()


def find_all(text: str, sub: str) -> list[tuple[int, int]]:
    out = []
    if not sub:
        return out
    i = text.find(sub)
    while i >= 0:
        out.append((i, i + len(sub)))
        i = text.find(sub, i + 1)
    return out


def overlap(a, b) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def half_overlap(a, b) -> bool:
    o = overlap(a, b)
    return o > 0 and o >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _span(d):
    if d and "start" in d and "end" in d:
        return d["start"], d["end"]
    return None


@dataclass
class Counts:
    claims_tp: int = 0
    claims_pred: int = 0
    claims_gold: int = 0
    speaker_ok: int = 0
    stance_ok: int = 0
    via_gold: int = 0
    via_ok: int = 0
    ent_tp: int = 0
    ent_pred: int = 0
    ent_gold: int = 0
    ent_pred_ok: int = 0
    time_gold: int = 0
    time_ok: int = 0
    place_gold: int = 0
    place_ok: int = 0
    qty_gold: int = 0
    qty_ok: int = 0
    missing: int = 0
    errors: list = field(default_factory=list)  # per-item misses, for `raqib eval --errors`


class _Remap:
    """Maps a predicted span onto the gold text when the prediction analysed another text."""

    def __init__(self, gold_text, pred_text):
        self.g, self.p = gold_text, pred_text

    def __call__(self, sp):
        if sp is None or self.g == self.p:
            return sp
        occ = find_all(self.g, self.p[sp[0]:sp[1]])
        return min(occ, key=lambda o: abs(o[0] - sp[0])) if occ else None


def score_article(g: dict, p: dict | None, c: Counts, keep_errors=False) -> None:
    text = g["text"]
    if p is None:
        c.missing += 1
        p = {}
    remap = _Remap(text, p.get("text", text))
    ents = {e.get("id"): e for e in p.get("entities", [])}
    _score_claims(g, p, c, text, remap, ents, keep_errors)
    _score_entities(g, p, c, text, remap)
    _score_times(g, p, c, text, remap, keep_errors)
    _score_places(g, p, c, text, remap, ents, keep_errors)
    _score_quantities(g, p, c, text, remap, keep_errors)


def _score_claims(g, p, c, text, remap, ents, keep_errors):
    pcl = p.get("claims", [])
    c.claims_pred += len(pcl)
    c.claims_gold += len(g.get("claims", []))
    used = set()
    for gc in g.get("claims", []):
        c.via_gold += len(gc.get("via", []))
        gspans = find_all(text, gc["content"])
        hit = None
        for i, pc in enumerate(pcl):
            if i in used:
                continue
            ps = remap(_span(pc.get("content")))
            if ps and any(half_overlap(ps, gs) for gs in gspans):
                hit = i
                break
        if hit is None:
            if keep_errors:
                c.errors.append(("claim_missed", g["id"], gc))
            continue
        used.add(hit)
        c.claims_tp += 1
        pc = pcl[hit]
        sp = pc.get("speaker") or {}
        ok = _speaker_ok(gc, sp, text, remap, ents)
        c.speaker_ok += ok
        st = pc.get("stance") == gc.get("stance")
        c.stance_ok += st
        if keep_errors and not ok:
            c.errors.append(("speaker", g["id"], gc, pc))
        if keep_errors and not st:
            c.errors.append(("stance", g["id"], gc, pc))
        for v in gc.get("via", []):
            vs = find_all(text, v)
            if any((pv_s := remap(_span(pv))) and any(overlap(pv_s, o) > 0 for o in vs)
                   for pv in pc.get("via", []) or []):
                c.via_ok += 1
            elif keep_errors:
                c.errors.append(("via", g["id"], gc, pc))
    if keep_errors:
        for i, pc in enumerate(pcl):
            if i not in used:
                c.errors.append(("claim_spurious", g["id"], pc))


def _speaker_ok(gc, sp, text, remap, ents) -> bool:
    if not gc.get("speaker"):
        return not sp
    ps = remap(_span(sp))
    if ps and any(overlap(ps, o) > 0 for o in find_all(text, gc["speaker"])):
        return True
    ent = ents.get(sp.get("entity")) if sp else None
    if ent is None:
        return False
    if gc.get("speaker_en") and fold_en(ent.get("name_en")) == fold_en(gc["speaker_en"]):
        return True
    gs = fold(gc["speaker"])
    for m in ent.get("mentions", []):
        ms = remap(_span(m))
        if ms and fold(text[ms[0]:ms[1]]) == gs:
            return True
    return False


def _score_entities(g, p, c, text, remap):
    pe = []
    for e in p.get("entities", []):
        forms = {fold(text[ms[0]:ms[1]]) for m in e.get("mentions", []) if (ms := remap(_span(m)))}
        pe.append((e.get("type"), forms))
    c.ent_pred += len(pe)
    c.ent_gold += len(g.get("entities", []))
    matched = set()
    for ge in g.get("entities", []):
        gforms = {fold(m) for m in ge.get("mentions", [])}
        hits = [i for i, (t, forms) in enumerate(pe) if t == ge.get("type") and forms & gforms]
        if hits:
            c.ent_tp += 1
            matched.update(hits)
    c.ent_pred_ok += len(matched)


def _first_overlapping(items, occ):
    for sp, *rest in items:
        if sp and any(overlap(sp, o) > 0 for o in occ):
            return (sp, *rest)
    return None


def _score_times(g, p, c, text, remap, keep_errors):
    pt = [(remap(_span(t)), t.get("value")) for t in p.get("times", [])]
    for gt in g.get("times", []):
        c.time_gold += 1
        hit = _first_overlapping(pt, find_all(text, gt["text"]))
        if hit and hit[1] == gt["value"]:
            c.time_ok += 1
        elif keep_errors:
            c.errors.append(("time", g["id"], gt, hit))


def _score_places(g, p, c, text, remap, ents, keep_errors):
    pp = []
    for pl in p.get("places", []):
        e = ents.get(pl.get("entity"))
        if not e or pl.get("lat") is None:
            continue
        for m in e.get("mentions", []):
            if ms := remap(_span(m)):
                pp.append((ms, pl))
    for gp in g.get("places", []):
        c.place_gold += 1
        hit = _first_overlapping(pp, find_all(text, gp["text"]))
        ok = False
        if hit:
            pl = hit[1]
            if pl.get("kind") == "country" and pl.get("country") and gp.get("country"):
                ok = str(pl["country"]).upper() == str(gp["country"]).upper()
            else:
                limit = 100 if pl.get("kind") in ("governorate", "district", "region") else 25
                ok = km(pl["lat"], pl["lon"], gp["lat"], gp["lon"]) <= limit
        c.place_ok += ok
        if keep_errors and not ok:
            c.errors.append(("place", g["id"], gp, hit[1] if hit else None))


def _score_quantities(g, p, c, text, remap, keep_errors):
    pq = [(remap(_span(q)), q.get("value")) for q in p.get("quantities", [])]
    for gq in g.get("quantities", []):
        c.qty_gold += 1
        hit = _first_overlapping(pq, find_all(text, gq["text"]))
        ok = False
        if hit and hit[1] is not None:
            try:
                ok = abs(float(hit[1]) - float(gq["value"])) <= 0.01 * abs(float(gq["value"])) + 1e-9
            except (TypeError, ValueError):
                ok = False
        c.qty_ok += ok
        if keep_errors and not ok:
            c.errors.append(("quantity", g["id"], gq, hit))


def _prf(tp, npred, ngold):
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def summary(c: Counts) -> dict:
    cp, cr, cf = _prf(c.claims_tp, c.claims_pred, c.claims_gold)
    ep = c.ent_pred_ok / c.ent_pred if c.ent_pred else 0.0
    er = c.ent_tp / c.ent_gold if c.ent_gold else 0.0
    ef = 2 * ep * er / (ep + er) if ep + er else 0.0
    tp = max(c.claims_tp, 1)
    return {
        "claims_p": cp, "claims_r": cr, "claims_f1": cf,
        "speaker_acc": c.speaker_ok / tp, "stance_acc": c.stance_ok / tp,
        "via_recall": c.via_ok / c.via_gold if c.via_gold else 0.0,
        "entities_p": ep, "entities_r": er, "entities_f1": ef,
        "times_acc": c.time_ok / c.time_gold if c.time_gold else 0.0,
        "places_acc": c.place_ok / c.place_gold if c.place_gold else 0.0,
        "quantities_acc": c.qty_ok / c.qty_gold if c.qty_gold else 0.0,
        "missing_articles": c.missing,
    }


def score(gold: list[dict], pred: dict[str, dict], keep_errors=False) -> Counts:
    c = Counts()
    for g in gold:
        score_article(g, pred.get(g["id"]), c, keep_errors)
    return c
