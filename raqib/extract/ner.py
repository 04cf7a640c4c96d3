"""Statistical name tagger: PER / ORG / LOC names over the article's tokens, with a CRF.

The model (`raqib/kb/ner.crfsuite`, python-crfsuite, trained by `scripts/train_ner.py`) labels each
token of `segment.tokenize` with IOB2 tags. Features per token: normalised form, clitic-stripped stems,
prefixes/suffixes, shape (digit, Latin, punctuation, quote), neighbouring forms (±2), whether the token
starts or continues a knowledge-base alias (by type) or a gazetteer name, whether it is a personal-name
word (`lang/ar/first_names.tsv`), cue words before it (titles, organisation and place head words:
`lang/ar/ner_cues.tsv`, `lang/ar/place_triggers.tsv`), its word classes of 64/256/1024 and those of its
neighbours (`lang/ar/word_clusters.tsv`, learnt without labels by `scripts/build_word_clusters.py`), and
document evidence: what the contexts of the same word elsewhere in the document say (a title or head word
before it, a KB alias or gazetteer name, a personal-name word beside it), so that "كوستاريدس" alone gets
the weight of "الرئيس كوستاريدس" three sentences earlier. A document is the article (`tag_names`) or
the sentences passed together to `tag_document`.

`tag_names(article)` returns the names as character spans of `article.text`; a proclitic attached to
the first word (وبشار، لروسيا، والأسد) is left out of the span when the bare form is a known name word
or the clitic is a conjunction; لل (للأمم) stays whole, as the gold convention keeps it.
"""
from __future__ import annotations

import os
from functools import lru_cache

from ..text.normalize import QUOTE_CHARS, normalize_key

_PKG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_PATH = os.path.join(_PKG, "kb", "ner.crfsuite")
LANG = os.path.join(_PKG, "lang", "ar")
TYPES = ("PER", "ORG", "LOC")

_QUOTES = frozenset(QUOTE_CHARS)
_STRIPPABLE = ("و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك")


def _read_words(path: str) -> list:
    out = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                out.append(line.rstrip("\n").split("\t"))
    return out


class Lexicon:
    """Word lists the features and the clitic trimmer use (built once)."""

    def __init__(self):
        from ..kb.entities import load_kb
        from ..kb.gazetteer import load_gazetteer

        kb = load_kb()
        self.kb: dict = {}
        for first, lst in kb.aliases.items():
            self.kb[first] = [(words, kb.entities[eid].type) for words, eid in lst]
        self.kb_max = max((len(w) for lst in self.kb.values() for w, _ in lst), default=1)
        self.gaz = load_gazetteer()
        self.names = frozenset(normalize_key(c[0]) for c in _read_words(os.path.join(LANG, "first_names.tsv")))
        cues = {}
        for c in _read_words(os.path.join(LANG, "ner_cues.tsv")):
            if len(c) > 1 and c[1] in TYPES:
                cues[normalize_key(c[0])] = c[1]
        for w in self.gaz.triggers:
            cues.setdefault(w, "LOC")
        self.cues = cues
        bare = set(self.names)
        for lst in self.kb.values():
            for words, typ in lst:
                bare.update(words if typ == "PER" else words[:1])
        for k in self.gaz._by_key:
            if " " not in k:
                bare.add(k)
        self.bare = frozenset(bare)
        self.clusters = {}
        for c in _read_words(os.path.join(LANG, "word_clusters.tsv")):
            if len(c) >= 4:
                self.clusters[c[0]] = tuple(c[1:4])


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


# ---------------------------------------------------------------- features

_cache: dict = {}
_DIGITS = str.maketrans("123456789", "000000000")


def cluster_form(norm: str) -> str:
    """The form word classes are keyed by (`lang/ar/word_clusters.tsv`): Latin lower-cased, digits → 0."""
    if norm and "a" <= norm[0].lower() <= "z":
        norm = norm.lower()
    return norm.translate(_DIGITS)


def _shape(s: str) -> str:
    c = s[0]
    if c.isdigit():
        return "D"
    if "a" <= c.lower() <= "z":
        return "LU" if s.isupper() else ("LT" if c.isupper() else "LL")
    if "\u0600" <= c <= "\u06ff":
        return "A"
    return "O"


