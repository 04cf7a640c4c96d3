"""Entities layer: knowledge-base aliases and role phrases matched over tokens, plus place names.

Matching works on normalised tokens with proclitics stripped from the first word (وبإدلب → إدلب),
allows quote marks between the words of a name (“الدفاع” الروسية), and keeps the longest match.
Every mention of one KB entity is joined into one entity; role phrases ("وزير الخارجية الروسي")
join the person who held the role on the publication date.
"""
from __future__ import annotations

from ..kb.entities import load_kb
from ..text.normalize import QUOTE_CHARS, normalize_char, normalize_key


NAME_JOINERS = {"#", "_"}  # hashtags join names: #جيمس_ماتيس


def clitic_chars(token_text: str, norm_len: int) -> int:
    """Original characters covering the first `norm_len` normalised characters of a token."""
    if norm_len <= 0:
        return 0
    n = 0
    for i, c in enumerate(token_text):
        if normalize_char(c):
            n += 1
            if n == norm_len:
                j = i + 1
                while j < len(token_text) and not normalize_char(token_text[j]):
                    j += 1  # diacritics after the clitic stay with it
                return j
    return len(token_text)


def word_index(tokens) -> list[int]:
    """Indices of word tokens; quote-mark tokens between words are skipped by the matchers."""
    return [i for i, t in enumerate(tokens) if t.is_word]


def _next_words(tokens, widx, p, n):
    """Up to n following word tokens, stopping at any non-quote punctuation."""
    out = []
    i = widx[p]
    for q in range(p + 1, min(len(widx), p + n)):
        j = widx[q]
        if any(not (tokens[k].text in QUOTE_CHARS or tokens[k].text in NAME_JOINERS) for k in range(i + 1, j)):
            break
        out.append(tokens[j])
        i = j
    return out


def match_kb(article):
    """Yield (start, end, clitic_free, kb_id) for KB alias and role matches, longest first."""
    kb = load_kb()
    tokens = article.tokens
    widx = word_index(tokens)
    p = 0
    out = []
    while p < len(widx):
        tok = tokens[widx[p]]
        best = None  # (nwords, -clen, start, end, kb_id)
        following = None
        for clen, stem in tok.stems:
            cands = kb.aliases.get(stem, ())
            rcands = kb.roles.get(stem, ())
            if not cands and not rcands:
                continue
            if following is None:
                following = _next_words(tokens, widx, p, kb.max_len)
            for words, eid in list(cands) + [(r.words, r) for r in rcands]:
                n = len(words)
                if n - 1 > len(following):
                    continue
                if any(following[k].norm != words[k + 1] for k in range(n - 1)):
                    continue
                if not isinstance(eid, str):
                    if not kb.holder(eid, article.published):
                        continue
                    eid = eid.entity
                start_clen = clen
                if stem.startswith("ال") and tok.norm[clen - 2:clen] == "لل" if clen >= 2 else False:
                    start_clen = clen - 2  # "للنظام": the article's ل is fused; keep لل in the span
                cand = (n, -clen, tok.start + clitic_chars(tok.text, start_clen),
                        (following[n - 2].end if n > 1 else tok.end), eid)
                if best is None or cand[:2] > best[:2]:
                    best = cand
        if best:
            start, end = _quoted_alias(article.text, best[2], best[3], best[4], kb)
            out.append((start, end, best[1] == 0, best[4], widx[p]))
            p += best[0]
        else:
            p += 1
    return out


def _quoted_alias(text, start, end, eid, kb):
    """Within a match such as وكالة “تاس” الروسية, the quoted name alone when it is an alias of
    the same entity: that is the name as the article marks it."""
    seg = text[start:end]
    for o, c in (("“", "”"), ("«", "»"), ('"', '"')):
        i = seg.find(o)
        j = seg.find(c, i + 1) if i >= 0 else -1
        if i >= 0 and j > i + 1 and (i > 0 or j < len(seg) - 1):
            inner = seg[i + 1:j]
            words = tuple(normalize_key(inner).split())
            if words and any(w == words and e == eid for w, e in kb.aliases.get(words[0], ())):
                return start + i + 1, start + j
    return start, end


