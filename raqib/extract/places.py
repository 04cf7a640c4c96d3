"""Place names: find gazetteer names in the text, then resolve LOC entities to one gazetteer place.

`find_place_mentions(article)` matches gazetteer names over `article.tokens` (longest first, through the
proclitic readings و ف ب ل ك of the first token). A name matches in running text when it is "free"
(countries, governorates, capitals, big cities, curated regions, Syrian places prominent in the news, Arab towns
of ≥ 20,000 people whose names are not common words; see the `free` column of gazetteer.tsv) or when a trigger
word precedes it (مدينة، بلدة، قرية، حي، مخيم …, raqib/lang/ar/place_triggers.tsv; محافظة and مديرية become part
of the mention). "ريف X [direction]" becomes a countryside region around X, "العاصمة <country adjective>" the
country's capital and "المملكة <adjective>" that kingdom. Misspelt names (one letter off) match when they are
multi-word names of towns/regions or follow a trigger. Social-media spellings: the words of a name may be
joined by "_" (#حفر_الباطن) or written together with the article (حفرالباطن), and a one-word hashtag (#جدة)
licenses a country, governorate or big city even when its name is also a word. When the free names found
point to other countries and not to Syria, a second pass lets the "local" names of those countries' towns
match too (الخارجة in an article naming Egypt).

`resolve_places(article)` picks one gazetteer place per LOC entity with context priors and fills
`article.places`: kind and population; the countries and governorates named unambiguously elsewhere in the
article (a dateline and Syrian villages do not count); nearness to places with one candidate; a Syria prior of
+1.5 (+0.5 when the article names other countries and nothing unambiguously Syrian — raqib reads Syria news,
but the priors must not put a Cairo neighbourhood in Syria). In an article about another Arab country and not
about Syria, a name that only Syrian villages or neighbourhoods carry is left unresolved.

Each place record: entity, lat, lon, country, admin1, kind, gazetteer (id), name_en, and
  precision   "exact" (city, town, village, neighbourhood, camp, crossing)   → ACLED geo_precision 1
              "admin" (governorate, district, sub-district, a named region or countryside inside a country) → 2
              "country" (a country, or a world region such as الشرق الأوسط)   → 3
  focus       True for the places the article is about. Heuristic: among the places finer than a country,
              those named in the title, in the first sentence (after a dateline such as "بيروت (رويترز) -"),
              or most often (at least twice); then the governorate of a focus place when the article names
              it. Only when no finer place is focus, the same test over the countries (and world regions), and
              a lone country named is the focus.
"""
from __future__ import annotations

import math
import re
from collections import Counter

from ..kb.gazetteer import DIR_BY_WORDS, Place, _letters, haversine, load_gazetteer
from ..text.normalize import normalize_char, normalize_key

OKCL = {"و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك"}
RIF = {"ريف", "ريفي"}
PLURAL_TRIGGERS = {"بلدات", "قري", "مدن", "احياء", "بلدتي", "قريتي", "مدينتي", "حيي", "مخيمات", "محافظتي",
                   "مناطق"}
LIST_GAP = {"،", ",", "و"}
DIR_WORDS = {"الشمالي", "الجنوبي", "الشرقي", "الغربي"}
# "سورية" is also the feminine adjective "Syrian": as a place it follows a preposition, a conjunction,
# punctuation or the start of a sentence.
ADJ_LIKE = {"سوريه"}
PREPS = {"في", "من", "الي", "عن", "علي", "مع", "داخل", "خارج", "حول", "نحو", "بين", "ضد", "تجاه", "لدي",
         "حتي", "منذ", "و", "او", "ان", "الا", "سوي", "غير", "عبر", "الي", "قرب", "اتجاه", "باتجاه",
         "شمال", "جنوب", "شرق", "غرب", "وسط", "شمالي", "جنوبي", "شرقي", "غربي", "دوله", "حكومه", "رئيس"}
ADVERB_LIKE = {"دوما"}  # also "always"
# the place name is the second half of an organisation, team or event name
ORG_HEADS = {"دوري", "كاس", "بطوله", "اتلتيكو", "بايرن", "اياكس", "سبورتنغ", "اهلي", "اينتراخت", "انتر",
             "فيلق", "صحيفه", "جريده", "قناه", "وكاله", "جامعه", "نادي", "منتخب", "اذاعه", "تلفزيون", "مجله",
             "بنك", "مصرف", "شركه", "فريق", "ريال", "اتحاد", "لواء", "كتايب", "سرايا", "جيش", "حركه",
             "قصر"}
