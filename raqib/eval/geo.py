"""Geoparser evaluation on location-mention data in the IDRISI format (`raqib eval-geo PATH...`).

Input: JSON-lines files, one text (tweet, article) per line, as the IDRISI data ship them
(Suwaileh et al. 2023, github.com/rsuwaileh/IDRISI, CC BY 4.0), given by path; a directory stands for
every ``*.jsonl`` file under it. A line is an object with

    "text": the text,
    "location_mentions": [{"text": the mention as written,
                           "start_offset", "end_offset": character offsets into text, end exclusive
                                                          (IDRISI-D / LMD; LMR's "startIdx", "endIdx" too),
                           "type": the gold location type (optional, for the breakdown),
                           "osm_json": {"lat", "lon", ...}   gold coordinates (LMD; strings or numbers),
                           or "lat", "lon" directly on the mention}, ...]

Other keys are ignored. When the offsets do not frame the mention text, the occurrence of the mention text
nearest to them is used. Mentions without coordinates (LMR) count as gold mentions and for "found", not for
the distance figures.

Prediction: each text goes through the geoparser as `raqib analyze` runs it: tokens, entities (knowledge-base
names and gazetteer place names, `extract.entities.extract_entities`) and `extract.places.resolve_places`;
every mention of an entity that got a place is a predicted place mention with that place's coordinates.

Figures (`evaluate_geo(paths) -> dict`, `format_geo(res) -> str`):
  gold          gold location mentions; with_coords: those with gold coordinates
  found         gold mentions overlapped by a predicted place mention (the one with the largest overlap
                is taken); found_share = found / gold
  acc161        share of the gold mentions with coordinates whose predicted place is within 161 km
                (100 miles) of the gold point; a mention not found counts as wrong
  acc161_found  the same over the found ones only
  median_km, mean_km   error distance over the found mentions with coordinates
  country_acc   share of the gold mentions with a country code (osm_json.address.country_code, or "country" on
                the mention) whose predicted place lies in that country (None without codes)
  predicted, predicted_on_gold   predicted place mentions, and those overlapping some gold mention
  by_type, by_file     gold / found / acc161 per gold location type and per input file
"""
from __future__ import annotations

import glob
import json
import os
import statistics
from collections import defaultdict

KM = 161.0


def _files(path_or_paths) -> list[str]:
    paths = [path_or_paths] if isinstance(path_or_paths, (str, os.PathLike)) else list(path_or_paths)
    out = []
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            out += sorted(glob.glob(os.path.join(p, "**", "*.jsonl"), recursive=True))
        else:
            out.append(p)
    return out


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _span(text: str, m: dict):
    s = m.get("start_offset", m.get("startIdx", m.get("start")))
    e = m.get("end_offset", m.get("endIdx", m.get("end")))
    mt = m.get("text") or ""
    if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text) and (not mt or text[s:e] == mt):
        return s, e
    if mt:
        occ, i = [], text.find(mt)
        while i >= 0:
            occ.append(i)
            i = text.find(mt, i + 1)
        if occ:
            ref = s if isinstance(s, int) else 0
            i = min(occ, key=lambda x: abs(x - ref))
            return i, i + len(mt)
    if isinstance(s, int) and isinstance(e, int) and s < e:
        return s, e
    return None


def read_geo(path: str):
    """Yield (text, [gold mention dicts with start, end, text, type, lat, lon]) per line of an IDRISI file."""
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: invalid JSON ({e.msg})") from None
            text = d.get("text")
            if not isinstance(text, str):
                raise ValueError(f"{path}:{n}: no \"text\"")
            gold = []
            for m in d.get("location_mentions") or []:
                sp = _span(text, m)
                if sp is None:
                    continue
                oj = m.get("osm_json") or {}
                lat, lon = _num(oj.get("lat", m.get("lat"))), _num(oj.get("lon", m.get("lon")))
                cc = (oj.get("address") or {}).get("country_code") or m.get("country") or ""
                gold.append({"start": sp[0], "end": sp[1], "text": text[sp[0]:sp[1]],
                             "type": m.get("type") or "", "lat": lat, "lon": lon, "country": cc.upper()})
            yield text, gold


def predict_places(text: str) -> list[tuple]:
    """[(start, end, place dict)] for every mention of an entity that the geoparser put on the map."""
    from ..article import Article
    from ..extract.entities import extract_entities
    from ..extract.places import resolve_places
    from ..text.segment import sentences, tokenize

    a = Article(text=text)
    a.sentences = [{"start": s, "end": e} for s, e in sentences(text)]
    a.tokens = tokenize(text)
    extract_entities(a)
    resolve_places(a)
    by_ent = {p["entity"]: p for p in a.places}
    out = []
    for e in a.entities:
        p = by_ent.get(e["id"])
        if p is not None:
            out += [(m["start"], m["end"], p) for m in e["mentions"]]
    return out


