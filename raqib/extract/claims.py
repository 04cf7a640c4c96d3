"""Claims layer: who says what, through whom, with which stance.

A claim hangs on a cue from `lang/ar/cues.tsv`:
- a finite reporting verb ("قال X إن C", "X قالت إن C", "اتهمت X Y بـ C"),
- a relay verb ("نقلت وكالة V عن X أن C": speaker X, via V),
- a circumstantial participle ("، مضيفا أن C": the main clause's speaker),
- a preposition ("C، بحسب X" / "وبحسب X، فإن C").
The speaker is the noun phrase the grammar puts there; when it is elided, a pronoun or an anaphor
("الوزارة"), it resolves to the nearest earlier actor. Content is the complement clause, a quotation
(direct_quote) or the rest of the clause. Stance comes from the cue, or from markers in the content
when the cue is neutral (`lang/ar/stance_markers.tsv`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..lang import records
from ..text.normalize import QUOTE_CHARS, normalize_key
from .entities import clitic_chars

LANG = Path(__file__).resolve().parent.parent / "lang" / "ar"

OPEN_QUOTES = set('"«“„')
CLOSE_QUOTES = set('"»”')
COMMA = {"،", ","}
SENT_END = {".", "!", "?", "؟", "…"}
CONJ = ("و", "ف")
MAX_SPEAKER_WORDS = 12


@dataclass(frozen=True)
class Cue:
    kind: str
    stance: str
    needs: str
    words: tuple
    object: bool = True  # may report with a direct object instead of a complement clause
    object_stance: str = ""  # stance when it does (أكد + object → confirm)
    gender: str = ""  # m / f / pl: what an elided subject must agree with


def _rows(name):
    return records(LANG / name)


@dataclass
class Lexicon:
    cues: dict          # first normalised word -> list[Cue], longest first
    roles: dict         # role -> set of normalised words
    anaphors: dict      # normalised word -> (type, head)
    markers: list       # (words tuple, prefix?, stance, where)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    cues: dict = {}
    for r in _rows("cues.tsv"):
        words = tuple(normalize_key(r["form"]).split())
        if not words:
            continue
        cue = Cue(r["kind"], r["stance"], normalize_key(r.get("needs") or ""), words,
                  (r.get("object") or "yes").strip() != "no", (r.get("object_stance") or "").strip(),
                  (r.get("gender") or "").strip())
        cues.setdefault(words[0], []).append(cue)
    for lst in cues.values():
        lst.sort(key=lambda c: -len(c.words))
    roles: dict = {}
    anaphors = {}
    for r in _rows("claim_words.tsv"):
        w = normalize_key(r["word"])
        roles.setdefault(r["role"], set()).add(w)
        if r["role"] == "anaphor":
            t, _, head = (r.get("value") or "").partition(":")
            anaphors[w] = (t, normalize_key(head))
    markers = []
    for r in _rows("stance_markers.tsv"):
        m = r["marker"].strip()
        prefix = m.endswith("*")
        words = tuple(normalize_key(m.rstrip("*")).split())
        markers.append((words, prefix, r["stance"], r["where"]))
    return Lexicon(cues, roles, anaphors, markers)


@lru_cache(maxsize=1)
def _first_names() -> frozenset:
    """Personal-name words (lang/ar/first_names.tsv), to tell بشار from بمقتل."""
    path = LANG / "first_names.tsv"
    out = set()
    if path.exists():
        for line in path.open(encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                out.add(normalize_key(line.split("\t")[0]))
    return frozenset(out)


def _role_words(role: str) -> frozenset:
    return frozenset(lexicon().roles.get(role, ()))


RELATIVES = _role_words("relative")
STANCE_PRIORITY = ["deny", "accuse", "warn", "demand", "confirm"]


class _Doc:
    """Token-level view of an article for the claim rules."""

    def __init__(self, article):
        self.a = article
        self.text = article.text
        self.toks = article.tokens
        self.lex = lexicon()
        n = len(self.toks)
        # sentence index per token
        self.sent_of = [0] * n
        sents = article.sentences or [{"start": 0, "end": len(self.text)}]
        si = 0
        self.sent_tok = []  # (first token, last token + 1) per sentence
        first = 0
        for i, t in enumerate(self.toks):
            while si < len(sents) - 1 and t.start >= sents[si]["end"]:
                self.sent_tok.append((first, i))
                first = i
                si += 1
            self.sent_of[i] = si
        self.sent_tok.append((first, n))
        while len(self.sent_tok) < len(sents):
            self.sent_tok.append((n, n))
        # entity mention per token
        self.ent_at = [None] * n
        self.mentions = []  # (start, end, entity)
        for e in article.entities:
            for m in e["mentions"]:
                self.mentions.append((m["start"], m["end"], e))
        self.mentions.sort(key=lambda x: x[0])
        # one sweep over tokens and mentions, both sorted by start (linear in the article's length)
        k = 0
        for i, t in enumerate(self.toks):
            while k < len(self.mentions) and self.mentions[k][1] <= t.start:
                k += 1
            for m in self.mentions[k:k + 4]:
                if m[0] < t.end and m[1] > t.start:
                    self.ent_at[i] = m
                    break
        self.time_spans = [(t["start"], t["end"]) for t in (article.times or [])]
        self.conj = {}  # cue token -> True when its reading dropped a conjunction
        self.time_tok = [False] * n
        spans = sorted(self.time_spans)
        k = 0
        for i, t in enumerate(self.toks):
            while k < len(spans) and spans[k][1] <= t.start:
                k += 1
            self.time_tok[i] = k < len(spans) and spans[k][0] < t.end
        self.mention_starts = [m[0] for m in self.mentions]
        self.by_id = {e["id"]: e for e in article.entities}

    def mentions_before(self, pos, limit=300):
        """Mentions that start before pos, nearest first (at most `limit`)."""
        import bisect
        k = bisect.bisect_left(self.mention_starts, pos)
        return reversed(self.mentions[max(0, k - limit):k])

    def mentions_in(self, s, e):
        """Mentions that overlap [s, e), in text order (bisect over the sorted mentions)."""
        import bisect
        lo = max(0, bisect.bisect_left(self.mention_starts, s) - 4)
        hi = bisect.bisect_left(self.mention_starts, e)
        return [m for m in self.mentions[lo:hi] if m[0] < e and m[1] > s]

    # --- word helpers
    def bare(self, i) -> str:
        """Normalised token without a leading conjunction و/ف."""
        t = self.toks[i]
        for clen, stem in t.stems:
            if clen == 0:
                continue
            if clen == 1 and t.norm[0] in CONJ:
                return stem
        return t.norm

    def readings(self, i):
        """The token's normalised form and its form without a conjunction و/ف."""
        t = self.toks[i]
        out = [t.norm]
        if len(t.norm) > 2 and t.norm[0] in CONJ:
            out.append(t.norm[1:])
        return out

    def is_first_name(self, w) -> bool:
        return w in _first_names()

    def is_role_word(self, w, role) -> bool:
        return w in self.lex.roles.get(role, ())

    def is_role(self, i, role) -> bool:
        words = self.lex.roles.get(role, ())
        return any(r in words for r in self.readings(i))

    def in_time(self, i) -> bool:
        return self.time_tok[i]

    def is_quote(self, i) -> bool:
        return self.toks[i].text in QUOTE_CHARS or self.toks[i].text in ("«", "»")