def _word_feats(tok, lex: Lexicon) -> tuple:
    """Token-intrinsic features, cached by normalised form: (features, name?, cue type, context form)."""
    norm = tok.norm
    key = (norm, tok.is_word)
    v = _cache.get(key)
    if v is not None:
        return v
    if not tok.is_word or not norm:
        f = ["p=" + norm, "Q" if norm in _QUOTES else "P"]
        v = (f, False, None, norm, "p" + norm)
    else:
        sh = _shape(norm)
        w = norm.lower() if sh[0] == "L" else norm
        f = ["w=" + w, "sh=" + sh]
        name = norm in lex.names
        cue = lex.cues.get(norm)
        stem = norm
        for clen, s in tok.stems[1:4]:
            f.append("s=" + s)
            if not name and s in lex.names and not s.startswith("ال"):
                name = True
            if cue is None:
                cue = lex.cues.get(s)
            stem = s
        if sh == "A":
            f.append("x2=" + norm[-2:])
            f.append("x3=" + norm[-3:])
            f.append("x4=" + norm[-4:])
            f.append("p2=" + norm[:2])
            f.append("p3=" + norm[:3])
            f.append("sx2=" + stem[-2:])
            if len(norm) <= 3:
                f.append("short")
        elif sh[0] == "L":
            f.append("x3=" + w[-3:])
        if name:
            f.append("nm")
        if cue:
            f.append("cue=" + cue)
        cl = lex.clusters.get(cluster_form(norm))
        if cl is None:
            for clen, s in tok.stems[1:]:
                cl = lex.clusters.get(cluster_form(s))
                if cl:
                    break

        if cl is not None:
            f.append("k1=" + cl[0])
            f.append("k2=" + cl[1])
            f.append("k3=" + cl[2])
            ctx = "k" + cl[1]
        else:
            ctx = "k?"
        v = (f, name, cue, w, ctx)
    if len(_cache) > 300_000:
        _cache.clear()
    _cache[key] = v
    return v


def _following(tokens, widx, p, n):
    """Up to n-1 word tokens after word p, crossing only quote marks."""
    out = []
    i = widx[p]
    for q in range(p + 1, min(len(widx), p + n)):
        j = widx[q]
        if any(tokens[k].norm not in _QUOTES for k in range(i + 1, j)):
            break
        out.append(j)
        i = j
    return out


def _lex_flags(tokens, widx, lex: Lexicon, use_kb: bool):
    """Per-token KB / gazetteer flags: 'kb=B-PER', 'gz=I', 'gzf=B' (free gazetteer name)."""
    n = len(tokens)
    kbf = [None] * n
    gzf = [None] * n
    kbd, gaz = lex.kb, lex.gaz
    kb_end = gz_end = -1
    for p, i in enumerate(widx):
        tok = tokens[i]
        if use_kb and i > kb_end:
            best = None
            fol = None
            for _, stem in tok.stems:
                cands = kbd.get(stem)
                if not cands:
                    continue
                if fol is None:
                    fol = _following(tokens, widx, p, lex.kb_max)
                for words, typ in cands:
                    m = len(words)
                    if m - 1 > len(fol) or (best and m <= best[0]):
                        continue
                    if all(tokens[fol[k]].norm == words[k + 1] for k in range(m - 1)):
                        best = (m, typ)
                        break
            if best:
                m, typ = best
                kbf[i] = "kb=B-" + typ
                for k in range(m - 1):
                    kbf[fol[k]] = "kb=I-" + typ
                kb_end = fol[m - 2] if m > 1 else i
        if i > gz_end:
            best = None
            fol = None
            for _, stem in tok.stems:
                cands = gaz.phrases(stem)
                if not cands:
                    continue
                if fol is None:
                    fol = _following(tokens, widx, p, gaz.max_words)
                for words, key in cands:
                    m = len(words)
                    if m - 1 > len(fol) or (best and m <= best[0]):
                        continue
                    if all(tokens[fol[k]].norm == words[k + 1] for k in range(m - 1)):
                        best = (m, bool(gaz.free(key)))
                        break
            if best:
                m, free = best
                tag = "gzf=" if free else "gz="
                gzf[i] = tag + "B"
                for k in range(m - 1):
                    gzf[fol[k]] = tag + "I"
                gz_end = fol[m - 2] if m > 1 else i
    return kbf, gzf


class Prepared:
    """One token sequence analysed for features: token-intrinsic features, KB / gazetteer flags, and the
    evidence each word gives about its name type to its other occurrences in the document."""

    __slots__ = ("tokens", "text", "base", "kbf", "gzf", "ev")

    def __init__(self, tokens, text: str | None = None, use_kb: bool = True):
        lex = lexicon()
        self.tokens, self.text = tokens, text
        self.base = [_word_feats(t, lex) for t in tokens]
        widx = [i for i, t in enumerate(tokens) if t.is_word]
        self.kbf, self.gzf = _lex_flags(tokens, widx, lex, use_kb)
        self.ev = _evidence(tokens, self.base, self.kbf, self.gzf)