def evaluate_geo(path_or_paths, predict=predict_places, keep_errors: bool = False) -> dict:
    """Score the geoparser on IDRISI-format files (see the module docstring for the figures)."""
    from ..kb.gazetteer import haversine

    files = _files(path_or_paths)
    tot = defaultdict(int)
    by_type = defaultdict(lambda: defaultdict(int))
    by_file = defaultdict(lambda: defaultdict(int))
    dists, errors = [], []
    for path in files:
        name = os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path)
        for text, gold in read_geo(path):
            tot["texts"] += 1
            pred = predict(text)
            tot["predicted"] += len(pred)
            tot["predicted_on_gold"] += sum(any(s < g["end"] and g["start"] < e for g in gold) for s, e, _ in pred)
            for g in gold:
                rows = (tot, by_type[g["type"] or "-"], by_file[name])
                best, bo = None, 0
                for s, e, p in pred:
                    ov = min(e, g["end"]) - max(s, g["start"])
                    if ov > bo:
                        best, bo = p, ov
                has = g["lat"] is not None and g["lon"] is not None
                d = haversine(best["lat"], best["lon"], g["lat"], g["lon"]) if best is not None and has else None
                for r in rows:
                    r["gold"] += 1
                    r["with_coords"] += has
                    r["found"] += best is not None
                    r["within"] += d is not None and d <= KM
                    r["with_cc"] += bool(g["country"])
                    r["cc_ok"] += bool(g["country"]) and best is not None and (best.get("country") or "") == g["country"]
                if d is not None:
                    dists.append(d)
                if keep_errors and (best is None or (d is not None and d > KM)):
                    errors.append({"file": name, "text": text, "gold": g,
                                   "pred": None if best is None else {k: best.get(k) for k in (
                                       "name_en", "gazetteer", "kind", "country", "lat", "lon")},
                                   "km": None if d is None else round(d)})
    res = {
        "files": len(files), "texts": tot["texts"], "gold": tot["gold"], "with_coords": tot["with_coords"],
        "found": tot["found"], "found_share": tot["found"] / tot["gold"] if tot["gold"] else 0.0,
        "acc161": tot["within"] / tot["with_coords"] if tot["with_coords"] else 0.0,
        "acc161_found": tot["within"] / len(dists) if dists else 0.0,
        "country_acc": tot["cc_ok"] / tot["with_cc"] if tot["with_cc"] else None,
        "median_km": statistics.median(dists) if dists else None,
        "mean_km": statistics.fmean(dists) if dists else None,
        "predicted": tot["predicted"], "predicted_on_gold": tot["predicted_on_gold"],
        "by_type": {k: _row(v) for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]["gold"])},
        "by_file": {k: _row(v) for k, v in by_file.items()},
    }
    if keep_errors:
        res["errors"] = errors
    return res


def _row(r) -> dict:
    return {"gold": r["gold"], "found": r["found"],
            "acc161": r["within"] / r["with_coords"] if r["with_coords"] else 0.0}


def format_geo(res: dict) -> str:
    """A readable summary of `evaluate_geo`'s figures."""
    def km(v):
        return "-" if v is None else f"{v:.1f} km"
    lines = [
        f"files              {res['files']}",
        f"texts              {res['texts']}",
        f"gold mentions      {res['gold']} ({res['with_coords']} with coordinates)",
        f"found              {res['found']} ({res['found_share']:.3f})",
        f"acc@161km          {res['acc161']:.3f} (over found: {res['acc161_found']:.3f})",
        f"median error       {km(res['median_km'])} (mean {km(res['mean_km'])}, over found)",
        "country right      " + ("-" if res.get("country_acc") is None else f"{res['country_acc']:.3f}")
        + " (gold mentions whose predicted place is in the gold country, osm_json.address.country_code)",
        f"predicted places   {res['predicted']} ({res['predicted_on_gold']} on a gold mention)",
    ]
    for title, key in (("by gold type", "by_type"), ("by file", "by_file")):
        if res.get(key):
            lines.append(f"{title}:")
            w = max(len(k) for k in res[key])
            for k, v in res[key].items():
                fs = v["found"] / v["gold"] if v["gold"] else 0.0
                lines.append(f"  {k:{w}s}  gold {v['gold']:5d}  found {fs:.3f}  acc@161km {v['acc161']:.3f}")
    return "\n".join(lines)