def _find_cues(doc: _Doc):
    """(token index, number of tokens, Cue) for every cue in the text."""
    toks = doc.toks
    out = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if not t.is_word:
            i += 1
            continue
        found = None
        for r in doc.readings(i):
            for cue in doc.lex.cues.get(r, ()):
                k = len(cue.words)
                # following words (skip nothing)
                ok = True
                j = i
                for w in cue.words[1:]:
                    j += 1
                    if j >= n or toks[j].norm != w:
                        ok = False
                        break
                if not ok:
                    continue
                if cue.needs:
                    window = [toks[x].norm for x in range(j + 1, min(n, j + 12)) if toks[x].is_word]
                    if not any(cue.needs in w for w in window):
                        continue
                found = (i, j - i + 1, cue)
                doc.conj[i] = r != toks[i].norm
                break
            if found:
                break
        if found:
            out.append(found)
            i += found[1]
        else:
            i += 1
    return out


def _span(doc, a, b):
    """Character span of tokens a..b-1 (trimmed of punctuation at both ends)."""
    toks = doc.toks
    while a < b and not toks[a].is_word and not doc.is_quote(a):
        a += 1
    while b > a and not toks[b - 1].is_word and not doc.is_quote(b - 1):
        b -= 1
    if a >= b:
        return None
    return toks[a].start, toks[b - 1].end


def _strip_quotes_span(text, s, e):
    while s < e and (text[s] in QUOTE_CHARS or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in QUOTE_CHARS or text[e - 1].isspace() or text[e - 1] in ".،,"):
        e -= 1
    return s, e