# the place name followed by one of these words is something else (مسقط رأسه = birthplace)
NEXT_BLOCK = {"مسقط": {"راس", "راسه", "راسها", "راسي"}, "مانشستر": {"سيتي", "يونايتد"},
              "الضفه الغربيه": {"لنهر", "للنهر", "لنهري"}, "الضفه": {"لنهر", "للنهر"}}
QUOTES = set('"«»“”„‟\'‘’')
GULF = {"SA", "AE", "QA", "KW", "BH", "YE", "IR", "OM"}
ARAB = {"SA", "KW", "AE", "QA", "BH", "OM", "YE", "EG", "LY", "SD", "TN", "DZ", "MA", "MR", "SO", "DJ", "KM", "LB",
        "IQ", "JO", "PS"}

KIND_PRIOR = {"country": 5.0, "region": 4.0, "city": 4.0, "governorate": 3.2, "camp": 3.5, "crossing": 3.5,
              "town": 3.0, "district": 1.5, "subdistrict": 1.0, "village": 1.0, "neighbourhood": 1.0}
PRECISION = {"country": "country", "governorate": "admin", "district": "admin", "subdistrict": "admin",
             "region": "admin"}
SMALL = ("village", "neighbourhood", "subdistrict")


def precision(p: Place) -> str:
    """exact (a town, village, neighbourhood, camp, crossing, city) → ACLED geo_precision 1;
    admin (governorate, district, sub-district, a named region or countryside inside a country) → 2;
    country (a country, or a world region such as الشرق الأوسط) → 3."""
    if p.kind == "region" and not p.country:
        return "country"
    return PRECISION.get(p.kind, "exact")


def _readings(tok):
    """(clitic length in norm, stem) readings of a word token, whole word first; no article stripping."""
    out = []
    for cl, st in tok.stems:
        c = tok.norm[:cl]
        if cl == 0 or c in OKCL or (c.endswith("لل") and st.startswith("ال")):
            out.append((cl, st))
    return out


def _orig_offset(tok, cl: int) -> int:
    """Characters of tok.text that make up the first `cl` normalised characters."""
    if cl <= 0:
        return 0
    n = 0
    for i, c in enumerate(tok.text):
        if n >= cl:
            return i
        if normalize_char(c):
            n += 1
    return len(tok.text)


def _tokens(article):
    toks = getattr(article, "tokens", None)
    if not toks:
        from ..text.segment import tokenize
        toks = tokenize(article.text)
    return toks


def _prev_word(toks, i):
    j = i - 1
    if j >= 0 and toks[j].is_word:
        return toks[j]
    return None


def _trigger_of(g, tok):
    if tok is None:
        return None
    for _, st in _readings(tok):
        t = g.triggers.get(st)
        if t is not None:
            return t
    return None


def _phrase_at(g, toks, i, stem):
    """Longest gazetteer name starting with `stem` at token i: (number of tokens, key) or None.

    The words of a name may be joined by an underscore, as in hashtags (#حفر_الباطن)."""
    n = len(toks)
    for words, key in g.phrases(stem):
        if len(words) == 1:
            return 1, key
        j = i
        ok = True
        for w in words[1:]:
            j += 1
            if j < n and toks[j].text == "_" and toks[j].start == toks[j - 1].end:
                j += 1
            if j >= n or not toks[j].is_word or toks[j].norm != w:
                ok = False
                break
        if ok:
            return j - i + 1, key
    return None


def _fuzzy_phrase_at(g, toks, i, stem):
    """A multi-word name starting with `stem` whose later words differ from the text by one letter."""
    n = len(toks)
    from ..kb.gazetteer import _edit1
    if stem in g.triggers:
        return None
    for words, key in g.phrases(stem):
        k = len(words)
        if k < 2 or i + k > n or len(key.replace(" ", "")) < 7 or words[-1] == "البلاد":
            continue
        diff = 0
        for j in range(1, k):
            t = toks[i + j]
            if not t.is_word:
                diff = 2
                break
            if t.norm != words[j]:
                if t.norm.endswith("يه") and words[j].endswith("يه") or t.norm in g.adjectives:
                    diff = 2  # another adjective (الجزيرة الكورية ≠ الجزيرة السورية)
                    break
                if len(words[j]) >= 4 and _edit1(t.norm, words[j]):
                    diff += 1
                else:
                    diff = 2
                if diff > 1:
                    break
        if diff == 1:
            return k, key
    return None