def _evidence(tokens, base, kbf, gzf) -> list:
    """Per token: None, or (keys, evidence): the forms it is known by (normalised form and clitic-stripped
    stems of three letters or more) and what its context says (cue word of a type one or two tokens
    before: 'cPER'; KB alias of a type: 'kPER'; gazetteer name: 'g'; personal-name word beside it: 'n')."""
    n = len(tokens)
    out = [None] * n
    for i, tok in enumerate(tokens):
        b = base[i]
        if not tok.is_word or len(tok.norm) < 3 or b[2] or b[0][1][3] not in "AL":
            continue
        e = set()
        for j in (i - 1, i - 2):
            if j >= 0 and base[j][2]:
                e.add("c" + base[j][2])
        if kbf[i]:
            e.add("k" + kbf[i][-3:])
        if gzf[i]:
            e.add("g")
        if (i and base[i - 1][1]) or (i + 1 < n and base[i + 1][1]):
            e.add("n")
        keys = {tok.norm}
        keys.update(st for _, st in tok.stems[1:] if len(st) >= 3)
        out[i] = (keys, e)
    return out


def doc_counts(preps) -> dict:
    """{form: {evidence: occurrences}} over the Prepared sequences of one document ('#': all occurrences)."""
    d: dict = {}
    for p in preps:
        for x in p.ev:
            if x is None:
                continue
            keys, e = x
            for k in keys:
                c = d.get(k)
                if c is None:
                    c = d[k] = {"#": 0}
                c["#"] += 1
                for y in e:
                    c[y] = c.get(y, 0) + 1
    return d


def token_features(tokens, text: str | None = None, use_kb: bool = True, doc: dict | None = None,
                   prep: Prepared | None = None) -> list:
    """CRF features (lists of strings) for every token. `use_kb=False` leaves out the KB flags. `doc`: the
    `doc_counts` of the document the tokens belong to (None = the tokens are the whole document)."""
    n = len(tokens)
    if not n:
        return []
    p = prep or Prepared(tokens, text, use_kb)
    base, kbf, gzf = p.base, p.kbf, p.gzf
    if doc is None:
        doc = doc_counts([p])
    stems = [b[3] for b in base]  # context forms of the neighbours
    out = []
    for i in range(n):
        b = base[i]
        f = list(b[0])
        if doc is not None and p.ev[i] is not None:
            keys, e = p.ev[i]
            best: dict = {}
            for k in keys:
                c = doc.get(k)
                if c:
                    for y, v in c.items():
                        v -= 1 if (y == "#" or y in e) else 0
                        if v > best.get(y, 0):
                            best[y] = v
            for y in best:
                f.append("d=" + y)
        if i == 0:
            f.append("BOS")
        else:
            f.append("w-1=" + stems[i - 1])
            f.append("w-1|w=" + stems[i - 1] + "|" + stems[i])
            pb = base[i - 1]
            if pb[4]:
                f.append("k-1=" + pb[4])
            if pb[1]:
                f.append("nm-1")
            if pb[2]:
                f.append("cue-1=" + pb[2])
            if kbf[i - 1]:
                f.append("-1" + kbf[i - 1])
            if gzf[i - 1]:
                f.append("-1" + gzf[i - 1])
            if text is not None and "\n" in text[tokens[i - 1].end:tokens[i].start]:
                f.append("NL")
            if i > 1:
                f.append("w-2=" + stems[i - 2])
                if base[i - 2][2]:
                    f.append("cue-2=" + base[i - 2][2])
        if i == n - 1:
            f.append("EOS")
        else:
            f.append("w+1=" + stems[i + 1])
            nb = base[i + 1]
            if nb[4]:
                f.append("k+1=" + nb[4])
            if nb[1]:
                f.append("nm+1")
            if kbf[i + 1]:
                f.append("+1" + kbf[i + 1])
            if gzf[i + 1]:
                f.append("+1" + gzf[i + 1])
            f.append("w|w+1=" + stems[i] + "|" + stems[i + 1])
            if i < n - 2:
                f.append("w+2=" + stems[i + 2])
        if kbf[i]:
            f.append(kbf[i])
        if gzf[i]:
            f.append(gzf[i])
        out.append(f)
    return out


# ---------------------------------------------------------------- tagging