class ClaimFinder:
    def __init__(self, article):
        self.doc = _Doc(article)
        self.claims = []
        self.quoted = []  # char spans of direct quotes already taken

    # ---------- speaker phrase
    def speaker_phrase(self, i, end, allow_stop_first=False):
        """Noun phrase starting at token i (before token `end`). Returns (a, b) token range."""
        doc, toks = self.doc, self.doc.toks
        j = i
        words = 0
        last_ent = None
        while j < end and words < MAX_SPEAKER_WORDS:
            t = toks[j]
            m = doc.ent_at[j]
            if m is not None and words > 0 and self._is_via_start(j):
                break  # "قال متحدث باسم الوحدات لرويترز": the outlet told is not the speaker
            if m is not None:
                # a second actor after a person, or after an organisation/place, is the object
                # ("حثت هيلي روسيا", "تنفي موسكو إسرائيل"); a title before a name is not
                if last_ent is not None and m[2] is not last_ent and (
                        last_ent["type"] == "PER" or m[2]["type"] != "PER"):
                    break
                if last_ent is None and words > 0 and m[2]["type"] != "PER" and j > i and \
                        (_is_nisba(toks[j - 1].norm) or toks[j - 1].norm in _DEF_NUMBERS) and \
                        not t.norm.startswith(("ب", "ل")):
                    break  # "اتهمت الدول الغربية الثلاثة دمشق": the place after the phrase is the object
                last_ent = m[2]
                while j < end and toks[j].start < m[1]:
                    j += 1
                words += 1
                continue
            if not t.is_word:
                if t.text in ("#", "_"):
                    j += 1
                    continue
                if doc.is_quote(j):
                    # a quoted name: “الدفاع” — closes within four tokens
                    k = j + 1
                    while k < min(end, j + 6) and not doc.is_quote(k) and toks[k].is_word:
                        k += 1
                    if k < end and doc.is_quote(k) and k > j + 1 and (words > 0 or k - j <= 4):
                        j = k + 1
                        words += k - j
                        continue
                break
            if doc.is_role(j, "comp") or (words and doc.in_time(j)):
                break
            if last_ent is not None and (last_ent["type"] == "PER" or not _is_nisba(t.norm)):
                break  # "وذكر غوتيرش النزاع", "ونفت روسيا الاتهامات": after a name comes the object
            if words > 0 and t.norm.startswith("لل") and len(t.norm) > 4 and not doc.is_role(j - 1, "channel"):
                break  # "قال ماتيس للصحافيين" (but "بيان للوزارة" is one phrase)
            if words == 0 and doc.in_time(j):
                break
            if doc.is_role(j, "stop") and words > 0:
                # "لدى"/"من"/"في" inside a title: keep when a name follows right after
                if t.norm in ("لدي", "من", "في", "باسم") and j + 1 < end and doc.ent_at[j + 1] is not None \
                        and words < 6:
                    j += 1
                    continue
                break
            if doc.is_role(j, "stop") and words == 0 and not allow_stop_first:
                break
            if words == 0 and not allow_stop_first and t.norm.startswith("ب") and len(t.norm) > 3 \
                    and not doc.is_first_name(t.norm) and not doc.is_role(j, "channel") \
                    and not doc.is_role(j, "head") and not doc.is_role(j, "unnamed"):
                break  # "أفاد بمقتل…": a subject never starts with the preposition بـ
            if (doc.is_role(j, "via_prep") and words > 0) or self._is_via_start(j):
                break
            if self._cue_at(j):
                break
            j += 1
            words += 1
        if words > 0 and j < end and toks[j].text in COMMA:
            j = self._apposition(j, end)
        return i, j

    def _apposition(self, j, end):
        """"المتحدث العسكري، كولونيل جوناثان كونريكوس، إن": a short name or title between commas
        belongs to the speaker phrase. Returns the new end (the comma itself when there is none)."""
        doc, toks = self.doc, self.doc.toks
        k = j + 1
        n = 0
        while k < end and n <= 5:
            t = toks[k]
            if not t.is_word:
                if t.text in "()#":
                    k += 1
                    continue
                break
            if doc.in_time(k) or doc.is_role(k, "comp") or k in self.cue_index or \
                    (doc.is_role(k, "stop") and n == 0) or self._is_via_start(k):
                return j
            n += 1
            k += 1
        if n == 0 or n > 5 or k >= end:
            return j
        if toks[k].text in COMMA or doc.is_role(k, "comp") or toks[k].text == ":":
            return k
        return j

    def _cue_at(self, j):
        return j in self.cue_index

    def _is_via_start(self, j):
        """"لوكالة"/"لصحيفة"/"لـ" introducing an outlet."""
        doc, t = self.doc, self.doc.toks[j]
        if t.norm == "ل" or t.text in ("لـ", "ل"):
            return True
        for clen, stem in t.stems:
            if clen == 1 and t.norm.startswith("ل") and stem in doc.lex.roles.get("outlet", ()):
                return True
        m = doc.ent_at[j]
        if t.norm.startswith("ل") and m is not None and m[0] >= t.start and m[2].get("kb") \
                and self._is_outlet_kb(m[2]["kb"]):
            return True  # "لرويترز" (the mention may keep its ل when the bare name never occurs)
        return False

    # ---------- entity helpers
    def entity_in(self, s, e, prefer=("PER", "ORG", "LOC")):
        best = None
        for ms, me, ent in self.doc.mentions_in(s, e):
            if ms < e and me > s:
                rank = prefer.index(ent["type"]) if ent["type"] in prefer else 9
                cand = (rank, ms if ent["type"] != "PER" else -ms, ent)
                if best is None or cand[:2] < best[:2]:
                    best = cand
        return best[2]["id"] if best else None

    def resolve_anaphor(self, word_idx, before_pos):
        """Nearest earlier entity compatible with an anaphoric noun (الوزارة → وزارة...)."""
        doc = self.doc
        r = None
        for w in doc.readings(word_idx):
            t = doc.toks[word_idx]
            cands = [w] + [stem for clen, stem in t.stems if clen]
            for c in cands:
                if c in doc.lex.anaphors:
                    r = doc.lex.anaphors[c]
                    break
            if r:
                break
        if not r:
            return None
        typ, head = r
        for ms, me, ent in doc.mentions_before(before_pos):
            if ent["type"] != typ:
                continue
            name = normalize_key(ent.get("name") or "")
            mtext = normalize_key(doc.text[ms:me])
            if not head or name.startswith(head) or mtext.startswith(head) or \
                    name.startswith("ال" + head) or mtext.startswith("ال" + head):
                return ent["id"]
        # previous claim speaker of the right type
        for c in reversed(self.claims[-20:]):
            sp = c.get("speaker")
            if sp and sp.get("entity"):
                ent = self._ent(sp["entity"])
                if ent and ent["type"] == typ:
                    return ent["id"]
        return None

    def via_item(self, s, e):
        """A relaying outlet: the span of its entity mention inside the phrase when there is one."""
        for ms, me, ent in self.doc.mentions_in(s, e):
            if ms >= s and me <= e and ent["type"] == "ORG":
                return {"start": ms, "end": me, "text": self.doc.text[ms:me], "entity": ent["id"]}
        return {"start": s, "end": e, "text": self.doc.text[s:e], "entity": self.entity_in(s, e)}

    def _ent(self, eid):
        return self.doc.by_id.get(eid)

    def make_speaker(self, a, b):
        """Speaker dict from token range a..b (a leading channel noun — بيان — is skipped)."""
        doc = self.doc
        while a < b and (doc.is_role(a, "channel") or not doc.toks[a].is_word and not doc.is_quote(a)):
            a += 1
        sp = _span(doc, a, b)
        if not sp:
            return None
        s, e = _strip_quotes_span(doc.text, *sp)
        if e <= s:
            return None
        ent = self.entity_in(s, e)
        if ent is None and doc.toks[a].is_word:
            ent = self.resolve_anaphor(a, s)
        return {"start": s, "end": e, "text": doc.text[s:e], "entity": ent}

    def speaker_gender(self, sp):
        """m / f for a speaker phrase or entity when Arabic morphology tells; None when it does not
        (states and cities take either; unnamed plurals agree in many ways)."""
        if not sp:
            return None
        ent = self._ent(sp.get("entity")) if sp.get("entity") else None
        if ent is not None and ent["type"] == "LOC":
            return None
        words = normalize_key(sp.get("text") or "").split()
        if not words:
            return None
        w = words[0]
        if w in self.doc.lex.roles.get("unnamed", ()):
            return None
        if ent is not None and ent["type"] == "ORG" and not w.endswith("ه"):
            name = normalize_key(ent.get("name") or "").split()
            w = name[0] if name else w
        if w.endswith("ه"):
            return "f"
        if ent is not None and ent["type"] == "PER" and not self.doc.is_role_word(w, "head"):
            return None  # a bare personal name: Arabic spelling does not tell (هيلي، ماي)
        return "m"

    def previous_speaker(self, pos, sent, gender=""):
        """The speaker of the nearest earlier claim (elided subjects, أضاف، مضيفا); with the verb's
        gender, the nearest one that agrees ("وأكدت" after a man's statement is someone else)."""
        first = None
        for c in reversed(self.claims[-30:]):
            if c["_pos"] < pos and c.get("speaker") and sent - c["_sent"] <= 4 and c.get("_kind") != "prep":
                g = self.speaker_gender(c["speaker"])
                if gender in ("m", "f") and g and g != gender:
                    first = first or c
                    continue
                return dict(c["speaker"]), c
        if first is not None:
            return dict(first["speaker"]), first
        # no earlier claim: the nearest earlier person or organisation of the last sentences
        doc = self.doc
        for ms, me, ent in doc.mentions_before(pos):
            if me > pos or ent["type"] not in ("PER", "ORG"):
                continue
            if doc.text.count("\n", ms, pos) > 2:
                break
            s, e = _strip_quotes_span(doc.text, ms, me)
            return {"start": s, "end": e, "text": doc.text[s:e], "entity": ent["id"]}, None
        return None, None

    def subject_np_before(self, ci, first):
        """A subject noun phrase that opens the clause before the verb ("إلا أن روسيا تتهم",
        "وكانت تقارير إسرائيلية قالت", "الجيش السوري يدعو"). None when the verb carries the
        conjunction و (a coordinated verb shares the earlier subject) or no clause start is near."""
        doc, toks = self.doc, self.doc.toks
        if doc.conj.get(ci):
            return None
        j = ci - 1
        while j >= first and doc.bare(j) in ("قد", "لقد"):
            j -= 1
        end_tok = j + 1
        words = 0
        while j >= first:
            t = toks[j]
            if not t.is_word:
                if doc.is_quote(j):
                    j -= 1
                    continue
                break  # comma, colon, bracket: a clause boundary
            if doc.is_role(j, "boundary") or doc.bare(j) in RELATIVES or j in self.cue_index:
                break
            words += 1
            if words > 6:
                return None
            j -= 1
        a = j + 1
        while a < end_tok and not toks[a].is_word and not doc.is_quote(a):
            a += 1
        if words == 0 or a >= end_tok:
            return None
        if j >= first and doc.bare(j) in RELATIVES:
            return None
        if doc.ent_at[a] is None and not (doc.is_role(a, "head") or doc.is_role(a, "unnamed")
                                          or doc.is_role(a, "anaphor")):
            return None
        if any(doc.is_role(x, "comp") for x in range(a, end_tok)):
            return None
        sp = self.make_speaker(a, end_tok)
        return sp

    def subject_before(self, i, sent_first):
        """An entity mention that ends right before the cue ("تركيا تنتقد", "وكانت X قد ذكرت")."""
        doc, toks = self.doc, self.doc.toks
        j = i - 1
        while j >= sent_first and (toks[j].norm in ("قد", "لقد", "وقد") or doc.is_quote(j)):
            j -= 1
        if j < sent_first:
            return None
        m = doc.ent_at[j]
        if m is None:
            return None
        s, e, ent = m
        # the mention should start the clause: sentence start, كان/كانت, a comma, or و
        k = j
        while k >= sent_first and toks[k].start >= s:
            k -= 1
        if k >= sent_first and not (toks[k].text in COMMA or self.doc.bare(k) in ("كان", "كانت", "كانوا", "ان", "لكن")
                                    or doc.is_quote(k)):
            return None
        ps, pe = _strip_quotes_span(doc.text, s, e)
        return {"start": ps, "end": pe, "text": doc.text[ps:pe], "entity": ent["id"]}

    # ---------- content
    def content_from(self, j, end, stop_at_cue=True):
        """Content starting at token j up to `end` (sentence end or next cue); a quotation when
        it opens with a quote mark (then it may run past the sentence to its closing mark)."""
        doc, toks = self.doc, self.doc.toks
        while j < end and (toks[j].text in COMMA | {":"} or toks[j].text in "»”"):
            j += 1
        if j >= len(toks):
            return None
        if doc.is_quote(j) and toks[j].text not in "»”":
            # direct quote: find the closing mark
            k = j + 1
            limit = min(len(toks), j + 600)
            while k < limit:
                tt = toks[k].text
                if tt in ("”", "»") or (tt in ('"',) and toks[j].text == '"'):
                    break
                if tt in ("“", "«") and toks[j].text in ("“", "«"):
                    break  # a new quote opens: the previous one was unbalanced
                if "\n" in doc.text[toks[k - 1].end:toks[k].start]:
                    break  # quotations do not run across paragraphs
                k += 1
            s, e = toks[j + 1].start if j + 1 < len(toks) else toks[j].end, toks[k - 1].end
            if k - j < 3:
                return None
            # a short quoted phrase followed by more text is not a full quotation
            after = k + 1
            if k < limit and after < end and toks[after].is_word and k - j <= 6:
                sp = _span(doc, j, end)
                if not sp:
                    return None
                s, e = _strip_quotes_span(doc.text, *sp)
                return s, e, False, end
            s, e = _strip_quotes_span(doc.text, s, e)
            return s, e, True, k + 1
        sp = _span(doc, j, end)
        if not sp:
            return None
        s, e = _strip_quotes_span(doc.text, *sp)
        if e - s < 6:
            return None
        return s, e, False, end

    def clause_end(self, i, sent_last):
        """Where the content that follows token i ends: the sentence end, or a comma before the
        next participle or prepositional cue (which starts a claim of its own)."""
        import bisect
        toks = self.doc.toks
        k0 = bisect.bisect_right(self.cue_starts, i)
        for (ci, n, cue) in self.cue_list[k0:]:
            if ci >= sent_last:
                break
            if ci <= i:
                continue
            if cue.kind in ("part", "prep", "verb", "relay"):
                # only when separated by a comma/quote or a conjunction و
                k = ci - 1
                if toks[ci].norm[0] in CONJ and cue.kind != "prep" and toks[ci].norm not in self.doc.lex.cues:
                    return ci
                if k > i and (toks[k].text in COMMA or self.doc.is_quote(k)):
                    return k
        return sent_last

    # ---------- stance
    def stance(self, cue, s, e, cue_end_pos, speaker=None):
        if cue.stance != "assert":
            return cue.stance
        doc = self.doc
        # markers are looked for in the first STANCE_SCAN characters of the content: a longer
        # content is a runaway span (text without punctuation), and scanning it whole per claim
        # made such texts quadratic
        content_words = normalize_key(doc.text[s:min(e, s + STANCE_SCAN)]).split()
        after_cue = normalize_key(doc.text[cue_end_pos:min(s, cue_end_pos + 80)]).split()[:8]
        found = set()
        content_index = None
        spk = (speaker or {}).get("entity")
        other_actor = any(ms >= s and me <= e and ent["id"] != spk and ent["type"] in ("PER", "ORG", "LOC")
                          for ms, me, ent in doc.mentions_in(s, e))
        for words, prefix, stance, where in doc.lex.markers:
            if where == "act" and not other_actor:
                continue
            if where == "conditional" and not any(_is_future(w) for w in content_words):
                continue
            if where == "cue":
                if _contains(after_cue + content_words[:3], words, prefix):
                    found.add(stance)
            elif where == "start":
                if _contains(content_words[:2], words, prefix):
                    found.add(stance)
            elif stance not in found:
                if content_index is None:
                    content_index = _WordIndex(content_words)
                if content_index.contains(words, prefix):
                    found.add(stance)
        for st in STANCE_PRIORITY:
            if st in found:
                return st
        return "assert"

    # ---------- main
    def run(self):
        doc, toks = self.doc, self.doc.toks
        self.cue_list = _find_cues(doc)
        self.cue_index = {ci for ci, _, _ in self.cue_list}
        self.cue_starts = [ci for ci, _, _ in self.cue_list]
        self.consumed = set()
        self.contents = set()
        for ci, n, cue in self.cue_list:
            t = toks[ci]
            if ci in self.consumed or any(qs <= t.start < qe for qs, qe in self.quoted):
                continue
            sent = doc.sent_of[ci]
            first, last = doc.sent_tok[sent]
            try:
                if cue.kind == "prep":
                    self.prep_claim(ci, n, cue, sent, first, last)
                elif cue.kind == "part":
                    self.part_claim(ci, n, cue, sent, first, last)
                else:
                    self.verb_claim(ci, n, cue, sent, first, last)
            except IndexError:
                continue
        return self.claims

    def add(self, ci, n, cue, sent, speaker, content, via, stance_cue=None):
        doc = self.doc
        s, e, direct, _ = content
        if e - s < 4:
            return
        if (s, e) in self.contents:  # one content, one claim
            return
        self.contents.add((s, e))
        cs, ce = doc.toks[ci].start, doc.toks[ci + n - 1].end
        # the cue span excludes a leading conjunction
        t = doc.toks[ci]
        if doc.conj.get(ci):
            cs = t.start + clitic_chars(t.text, 1)
        claim = {
            "id": None,
            "sentence": sent,
            "cue": {"start": cs, "end": ce, "text": doc.text[cs:ce]},
            "speaker": speaker,
            "content": {"start": s, "end": e, "text": doc.text[s:e]},
            "stance": self.stance(stance_cue or cue, s, e, ce, speaker),
            "via": via,
            "direct_quote": direct,
            "targets": [],
            "_pos": cs, "_sent": sent, "_kind": cue.kind,
        }
        spk = speaker.get("entity") if speaker else None
        targets = []
        for ms, me, ent in doc.mentions_in(s, e):
            if ms >= s and me <= e and ent["id"] != spk and ent["id"] not in targets:
                targets.append(ent["id"])
        claim["targets"] = targets
        if direct:
            self.quoted.append((s, e))
        self.claims.append(claim)

    def via_between(self, a, b):
        """Outlets in tokens a..b introduced by لـ/لوكالة/مع (a statement made to an outlet)."""
        doc, toks = self.doc, self.doc.toks
        out = []
        j = a
        while j < b:
            if j in self.cue_index and self._relayed_channel(j):
                p, q = self.speaker_phrase(j + 1, b, allow_stop_first=True)
                sp = _span(doc, p, q)
                if sp:
                    s, e = _strip_quotes_span(doc.text, *sp)
                    if e > s:
                        out.append(self.via_item(s, e))
                self.consumed.add(j)
                j = max(q, j + 1)
                continue
            if self._is_via_start(j) or (toks[j].norm == "مع" and j + 1 < b and
                                         (doc.is_role(j + 1, "outlet") or self._outlet_entity(j + 1))):
                k = j + 1 if (toks[j].norm in ("ل", "مع") or toks[j].text == "لـ") else j
                # "لـ" glued: the outlet word is the token itself minus ل
                p, q = self.speaker_phrase(k, b, allow_stop_first=True) if k > j else (j, j + 1)
                if k == j:
                    p, q = self.speaker_phrase(j + 1, b, allow_stop_first=True)
                    p = j
                sp = _span(doc, p, q)
                if sp:
                    s, e = sp
                    if k == j:  # strip the ل clitic
                        s = toks[j].start + clitic_chars(toks[j].text, 1)
                    s, e = _strip_quotes_span(doc.text, s, e)
                    if e > s:
                        out.append(self.via_item(s, e))
                j = max(q, j + 1)
            else:
                j += 1
        return out

    def _relayed_channel(self, k) -> bool:
        """"في بيان أوردته وكالة تاس": a relay verb with an object pronoun right after a channel noun."""
        doc = self.doc
        return k > 0 and doc.is_role(k - 1, "channel") and doc.toks[k].norm.endswith(("ته", "تها", "ه"))

    def _outlet_entity(self, j):
        m = self.doc.ent_at[j]
        return m is not None and m[2]["type"] == "ORG"

    def find_comp(self, j, end):
        """First complementizer, colon or opening quote at or after token j (before end)."""
        doc, toks = self.doc, self.doc.toks
        k = j
        while k < end:
            if k in self.cue_index and k != j and not (k > 0 and self.doc.bare(k - 1) in RELATIVES) \
                    and not self._relayed_channel(k):
                return None
            if doc.is_role(k, "comp"):
                return k, k + 1
            if toks[k].text == ":":
                return k, k + 1
            if doc.is_quote(k) and toks[k].text not in "»”" and k + 4 < end:
                # a quotation opening after a comma or directly; a short quoted word is skipped
                nxt = k + 1
                close = next((x for x in range(nxt, min(end, nxt + 8)) if doc.is_quote(x)), None)
                if close is None:
                    return k, k
                k = close
            k += 1
        return None

    def relay(self, j, end):
        """After a relay verb: "وكالة V عن X [عن Y]" → (via list, speaker token range)."""
        doc, toks = self.doc, self.doc.toks
        chain = []
        a = j
        while True:
            p, q = self.speaker_phrase(a, end)
            # "نقلت وكالة V في وقت سابق عن X": circumstance words may stand before عن
            r = q
            while r < min(end, q + 8) and toks[r].norm != "عن" and not doc.is_role(r, "comp") \
                    and r not in self.cue_index and not doc.is_quote(r) and toks[r].text != ":":
                r += 1
            if r < end and toks[r].norm == "عن" and q > p:
                chain.append((p, q))
                a = r + 1
                continue
            chain.append((p, q))
            break
        via = []
        for p, q in chain[:-1]:
            sp = _span(doc, p, q)
            if sp:
                s, e = _strip_quotes_span(doc.text, *sp)
                if e > s:
                    via.append(self.via_item(s, e))
        return via, chain[-1]

    def verb_claim(self, ci, n, cue, sent, first, last):
        doc, toks = self.doc, self.doc.toks
        j = ci + n
        # "ولم تعلن أي جهة مسؤوليتها": a negated cue whose subject is "any" reports no statement
        if j < last and doc.bare(j) in ("اي", "أي") and ci > first and doc.bare(ci - 1) in ("لم", "لا", "لن"):
            return
        # "رفض التعليق", "رفضت الوزارة التعليق": no statement
        if any(doc.is_role(k, "no_claim") for k in range(j, min(last, j + 5))):
            return
        end = self.clause_end(ci, last)
        via = []
        if cue.kind == "relay":
            via, (p, q) = self.relay(j, end)
            speaker = self.make_speaker(p, q) if q > p else None
        elif (pre := self.subject_np_before(ci, first)) is not None:
            # SVO: the subject stands before the verb; what follows it is the object
            speaker = pre
            p = q = j
        else:
            p, q = self.speaker_phrase(j, end)
            speaker = self.make_speaker(p, q) if q > p else None
            # "وقالت سانا نقلا عن مصدر": the subject relays another speaker
            k = q
            while k < end and toks[k].text in COMMA:
                k += 1
            if speaker and k + 1 < end and toks[k].norm in ("نقلا", "نقلاً") and toks[k + 1].norm == "عن":
                v2, (p2, q2) = self.relay(k + 2, end)
                self.consumed.add(k)
                src = self.make_speaker(p2, q2) if q2 > p2 else None
                if self._outlet_phrase(p, q) and src:
                    via = [dict(speaker)] + v2  # "قالت سانا نقلا عن مصدر": the outlet relays
                    speaker = src
                elif src:
                    via = v2 + [src]            # "اعترف X، نقلا عن مصادر": sources relay X
                q = q2
        after = q if (cue.kind == "relay" or q > p) else j
        comp = self.find_comp(after, end)
        # an elided or preceding subject
        inherited = None
        if cue.words[0] == "جاء":
            # "أصدر المجلس بيانا جاء فيه": the statement's author is the actor named before it
            speaker = None
            for ms, me, ent in doc.mentions_before(toks[ci].start, 50):
                if toks[first].start <= ms < toks[ci].start and ent["type"] in ("ORG", "PER", "LOC"):
                    s_, e_ = _strip_quotes_span(doc.text, ms, me)
                    speaker = {"start": s_, "end": e_, "text": doc.text[s_:e_], "entity": ent["id"]}
                    break
        if speaker is None:
            speaker = self.subject_before(ci, first)
            if speaker is None:
                if self._inside_content(toks[ci].start):
                    return  # "قالت إن الدلائل تشير إلى…": a verb inside a claim with no actor of its own
                speaker, inherited = self.previous_speaker(toks[ci].start, sent, cue.gender)
        relative = ci > first and doc.bare(ci - 1) in RELATIVES or (
            ci - 2 >= first and doc.bare(ci - 1) in ("قد", "كانت", "كان") and doc.bare(ci - 2) in RELATIVES)
        if relative and q == p and cue.kind != "relay":
            # "المؤسسة التي أشارت إلى…": the relative pronoun is the subject, its antecedent speaks
            ante = self.antecedent(ci - 1 if doc.bare(ci - 1) in RELATIVES else ci - 2, first)
            if ante is not None:
                speaker, relative = ante, False
        if relative and q > p and comp is not None and any(toks[x].is_word for x in range(q, comp[0])):
            return  # "الاجتماع الذي طالبت بريطانيا بعقده، إن…": an embedded verb, not a statement
        if comp is None and (relative or not cue.object or cue.kind == "relay"):
            content = self.content_before(ci, first) if not relative else None
            if content is not None:
                self.add(ci, n, cue, sent, speaker, content, via)
            return
        if comp is not None and speaker and q > p and cue.kind != "relay":
            speaker = self._name_after_title(speaker, q, comp[0])
        if comp is not None:
            via += self.via_between(after, comp[0])
            content = self.content_from(comp[1], end)
        else:
            # no complementizer: the object clause follows the speaker ("اتهمت X Y بـ", "دعا X إلى")
            k = after
            while k < end and (doc.in_time(k) or toks[k].text in COMMA or toks[k].text in "»”"):
                k += 1
            if k < end and self._is_via_start(k) and doc.ent_at[k] is not None:
                # "أكد أحد أعضاء الوفد لوكالة الأنباء الفرنسية التوصل…": the outlet, then the object
                m = doc.ent_at[k]
                via.append(self.via_item(m[0], m[1]))
                while k < end and toks[k].start < m[1]:
                    k += 1
            content = self.content_from(k, end) if k < end else None
            if content is not None and cue.object_stance and k < end and toks[k].is_word \
                    and doc.bare(k) not in ("علي", "الي") and not content[2]:
                cue = Cue(cue.kind, cue.object_stance, cue.needs, cue.words, cue.object, "", cue.gender)
            if content is None:
                # content before the cue: «QUOTE»، قال X / C، يقول X
                content = self.content_before(ci, first)
        if content is None:
            return
        if inherited is not None and not via and cue.kind != "relay":
            via = [dict(v) for v in inherited.get("via", [])]
        if not via and speaker and speaker.get("entity"):
            via = self._inherit_via(speaker["entity"], sent)
        self.add(ci, n, cue, sent, speaker, content, via)

    def _inherit_via(self, ent, sent):
        """Later statements from the same relayed statement keep its via."""
        for c in reversed(self.claims):
            if sent - c["_sent"] > 3:
                break
            if (c.get("speaker") or {}).get("entity") == ent:
                return [dict(v) for v in c.get("via", [])]
        return []

    def antecedent(self, rel, first):
        """The actor a relative pronoun at token `rel` refers back to (an entity just before it)."""
        doc, toks = self.doc, self.doc.toks
        j = rel - 1
        hops = 0
        while j >= first and hops < 4:
            m = doc.ent_at[j]
            if m is not None:
                s, e = _strip_quotes_span(doc.text, m[0], m[1])
                return {"start": s, "end": e, "text": doc.text[s:e], "entity": m[2]["id"]}
            if toks[j].is_word:
                hops += 1
            j -= 1
        return None

    def content_before(self, ci, first):
        doc, toks = self.doc, self.doc.toks
        k = ci - 1
        if k < first or not (toks[k].text in COMMA or doc.is_quote(k)):
            return None
        while k >= first and (toks[k].text in COMMA or doc.is_quote(k)):
            k -= 1
        if k < first:
            return None
        a = first
        while a < k and toks[a].text in COMMA:
            a += 1
        sp = _span(doc, a, k + 1)
        if not sp:
            return None
        s, e = _strip_quotes_span(doc.text, *sp)
        if e - s < 10:
            return None
        direct = doc.is_quote(first) or doc.text[sp[0]] in OPEN_QUOTES
        return s, e, direct, ci

    def part_claim(self, ci, n, cue, sent, first, last):
        doc = self.doc
        end = self.clause_end(ci, last)
        comp = self.find_comp(ci + n, end)
        j = comp[1] if comp else ci + n
        content = self.content_from(j, end)
        if content is None:
            return
        speaker = None
        inherited = None
        for c in reversed(self.claims[-10:]):
            if c["_sent"] == sent and c["_pos"] < doc.toks[ci].start:
                speaker, inherited = (dict(c["speaker"]) if c["speaker"] else None), c
                break
        if speaker is None:
            # the main clause's subject: the first entity of the sentence
            for ms, me, ent in doc.mentions_in(doc.toks[first].start, doc.toks[ci].start):
                if doc.toks[first].start <= ms < doc.toks[ci].start and ent["type"] in ("PER", "ORG", "LOC"):
                    speaker = {"start": ms, "end": me, "text": doc.text[ms:me], "entity": ent["id"]}
                    break
        if speaker is None:
            speaker, inherited = self.previous_speaker(doc.toks[ci].start, sent, cue.gender)
        via = [dict(v) for v in inherited.get("via", [])] if inherited else []
        self.add(ci, n, cue, sent, speaker, content, via)

    def prep_claim(self, ci, n, cue, sent, first, last):
        doc, toks = self.doc, self.doc.toks
        j = ci + n
        # "بحسب ما نقلت/أفادت X": a verb follows
        stance_cue = None
        via = []
        end = self.clause_end(ci, last)
        if j < end and doc.is_role(j, "self_ref"):
            return  # "حسب تعبيره": the current speaker's own words
        if j < end and toks[j].norm in ("ما", "لما"):
            j += 1
        nxt = [c for c in self.cue_list if c[0] == j]
        if nxt:
            vci, vn, vcue = nxt[0]
            self.cue_index.discard(vci)
            self.consumed.add(vci)
            self.cue_list = [c for c in self.cue_list if c[0] != vci]
            self.cue_starts = [c[0] for c in self.cue_list]
            j = vci + vn
            if vcue.kind == "relay":
                via, (p, q) = self.relay(j, end)
            else:
                p, q = self.speaker_phrase(j, end)
            stance_cue = vcue if vcue.stance != "assert" else None
        else:
            # "وفقا لـ X", "نقلا عن X": skip the preposition
            if j < end and (toks[j].norm in ("ل", "عن") or toks[j].text == "لـ"):
                j += 1
            p, q = self.speaker_phrase(j, end, allow_stop_first=False)
            if q == p and j < end and toks[j].norm.startswith("ل") and toks[j].is_word:
                p, q = self.speaker_phrase(j, end, allow_stop_first=True)
        speaker = self.make_speaker(p, q) if q > p else None
        # strip a ل clitic glued to the speaker after وفقا/طبقا ("وفقا لمؤسسة …")
        if speaker and doc.text[speaker["start"]] == "ل" and cue.words[0] in ("وفقا", "وفق", "طبقا"):
            s = speaker["start"] + 1
            speaker = {**speaker, "start": s, "text": doc.text[s:speaker["end"]]}
        k = ci - 1
        initial = k < first or all(not toks[x].is_word for x in range(first, ci))
        # "C، وفق ما ذكرت وكالة V": an outlet relaying the claim just before is its via
        prev = None if initial else self._claim_before(ci)
        if prev is not None and speaker and (nxt or self._outlet_phrase(p, q)):
            relayed = via + [{k: v for k, v in speaker.items()}] if nxt and via else [dict(speaker)]
            if nxt and vcue.kind == "relay" and via:
                relayed = via
            for c in self._same_statement(prev):
                c["via"] = c["via"] + [v for v in relayed if v["start"] not in {x["start"] for x in c["via"]}]
            return
        # clause position: sentence-initial ("وبحسب X، فإن C") or final ("C، وفق X")
        k = ci - 1
        initial = k < first or all(not toks[x].is_word for x in range(first, ci))
        if initial:
            a = q
            while a < end and (toks[a].text in COMMA or toks[a].norm in ("فان", "فان", "فانه", "فانها", "ان")):
                a += 1
            content = self.content_from(a, end)
        else:
            content = self.content_before(ci, first) or self._content_around(ci, first, q, end)
        if content is None:
            return
        self.add(ci, n, cue, sent, speaker, content, via, stance_cue)

    def _name_after_title(self, speaker, q, k):
        """"قال الخبير في الأسلحة الكيمياوية في جامعة ليدز، أليستر هاي، إن": a title-only speaker
        takes the person named between it and the complementizer."""
        doc = self.doc
        ent = self._ent(speaker.get("entity")) if speaker.get("entity") else None
        if ent is not None and ent["type"] == "PER":
            return speaker
        if k - q > 14:
            return speaker
        s, e = doc.toks[q].start if q < len(doc.toks) else speaker["end"], doc.toks[k].start
        for ms, me, m_ent in doc.mentions_in(s, e):
            if m_ent["type"] == "PER" and ms >= s and me <= e and not any(self.doc.is_role(x, "comp") for x in range(q, k)):
                return {"start": speaker["start"], "end": me, "text": doc.text[speaker["start"]:me],
                        "entity": m_ent["id"]}
        return speaker

    def _inside_content(self, pos) -> bool:
        """Does pos fall inside the content of a claim found earlier?"""
        for c in self.claims[-6:]:
            if c["content"]["start"] <= pos < c["content"]["end"]:
                return True
        return False

    def _claim_before(self, ci):
        """The claim whose content ends just before token ci (a comma or quote between)."""
        pos = self.doc.toks[ci].start
        for c in reversed(self.claims[-8:]):
            gap = self.doc.text[c["content"]["end"]:pos]
            if c["content"]["end"] <= pos and len(gap) <= 4 and not any(ch.isalnum() for ch in gap):
                return c
        return None

    def _same_statement(self, claim):
        """A claim and the earlier claims of the same sentence and speaker (one relayed statement)."""
        out = [claim]
        ent = (claim.get("speaker") or {}).get("entity")
        for c in self.claims[-10:]:
            if c is not claim and c["_sent"] == claim["_sent"] and ent and (c.get("speaker") or {}).get("entity") == ent:
                out.append(c)
        return out

    def _outlet_phrase(self, p, q):
        """Does the phrase name an outlet (وكالة/صحيفة/قناة… or a known outlet entity)?"""
        doc = self.doc
        for j in range(p, min(q, p + 2)):
            if doc.toks[j].is_word and doc.is_role(j, "outlet"):
                return True
            m = doc.ent_at[j]
            if m is not None and m[2].get("kb") and self._is_outlet_kb(m[2]["kb"]):
                return True
        return False

    def _is_outlet_kb(self, kb_id):
        from ..kb.entities import load_kb
        e = load_kb().entities.get(kb_id)
        return bool(e and e.outlet)

    def _content_around(self, ci, first, q, end):
        """"ينص الاتفاق، حسب X، على …": content is the clause around the attribution."""
        doc = self.doc
        sp = _span(doc, first, end)
        if not sp:
            return None
        s, e = _strip_quotes_span(doc.text, *sp)
        if e - s < 10:
            return None
        return s, e, False, end