def _cands(g, key, trig, cl=0, clitic="", hashtag=False, licensed=frozenset()):
    """Eligible places for a name `key` given the trigger before it (None = running text).

    A one-word hashtag (#جدة) marks a name: a country, a governorate or a city of ≥ 500,000 people (≥ 1,000,000
    for names in place_stopwords.txt) matches there even when its name is not free."""
    if _letters(key) < 2:
        return []
    free = g.free(key)
    if trig is None:
        if not free and licensed:
            # a town of a country the article is about (see find_place_mentions)
            lic = [p for p in g.local(key) if p.country in licensed]
            if lic:
                return lic
        if free or not hashtag or _letters(key) < 3 or cl:
            return list(free)
        stop = key in g.stopwords
        return [p for p in g.lookup(key) if p.kind in ("country", "governorate") or (
            p.kind == "city" and p.population >= (1000000 if stop else 500000))]
    if _letters(key) < 3:
        return list(free)
    if key in g.stopwords and not free and trig.word in PLURAL_TRIGGERS:
        return []  # أحياء المدينة: "the city's neighbourhoods"
    if not trig.strong and not free:
        # after a general word (منطقة، مناطق) an indefinite word is mostly an adjective (منطقة صغيرة)
        if _letters(key) < 4 or key in g.stopwords or (cl and clitic != "و") \
                or not (key.startswith("ال") or " " in key):
            return []
    allp = g.lookup(key)
    pref = [p for p in allp if p.kind in trig.kinds] if trig.kinds else []
    if trig.kinds and not pref and "governorate" in trig.kinds:
        # "محافظة X" where no governorate is called X: a governorate named after its capital city
        pref = [p for p in allp if p.kind in ("city", "region")]
        return pref
    return pref or list(free) or list(allp)


def _order(places):
    return sorted(places, key=lambda p: -(KIND_PRIOR.get(p.kind, 1) + (1.0 if p.country == "SY" else 0)
                                          + 0.25 * math.log10(p.population + 1)))


def _key_for(places, matched_key):
    if len(places) == 1 and places[0].kind not in ("governorate", "district", "subdistrict") \
            and not places[0].id.startswith("rif:"):
        return normalize_key(places[0].name_ar)
    return matched_key


def find_place_mentions(article) -> list[dict]:
    """Place-name mentions: [{"start","end","text","key","candidates"}] (see module docstring)."""
    g = load_gazetteer()
    text = article.text
    toks = _tokens(article)
    taken = sorted(getattr(article, "_taken", None) or [])
    out = _scan(g, toks, text, taken)
    cc = _countries(g, out)
    if cc and "SY" not in cc:
        # an article about other countries: their towns match without a trigger word too (second pass)
        extra = _scan(g, toks, text, taken, frozenset(cc))
        spans = [(m["start"], m["end"]) for m in out]
        add = [m for m in extra if not any(s < m["end"] and m["start"] < e for s, e in spans)]
        if add:
            out = sorted(out + add, key=lambda m: m["start"])
    # "شمال البلاد" (north of the country) names the article's focus country: kept when that is Syria
    if any(m["key"].endswith(" البلاد") for m in out):
        cc = _countries(g, [m for m in out if not m["key"].endswith(" البلاد")])
        focus = cc.most_common(1)[0][0] if cc else None
        if focus is None or (focus != "SY" and cc.get("SY", 0) < cc[focus]):
            out = [m for m in out if not m["key"].endswith(" البلاد")]
    return out


def _countries(g, mentions) -> Counter:
    """Countries of the mentions whose candidates all lie in one country."""
    cc = Counter()
    for m in mentions:
        cs = {p.country for p in (g.get(x) for x in m["candidates"]) if p is not None}
        if len(cs) == 1:
            c = cs.pop()
            if c:
                cc[c] += 1
    return cc