def extract_entities(article) -> None:
    from . import places
    from .ner import tag_names

    kb = load_kb()
    text = article.text
    groups: dict = {}
    order = []
    for start, end, bare, kid, tidx in match_kb(article):
        if kid not in groups:
            groups[kid] = []
            order.append(kid)
        groups[kid].append((start, end, bare, article.tokens[tidx].start))
    article._taken = [(s, e) for g in groups.values() for s, e, _, _ in g]
    place_groups: dict = {}
    for m in places.find_place_mentions(article):
        key = ("gaz", m["key"])
        if key not in place_groups:
            place_groups[key] = {"candidates": list(m.get("candidates", [])), "mentions": []}
            order.append(key)
        tok_start = _token_start(article.tokens, m["start"])
        place_groups[key]["mentions"].append((m["start"], m["end"], tok_start == m["start"], tok_start))
    # names the knowledge base lacks, from the statistical tagger (not overlapping KB or place names)
    taken = sorted(article._taken + [(m[0], m[1]) for g in place_groups.values() for m in g["mentions"]])
    tagged_groups: dict = {}
    for n in tag_names(article):
        if _overlaps(taken, n["start"], n["end"]):
            continue
        key = ("ner", n["type"], normalize_key(n["text"]))
        if n["type"] == "LOC":
            continue  # places come from the gazetteer, where they can be put on a map
        if key not in tagged_groups:
            tagged_groups[key] = []
            order.append(key)
        tagged_groups[key].append((n["start"], n["end"], True, n["start"]))
    _join_surnames(tagged_groups, order)
    ents = []
    first_pos = {}
    for kid in order:
        ms = groups.get(kid) or tagged_groups.get(kid) or place_groups[kid]["mentions"]
        first_pos[kid] = min(m[0] for m in ms)
    for kid in sorted(order, key=lambda k: first_pos[k]):
        if kid in groups:
            ke = kb.entities[kid]
            ent = {"id": None, "type": ke.type, "name": ke.name_ar, "name_en": ke.name_en, "kb": kid}
            ms = groups[kid]
        elif kid in tagged_groups:
            ms = tagged_groups[kid]
            ent = {"id": None, "type": kid[1], "name": text[ms[0][0]:ms[0][1]], "name_en": None, "kb": None}
        else:
            pg = place_groups[kid]
            ms = pg["mentions"]
            ent = {"id": None, "type": "LOC", "name": text[ms[0][0]:ms[0][1]], "name_en": None,
                   "kb": None, "_candidates": pg["candidates"]}
        any_bare = any(m[2] for m in ms)
        mentions = []
        for s, e, bare, tok_start in sorted(ms):
            if not any_bare:
                s = tok_start  # the bare form never stands alone: keep the clitic (للأمم المتحدة)
            mentions.append({"start": s, "end": e, "text": text[s:e]})
        ent["mentions"] = mentions
        ent["id"] = f"E{len(ents) + 1}"
        ents.append(ent)
    article.entities = ents


def _join_surnames(groups: dict, order: list) -> None:
    """A person named in full once and later by one name ("أحمد خاتمي" … "خاتمي") is one person:
    a one-word PER name joins the longer PER name it ends (or starts) when exactly one fits."""
    full = [k for k in groups if k[1] == "PER" and len(k[2].split()) > 1]
    for k in [k for k in groups if k[1] == "PER" and len(k[2].split()) == 1]:
        fits = [f for f in full if k[2] in (f[2].split()[-1], f[2].split()[0])]
        if len(fits) == 1:
            groups[fits[0]].extend(groups.pop(k))
            order.remove(k)


def _overlaps(spans, start, end) -> bool:
    import bisect
    k = bisect.bisect_left(spans, (end,))
    return any(s < end and start < e for s, e in spans[max(0, k - 8):k])


def _token_start(tokens, pos):
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= pos:
            lo = mid + 1
        else:
            hi = mid
    return tokens[lo].start if lo < len(tokens) else pos


def entity_at(article, start: int, end: int):
    """The entity id with a mention overlapping [start, end), the longest overlap first."""
    best, best_ov = None, 0
    for e in article.entities:
        for m in e["mentions"]:
            ov = min(end, m["end"]) - max(start, m["start"])
            if ov > best_ov:
                best, best_ov = e["id"], ov
    return best