_DEF_NUMBERS = _role_words("def_number")


def _is_future(w: str) -> bool:
    """A verb with the future prefix سـ (سيدفع، ستؤدي، سنرد) or فسـ."""
    w = w[1:] if w.startswith("ف") and len(w) > 4 else w
    return len(w) > 3 and w[0] == "س" and w[1] in "يتنا"


def _is_nisba(w: str) -> bool:
    """A relational adjective (الروسية، السوري، الأمريكيين) that can follow a name."""
    w = w[1:] if len(w) > 4 and w[0] in "وف" else w
    return w.startswith("ال") and w.endswith(("ي", "يه", "يون", "يين", "يان", "يتين"))


class _WordIndex:
    """`_contains` over one long word list without rescanning it for every marker: positions by
    word (and by the word without a one-letter proclitic), and the prefixes of every word for
    one-word prefix markers. Same answers as `_contains`, linear in the list once."""

    def __init__(self, seq):
        self.seq = seq
        self.at: dict = {}
        self.prefixes: set = set()
        for i, w in enumerate(seq):
            self.at.setdefault(w, []).append(i)
            if len(w) > 2 and w[0] in "وفبل":
                self.at.setdefault(w[1:], []).append(i)
            if len(w) > 1:
                for v in (w, w[1:]):
                    for k in range(1, min(len(v), 12) + 1):
                        self.prefixes.add(v[:k])

    def contains(self, words, prefix) -> bool:
        n = len(words)
        if n == 0:
            return False
        if n == 1 and prefix:
            t = words[0]
            if len(t) <= 12:
                return t in self.prefixes
            return _contains(self.seq, words, prefix)
        for i in sorted(set(self.at.get(words[0], ()))):
            if i + n <= len(self.seq) and _contains(self.seq[i:i + n], words, prefix):
                return True
        return False