def _scan(g, toks, text, taken, licensed=frozenset()) -> list[dict]:
    taken_starts = [t[0] for t in taken]
    n = len(toks)
    out = []
    i = 0
    carry = None          # plural trigger carried along a coordinated list ("بلدات سقبا وزملكا")
    last_end = -1         # token index after the previous mention
    while i < n:
        t = toks[i]
        if not t.is_word:
            i += 1
            continue
        res = _match(g, toks, i, text, carry if _list_continues(toks, last_end, i) else None, licensed)
        if res is None:
            i += 1
            continue
        start, end, j, key, places, trig = res
        if _overlaps_taken(taken_starts, taken, start, end):
            i += 1
            continue
        out.append({"start": start, "end": end, "text": text[start:end], "key": key,
                    "candidates": [p.id for p in places]})
        carry = trig if (trig is not None and trig.word in PLURAL_TRIGGERS) else \
            (carry if _list_continues(toks, last_end, i) else None)
        last_end = j
        i = j
    return out


def _list_continues(toks, last_end, i) -> bool:
    if last_end < 0 or i < last_end:
        return False
    gap = toks[last_end:i]
    if any(t.norm not in LIST_GAP for t in gap):
        return False
    return bool(gap) or toks[i].norm.startswith("و")


def _match(g, toks, i, text, carry, licensed=frozenset()):
    """Best mention starting at token i: (start, end, next token index, key, places, trigger) or None."""
    t = toks[i]
    prev = _prev_word(toks, i)
    trig = _trigger_of(g, prev) or carry
    readings = _readings(t)

    # "ريف X [direction]" and "العاصمة <adjective>"
    for cl, st in readings:
        if st in RIF and i + 1 < len(toks) and toks[i + 1].is_word:
            r = _rif(g, toks, i, cl, st, text)
            if r is not None:
                return r
        if st == "العاصمه" and i + 1 < len(toks) and toks[i + 1].is_word:
            iso = g.adjectives.get(toks[i + 1].norm)
            cap = g.get(g.capitals.get(iso, "")) if iso else None
            if cap is not None:
                s = t.start + _orig_offset(t, cl)
                return s, toks[i + 1].end, i + 2, normalize_key(cap.name_ar), [cap], None

    if "\u064b" in t.text or "\u064c" in t.text or "\u064d" in t.text:
        return None  # tanween: an adverb or an indefinite noun (دوماً), never a place name
    if prev is not None and prev.norm in ORG_HEADS:
        return None  # part of an organisation or event name (فيلق القدس، جامعة دمشق)
    if prev is None and i >= 2 and toks[i - 1].text in QUOTES and toks[i - 2].is_word \
            and toks[i - 2].norm in ORG_HEADS:
        return None  # صحيفة "الخليج"
    hashtag = i > 0 and toks[i - 1].text == "#" and toks[i - 1].end == t.start and \
        not (i + 1 < len(toks) and toks[i + 1].text == "_" and toks[i + 1].start == t.end)
    best = None
    for cl, st in readings:
        m = _phrase_at(g, toks, i, st)
        if m is None:
            continue
        k, key = m
        if key in ADVERB_LIKE and i + k < len(toks) and toks[i + k].norm in ("ان", "انه"):
            continue
        if key in g.triggers:
            continue  # a trigger word (مدينة، مديرية) is not itself the name
        if key in NEXT_BLOCK and i + k < len(toks) and toks[i + k].norm in NEXT_BLOCK[key]:
            continue
        if key in ADJ_LIKE and cl == 0 and prev is not None and prev.norm not in PREPS \
                and not _is_place_word(g, prev):
            continue
        places = _cands(g, key, trig, cl, t.norm[:cl], hashtag, licensed)
        if not places:
            continue
        cand = (k, -cl, cl, key, places)
        if best is None or cand[:2] > best[:2]:
            best = cand
    if best is None and i + 1 < len(toks) and toks[i + 1].is_word:
        for cl, st in readings:
            iso = g.adjectives.get(toks[i + 1].norm) if st == "المملكه" and (cl == 0 or t.norm[:cl] in OKCL) \
                else None
            p = g.get("iso:" + iso) if iso else None
            if p is not None:
                # "المملكة <adjective>": that country (المملكة المغربية). "المملكة" alone is a reference, not a
                # name, by the project's annotation guide: left alone
                s0 = t.start + _orig_offset(t, cl)
                return s0, toks[i + 1].end, i + 2, normalize_key(p.name_ar), [p], None
    fuzzy = False
    if best is None:
        for cl, st in readings:
            m = _fuzzy_phrase_at(g, toks, i, st)
            if m is not None:
                k, key = m
                places = [p for p in g.lookup(key) if trig is not None or
                          (p in g.free(key) and p.kind in ("city", "town", "region", "camp", "crossing", "country"))]
                if places:
                    best = (k, -cl, cl, key, places)
                    fuzzy = True
                    break
    site = trig is not None and trig.word in ("قاعده", "مطار")
    if best is None and trig is not None and trig is not carry and (site or (
            trig.strong and set(trig.kinds) & {"town", "village", "camp", "neighbourhood"})):
        # a misspelt name after a settlement word: one letter off a free (well-known) place
        rs = [r for r in readings if r[0] > 0] or readings
        for cl, st in rs:
            if _letters(st) < 5 or st in g.stopwords or st in g.triggers:
                continue
            places = []
            for k2, ps in g.fuzzy_keys(st):
                if _core(k2)[:1] != _core(st)[:1]:
                    continue
                places += [p for p in g.free(k2) if p.kind != "country" and (not site or p.source == "curated")]
            if places:
                best = (1, -cl, cl, normalize_key(places[0].name_ar), places)
                fuzzy = True
                break
    if best is None:
        return None
    k, _, cl, key, places = best
    start = t.start if (cl >= 2 and t.norm[:cl].endswith("لل")) else t.start + _orig_offset(t, cl)
    if trig is not None and trig.include and cl == 0 and prev is not None and prev.end < t.start \
            and trig is not carry:
        # an administrative word that is part of the name (محافظة الحديدة، مديرية صرواح)
        for cl2, st2 in _readings(prev):
            if st2 == trig.word:
                start = prev.start + _orig_offset(prev, cl2)
                break
    end = toks[i + k - 1].end
    places = _order(places)
    return start, end, i + k, _key_for(places, key) if not fuzzy else _key_for(places, key), places, trig