@lru_cache(maxsize=4)
def _tagger(path: str = MODEL_PATH):
    import pycrfsuite

    t = pycrfsuite.Tagger()
    t.open(path)
    return t


def tag_document(seqs: list, use_kb: bool = True, model: str | None = None) -> list:
    """IOB2 tags for every token sequence of one document: [(tokens, text, Prepared or None)], each
    sequence tagged with the evidence of the whole document's words (`doc_counts`)."""
    preps = [p or Prepared(toks, text, use_kb) for toks, text, p in seqs]
    dc = doc_counts(preps)
    tagger = _tagger(model or MODEL_PATH)
    return [tagger.tag(token_features(toks, text, use_kb, dc, p)) if toks else []
            for (toks, text, _), p in zip(seqs, preps)]


def tag_tokens(tokens, text: str | None = None, use_kb: bool = True, model: str | None = None,
               prep: Prepared | None = None) -> list:
    """IOB2 tags for `tokens` (from `segment.tokenize`), the tokens being a whole document."""
    if not tokens:
        return []
    return tag_document([(tokens, text, prep)], use_kb, model)[0]


def token_spans(tokens, tags) -> list:
    """(first, last + 1, type) token ranges from IOB2 tags; punctuation is trimmed from both ends."""
    spans = []
    cur = None
    for i, t in enumerate(tags):
        if t == "O" or (not tokens[i].is_word and tokens[i].norm not in _QUOTES and tokens[i].norm not in "-_&"):
            if cur:
                spans.append(cur)
                cur = None
            continue
        bi, typ = t[0], t[2:]
        if bi == "B" or cur is None or cur[2] != typ:
            if cur:
                spans.append(cur)
            cur = [i, i + 1, typ]
        else:
            cur[1] = i + 1
    if cur:
        spans.append(cur)
    out = []
    for s, e, typ in spans:
        while s < e and not tokens[s].is_word:
            s += 1
        while e > s and not tokens[e - 1].is_word:
            e -= 1
        if e > s:
            out.append((s, e, typ))
    return out


_RIF = frozenset(("ريف", "وريف", "بريف", "فريف", "لريف", "وبريف"))
_DIRS = frozenset(("الشمالي", "الجنوبي", "الشرقي", "الغربي"))


def _drop_rif(tokens, spans: list) -> list:
    """A span that is only "ريف" (countryside) or only direction words (الشمالي الغربي) is no name: dropped;
    the place inside stays a name of its own (ريف إدلب الشمالي → إدلب), and the place matcher builds the
    countryside region."""
    return [sp for sp in spans if not ((sp[1] == sp[0] + 1 and tokens[sp[0]].norm in _RIF)
                                       or all(tokens[k].norm in _DIRS for k in range(sp[0], sp[1])))]


def clitic_len(tok) -> int:
    """Normalised characters of proclitic to leave out of a name starting with `tok` (0 = none)."""
    norm = tok.norm
    if len(tok.stems) < 2 or norm.startswith(("لل", "ولل", "فلل")):
        return 0
    bare = lexicon().bare
    if norm in bare:
        return 0
    fallback = 0
    for clen, stem in tok.stems[1:]:
        if norm[:clen] not in _STRIPPABLE or norm[clen:] != stem:
            continue
        if stem in bare:
            return clen
        if not fallback:
            if stem.startswith("ال") and len(stem) >= 4:
                fallback = clen  # وال / بال / فال …: keep the article (والأسد → الأسد)
            elif norm[0] in "وف" and clen == 1 and len(stem) >= 3:
                fallback = 1  # a conjunction before an unknown name (وسامر → سامر)
    return fallback


def tag_names(article, use_kb: bool = True) -> list:
    """Names found by the tagger over article.tokens: [{"start","end","text","type"}], offsets into
    article.text (end exclusive), sorted, non-overlapping; a clitic-attached leading proclitic
    (وبشار → بشار) is left out of the span, لل stays (للأمم المتحدة)."""
    from .entities import clitic_chars

    text = article.text
    tokens = getattr(article, "tokens", None)
    if not tokens:
        from ..text.segment import tokenize

        tokens = tokenize(text)
    tags = tag_tokens(tokens, text, use_kb)
    out = []
    for s, e, typ in _drop_rif(tokens, token_spans(tokens, tags)):
        first = tokens[s]
        start = first.start
        cl = clitic_len(first)
        if cl:
            start += clitic_chars(first.text, cl)
        end = tokens[e - 1].end
        out.append({"start": start, "end": end, "text": text[start:end], "type": typ})
    return out