STANCE_SCAN = 3000


def _contains(seq, words, prefix):
    n = len(words)
    if n == 0:
        return False
    for i in range(len(seq) - n + 1):
        ok = True
        for k in range(n):
            w = seq[i + k]
            target = words[k]
            last = k == n - 1
            if last and prefix:
                if not (w.startswith(target) or w[1:].startswith(target) if len(w) > 1 else False):
                    ok = False
                    break
            elif w != target and not (len(w) > 2 and w[0] in "وفبل" and w[1:] == target):
                ok = False
                break
        if ok:
            return True
    return False


def _speaker_key(c):
    sp = c.get("speaker") or {}
    if sp.get("entity"):
        return sp["entity"]
    return normalize_key(sp.get("text") or "") or None


def propagate_via(claims) -> None:
    """`via` belongs to a relayed statement, not to one sentence of it: a claim nested inside a
    relayed claim's content takes the outer via, and one speaker's statements in an article share
    the relay that the article names for any of them (an interview with an outlet)."""
    relayed = sorted((o["content"]["start"], o["content"]["end"], i) for i, o in enumerate(claims) if o["via"])
    starts = [r[0] for r in relayed]
    import bisect
    for c in claims:
        if c["via"]:
            continue
        k = bisect.bisect_right(starts, c["cue"]["start"])
        for s, e, i in relayed[max(0, k - 4):k]:
            if s <= c["cue"]["start"] < e and claims[i] is not c:
                c["via"] = [dict(v) for v in claims[i]["via"]]
                break
    by_speaker = {}
    for c in claims:
        k = _speaker_key(c)
        if k and c["via"] and k not in by_speaker:
            by_speaker[k] = c["via"]
    for c in claims:
        k = _speaker_key(c)
        if not c["via"] and k in by_speaker:
            c["via"] = [dict(v) for v in by_speaker[k]]


def extract_claims(article) -> None:
    finder = ClaimFinder(article)
    claims = finder.run()
    propagate_via(claims)
    claims.sort(key=lambda c: c["content"]["start"])
    for k, c in enumerate(claims):
        c["id"] = f"C{k + 1}"
        c.pop("_pos", None)
        c.pop("_sent", None)
        c.pop("_kind", None)
    article.claims = claims