def _core(key: str) -> str:
    return key[2:] if key.startswith("ال") else key


def _is_place_word(g, tok) -> bool:
    return any(g.free(st) for _, st in _readings(tok))


def _rif(g, toks, i, cl, st, text):
    """'ريف X [الشمالي|الجنوبي|الشرقي|الغربي [الشرقي|الغربي]]' → countryside region of X."""
    j = i + 1
    # X: longest gazetteer name at j (no clitic) that is a city/town/governorate
    m = _phrase_at(g, toks, j, toks[j].norm)
    if m is None:
        return None
    k, key = m
    # "ريف دمشق" is itself a governorate: keep it unless a direction follows
    places = [p for p in g.lookup(key) if p.kind in ("city", "town", "governorate", "district", "subdistrict")]
    if not places:
        return None
    city = [p for p in places if p.kind in ("city", "town")]
    base = max(city, key=lambda p: (p.country == "SY", p.population)) if city else \
        sorted(places, key=lambda p: ("governorate", "district", "subdistrict").index(p.kind)
               if p.kind in ("governorate", "district", "subdistrict") else 9)[0]
    e = j + k
    dirs = []
    while e < len(toks) and toks[e].is_word and toks[e].norm in DIR_WORDS and len(dirs) < 2:
        dirs.append(toks[e].norm)
        e += 1
    direction = DIR_BY_WORDS.get(tuple(dirs), "")
    if dirs and not direction:
        dirs = dirs[:1]
        direction = DIR_BY_WORDS.get(tuple(dirs), "")
        e = j + k + 1
    # dual "ريفي X الشرقي والغربي": the countryside as a whole
    if st == "ريفي" and dirs and e + 1 < len(toks) + 1 and e < len(toks) and toks[e].is_word \
            and toks[e].norm.startswith("و") and toks[e].norm[1:] in DIR_WORDS:
        direction = ""
        e += 1
    if not dirs and (st + " " + key) in g._by_key:
        return None  # a gazetteer name such as ريف دمشق: the phrase matcher takes it
    p = g.get(g.rif_id(base, direction))
    if p is None:
        return None
    t = toks[i]
    start = t.start + _orig_offset(t, cl)
    end = toks[e - 1].end
    key = normalize_key(text[start:end])
    return start, end, e, key, [p], None


# ---------------------------------------------------------------- resolution
def _mention_texts(article, e):
    out = []
    for m in e.get("mentions", []):
        if isinstance(m, dict):
            if "start" in m and "end" in m:
                out.append(article.text[m["start"]:m["end"]])
            elif m.get("text"):
                out.append(m["text"])
        elif isinstance(m, str):
            out.append(m)
    return out


