"""Lexical views of a claim: content-word stems, negators, dispute/affirm markers, antonyms.

Lexicons are data: `lang/ar/contradiction_markers.tsv` (dispute / affirm / negation words) and
`lang/ar/contradiction_antonyms.tsv` (swaps that flip a statement). Words are the store's search
tokens (`store.base.search_tokens`: normalised, definite article dropped), so the same folding
applies everywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..lang import records
from ..store.base import search_tokens

_STOP = set("""
في من على الى الي عن مع ان أن إن او أو ثم قد كان كانت يكون تكون هذا هذه ذلك تلك هو هي هم هن نحن انا
التي الذي الذين اللذين اللتين ما ماذا لما كما بعد قبل عند عندما حتى منذ خلال بين ضد حول لدى كل بعض غير
اي أي اذا إذا لقد وقد فقد وان وأن بان بأن لان لأن انه أنه انها أنها انهم أنهم الا إلا سوى ايضا أيضا حيث
يوم امس أمس اليوم وقال قال قالت اضاف أضاف وأضاف اضافت تابع وتابع واشار اشار أشار مشيرا مضيفا موضحا
وفق وفقا بحسب حسب نحو لها له لهم به بها بهم فيه فيها منه منها عليه عليها اليه إليه اليها إليها
the a an of to in on and or is are was were be by for with that this it as at from
""".split())
_STOP = {t for w in _STOP for t in search_tokens(w)}

_PREFIXES = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل")
_SUFFIXES = ("هما", "كما", "ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي")
_NUM = re.compile(r"^\d+([.,]\d+)?$")


@lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    """A light stem of a search token: leading conjunction/preposition and common suffixes off,
    keeping at least three letters."""
    if _NUM.match(w):
        return w
    for p in _PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 4:
            w = w[len(p):]
            break
    for s in _SUFFIXES:
        if w.endswith(s) and len(w) - len(s) >= 3:
            w = w[:-len(s)]
            break
    return w


@dataclass
class Markers:
    words: dict      # token -> kind
    prefixes: list   # (prefix, kind)
    phrases: list    # (tuple of tokens, kind), longest first
    antonyms: dict   # token -> set of tokens
    antonym_prefixes: list
    phrase_index: dict = None   # first token -> phrases starting with it
    prefix_map: dict = None     # prefix -> kind
    max_prefix: int = 0
    cache: dict = None          # token -> kind or None


def _compile(form: str):
    star = form.endswith("*")
    toks = search_tokens(form.rstrip("*"))
    return toks, star


@lru_cache(maxsize=1)
def markers() -> Markers:
    words, prefixes, phrases = {}, [], []
    for r in records("contradiction_markers.tsv"):
        toks, star = _compile(r["marker"])
        if not toks:
            continue
        if len(toks) > 1:
            phrases.append((tuple(toks), r["kind"]))
        elif star:
            prefixes.append((toks[0], r["kind"]))
        else:
            words.setdefault(toks[0], r["kind"])
    phrases.sort(key=lambda p: -len(p[0]))
    ants: dict = {}
    ant_prefixes = []
    for r in records("contradiction_antonyms.tsv"):
        a, sa = _compile(r["a"])
        b, sb = _compile(r["b"])
        if len(a) != 1 or len(b) != 1:
            continue
        ants.setdefault(a[0], set()).add(b[0])
        ants.setdefault(b[0], set()).add(a[0])
        if sa:
            ant_prefixes.append((a[0], b[0]))
        if sb:
            ant_prefixes.append((b[0], a[0]))
    pidx: dict = {}
    for ph, kind in phrases:
        pidx.setdefault(ph[0], []).append((ph, kind))
    pmap = {}
    for p, k in prefixes:
        pmap.setdefault(p, k)
    return Markers(words, prefixes, phrases, ants, ant_prefixes, pidx, pmap,
                   max((len(p) for p in pmap), default=0), {})


@dataclass
class View:
    tokens: list
    stems: set
    numbers: set
    fake: int
    dispute: int
    affirm: int
    negation: int


def _kind(m: Markers, w: str):
    cands = [w] + [w[len(p):] for p in _PREFIXES if w.startswith(p) and len(w) - len(p) >= 3]
    for c in cands:
        k = m.words.get(c)
        if k:
            return k
    for c in cands:
        for n in range(min(len(c), m.max_prefix), 1, -1):
            k = m.prefix_map.get(c[:n])
            if k:
                return k
    return None


def view(text: str) -> View:
    m = markers()
    toks = search_tokens(text or "")
    kinds = {"fake": 0, "dispute": 0, "affirm": 0, "negation": 0}
    i = 0
    while i < len(toks):
        hit = None
        for ph, kind in m.phrase_index.get(toks[i], ()):
            L = len(ph)
            if len(toks) >= i + L and tuple(toks[i:i + L - 1]) == ph[:-1] and toks[i + L - 1].startswith(ph[-1]):
                hit = (L, kind)
                break
        if hit is None:
            kind = m.cache.get(toks[i], 0)
            if kind == 0:
                kind = m.cache[toks[i]] = _kind(m, toks[i])
            hit = (1, kind) if kind else None
        if hit:
            kinds[hit[1]] += 1
            i += hit[0]
        else:
            i += 1
    stems = {stem(t) for t in toks if t not in _STOP and len(t) > 1}
    nums = {t for t in toks if _NUM.match(t)}
    return View(toks, stems, nums, kinds["fake"], kinds["dispute"], kinds["affirm"], kinds["negation"])


def stems_of(text: str) -> set:
    """Just the content stems of `text` (cheaper than `view`)."""
    return {stem(t) for t in search_tokens(text or "") if t not in _STOP and len(t) > 1}


def antonym_hits(a_only: set, b_only: set) -> int:
    """How many words of one side have an antonym on the other."""
    m = markers()
    n = 0
    for w in a_only:
        opp = m.antonyms.get(w, set())
        for p, q in m.antonym_prefixes:
            if w.startswith(p):
                opp = opp | {q}
        if any(x in b_only or any(y.startswith(x) for y in b_only) for x in opp):
            n += 1
    return n


def polarity(stance: str | None, v: View, cue: str | None = None) -> int:
    """+1 when the claim holds its proposition, -1 when it disputes it. It disputes when it
    denies (a denial cue — نفى — a dispute word in the content — لا أساس، مزاعم — or a deny stance
    with neither) or calls the matter fake (مسرحية، مفبرك), but not both: denying a fabrication
    charge ("نفى الاتهامات بفبركة الهجوم") holds the proposition. A deny stance that comes from a
    fake marker in the content ("قالت الوزارة إن الهجوم مسرحية") is not a second denial."""
    cue_deny = bool(cue) and view(cue).dispute > 0
    deny = cue_deny or v.dispute > 0 or (stance == "deny" and not v.fake)
    return -1 if deny != (v.fake > 0) else 1