def _lookup_text(g, s: str) -> list:
    key = normalize_key(s)
    ps = g.free(key) or g.lookup(key)
    if ps:
        return list(ps)
    from ..text.segment import stems_of
    words = key.split(" ")
    for cl, st in stems_of(words[0]):
        c = words[0][:cl]
        if cl and (c in OKCL or (c.endswith("لل") and st.startswith("ال"))):
            k2 = " ".join([st] + words[1:])
            ps = g.free(k2) or g.lookup(k2)
            if ps:
                return list(ps)
    return []


def resolve_places(article) -> None:
    """Choose one gazetteer place per LOC entity and append it to article.places (see module docstring)."""
    g = load_gazetteer()
    ents = [e for e in getattr(article, "entities", []) or [] if e.get("type") == "LOC"]
    if not ents:
        return
    cands = {}
    for e in ents:
        ids = e.get("_candidates")
        if ids:
            ps = [p for p in (g.get(x) for x in ids) if p is not None]
        else:
            ps = []
            for s in _mention_texts(article, e):
                for p in _lookup_text(g, s):
                    if p not in ps:
                        ps.append(p)
        cands[id(e)] = ps

    # context: countries, governorates and points of entities with one candidate (or one country)
    ctx_country, ctx_admin1, anchors = Counter(), Counter(), []
    dl = _dateline_end(article.text)
    for e in ents:
        ps = cands[id(e)]
        if not ps:
            continue
        if len({p.country for p in ps}) == 1 and ps[0].country and \
                not (ps[0].country == "SY" and all(p.kind in SMALL for p in ps)) and \
                not (dl and all(isinstance(m, dict) and m.get("start", dl) < dl for m in e.get("mentions", ()))):
            # (Syrian villages and neighbourhoods do not tell the country, nor does a dateline)
            ctx_country[ps[0].country] += 1
        if len(ps) == 1 or len({(p.country, p.admin1) for p in ps}) == 1:
            p = ps[0]
            if p.admin1:
                ctx_admin1[(p.country, p.admin1)] += 1
        # an anchor point: the candidates agree within 30 km (a city and its governorate seat, …)
        pts = [p for p in ps if p.kind not in ("country", "region", "governorate", "district")]
        if pts and all(haversine(pts[0].lat, pts[0].lon, q.lat, q.lon) < 30 for q in pts[1:]) \
                and len(pts) >= len(ps) - 3:
            anchors.append(max(pts, key=lambda q: q.population))
    text = article.text
    places = getattr(article, "places", None)
    if places is None:
        article.places = places = []
    done = {pl.get("entity") for pl in places}
    # the Syria prior holds unless the article names other countries and nothing unambiguously Syrian; when one
    # of them is an Arab country (whose villages and neighbourhoods share names with Syria's), a name that
    # only a Syrian village or neighbourhood carries is left unresolved
    foreign = bool(ctx_country) and not ctx_country.get("SY")
    sy_prior = 0.5 if foreign else 1.5
    foreign = foreign and any(c in ARAB for c in ctx_country)

    def shortest(e):
        ls = [len(t) for t in _mention_texts(article, e)]
        return min(ls) if ls else 99
    for e in sorted(ents, key=shortest):
        ps = cands[id(e)]
        if not ps or e.get("id") in done:
            continue
        if foreign and all(p.country == "SY" and p.kind in SMALL for p in ps):
            continue  # a village or neighbourhood name in an article about another country: not this one
        best = ps[0] if len(ps) == 1 else max(ps, key=lambda p: _score(p, ctx_country, ctx_admin1, anchors,
                                                                          e, text, article, sy_prior))
        places.append({
            "entity": e.get("id"), "lat": best.lat, "lon": best.lon,
            "country": best.country or None, "admin1": best.admin1 or None, "kind": best.kind,
            "gazetteer": best.id, "precision": precision(best), "name_en": best.name_en, "focus": False,
        })
        if not e.get("name_en"):
            e["name_en"] = best.name_en
    _mark_focus(article, g, ents, places, cands)


def _score(p: Place, ctx_country, ctx_admin1, anchors, e, text, article, sy_prior=1.5) -> float:
    s = KIND_PRIOR.get(p.kind, 1.0) + 0.3 * math.log10(p.population + 1)
    if p.country == "SY":
        s += sy_prior
    if p.source.startswith("curated") or p.source == "rif":
        s += 0.5
    if p.admin1 and ctx_admin1.get((p.country, p.admin1)):
        s += 1.5
    if p.country and p.country != "SY" and ctx_country.get(p.country):
        s += 1.5
    if anchors and p.kind not in ("country", "region", "governorate"):
        d = min(haversine(p.lat, p.lon, a.lat, a.lon) for a in anchors if a.id != p.id) \
            if any(a.id != p.id for a in anchors) else 1e9
        if d < 10:
            s += 1.5
        elif d < 30:
            s += 1.0
    # عمان: Oman (country) or Amman (Jordan's capital)
    if p.id == "iso:OM" or (p.country == "JO" and p.kind == "city"):
        raw = " ".join(_mention_texts(article, e))
        gulf = sum(ctx_country.get(c, 0) for c in GULF)
        if p.id == "iso:OM":
            s += 3.0 * bool("عُمان" in raw or "سلطنة" in text and "سلطنة عمان" in text.replace("ُ", "")) \
                + (2.0 if gulf and not ctx_country.get("JO") else 0) - 2.0
        else:
            s += 3.0 * ("عمّان" in raw) + (2.0 if ctx_country.get("JO") else 0)
    return s


def _overlaps_taken(starts, taken, start, end) -> bool:
    """Does [start, end) overlap a span already claimed by a name? (bisect: linear overall)"""
    import bisect
    k = bisect.bisect_left(starts, end)
    for s, e in taken[max(0, k - 8):k]:
        if s < end and start < e:
            return True
    return False


# ---------------------------------------------------------------- focus
def _mark_focus(article, g, ents, places, cands) -> None:
    """Set "focus" on the places the article is about (heuristic, see the module docstring)."""
    if not places:
        return
    by_id = {e.get("id"): e for e in ents}
    title_ids = set()
    title = getattr(article, "title", None)
    if title:
        from ..text.segment import tokenize

        class _T:
            pass
        t = _T()
        t.text, t.tokens, t._taken = title, tokenize(title), []
        for m in find_place_mentions(t):
            title_ids.update(m["candidates"])
    title_ids |= {_rif_base(x) for x in title_ids}
    sents = getattr(article, "sentences", None)
    if sents:
        lead = (sents[0]["start"], sents[0]["end"])
    else:
        from ..text.segment import sentences
        ss = sentences(article.text)
        lead = ss[0] if ss else (0, 0)
    # a dateline ("دبي، الإمارات العربية المتحدة (CNN)--", "دمشق - سانا") names where the report was filed
    lead = (max(lead[0], _dateline_end(article.text)), lead[1])

    info = []
    for pl in places:
        e = by_id.get(pl["entity"])
        if e is None:
            continue
        ms = [m for m in e.get("mentions", []) if isinstance(m, dict) and "start" in m]
        ids = {pl["gazetteer"], _rif_base(pl["gazetteer"])} | {p.id for p in cands.get(id(e), ())}
        info.append((pl, len(ms) or 1, bool(ids & title_ids),
                     any(lead[0] <= m["start"] < lead[1] for m in ms)))
    fine = [x for x in info if x[0]["precision"] != "country"]
    coarse = [x for x in info if x[0]["precision"] == "country"]
    for group in (fine, coarse):
        if not group:
            continue
        top = max(x[1] for x in group)
        for pl, n, in_title, in_lead in group:
            if in_title or in_lead or (n == top and n >= 2):
                pl["focus"] = True
        if any(x[0]["focus"] for x in group):
            break
        if group is coarse and len(group) == 1:
            group[0][0]["focus"] = True  # the one country named
    # the governorate (or admin area) that holds a focus place
    admins = {(x[0]["country"], x[0]["admin1"]) for x in fine if x[0]["focus"] and x[0]["admin1"]}
    for pl, *_ in fine:
        if pl["kind"] == "governorate" and (pl["country"], pl["admin1"]) in admins:
            pl["focus"] = True


DATELINE = re.compile(r"\s*([^\n(\-–—:.،,]{2,40}(?:[،,][^\n(\-–—:.،,]{2,40})?)\s*(?:\(|-|–|—|:)")


def _dateline_end(text: str) -> int:
    """End of a dateline at the start of the text ("بيروت (رويترز) -"), else 0."""
    m = DATELINE.match(text[:120])
    return m.end(1) if m and len(m.group(1).split()) <= 6 else 0


def _rif_base(pid: str) -> str:
    """rif:<base id>:<direction> → base id (the place a countryside region is around)."""
    if pid.startswith("rif:"):
        return pid[4:].rsplit(":", 1)[0]
    return pid
