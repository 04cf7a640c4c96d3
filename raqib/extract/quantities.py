"""Quantities: numbers that count or measure something in Arabic news text.

`extract_quantities(text)` finds digit numbers (ASCII or Arabic-Indic, with thousands separators,
decimals, percent signs and scale words: "1.5 مليون", "135 ألفا", "98%", "2 في المئة"), number
words and their compounds ("ثلاثة آلاف", "خمسة وعشرين", "مليون ونصف", "نصف مليون"), vague amounts
(عشرات، المئات، عشرات الآلاف: the lowest literal value, approximate), duals that count something
(يومين، صاروخين) and definite post-nominal numbers ("الدول الثلاث", "الدول الـ10").
Approximators before (نحو، أكثر من، ما يقرب من…) or after (على الأقل، تقريبا) set `approx`; a
range "ما بين 100 و120" gives two approximate quantities. Years, day numbers of dates, clock
times, ordinals, designators ("القرار 2401", "إس-400") and phone numbers are not quantities.

All lexical knowledge lives in raqib/lang/ar/numbers.tsv and raqib/lang/ar/quantity_*.tsv.
Matching runs on the normalised text (raqib.text.normalize.Normalized); offsets are mapped back.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..lang import rows
from raqib.text.normalize import Normalized, normalize

_LANG = Path(__file__).resolve().parent.parent / "lang" / "ar"

# tokens over normalised text: digit runs (with internal separators), Arabic words, Latin words, other marks
_TOKEN = re.compile(r"(\d+(?:[.,]\d+)*)|([\u0621-\u063A\u0641-\u064A\u066E-\u06D3]+)|([A-Za-z]+)|(\S)")
_DIGIT, _AR, _LAT, _PUNCT = 1, 2, 3, 4
_TRAILING = re.compile(r"[\u064B-\u0652\u0670]")

# proclitic sequences (normalised), longest first: conjunction + preposition + article
_PROCLITICS = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل",
               "وب", "فب", "ول", "فل", "وك", "فك", "ال", "و", "ف", "ب", "ل", "ك")
_CLITIC_ONLY = frozenset(_PROCLITICS)
_CONNECT = frozenset({"و", "الي", "حتي", "-", "او"})


def _read_tsv(name: str) -> list[list[str]]:
    return rows(_LANG / name)


def _words(phrase: str) -> tuple:
    return tuple(_TOKEN_STR.findall(normalize(phrase)))


_TOKEN_STR = re.compile(r"\d+(?:[.,]\d+)*|[\u0621-\u063A\u0641-\u064A\u066E-\u06D3]+|[A-Za-z]+|\S")


class _Lex:
    """All data, loaded once."""

    def __init__(self):
        self.num: dict[str, tuple[float, str]] = {}
        for form, value, kind in _read_tsv("numbers.tsv"):
            v = float(value)
            self.num[normalize(form)] = (int(v) if v.is_integer() else v, kind)
        self.before: list[tuple] = []
        self.after: list[tuple] = []
        for phrase, pos in _read_tsv("quantity_approximators.tsv"):
            (self.before if pos == "before" else self.after).append(_words(phrase))
        self.before.sort(key=len, reverse=True)
        self.after.sort(key=len, reverse=True)
        self.duals: dict[str, str] = {normalize(f): u for f, u in _read_tsv("quantity_duals.tsv")}
        ctx: dict[str, set] = {}
        self.percent: list[tuple] = []
        for kind, word in _read_tsv("quantity_context.tsv"):
            if kind == "percent":
                self.percent.append(_words(word))
            else:
                ctx.setdefault(kind, set()).add(normalize(word))
        self.percent.sort(key=len, reverse=True)
        e = frozenset()
        self.month = frozenset(ctx.get("month", e))
        self.weekday = frozenset(ctx.get("weekday", e))
        self.year_cue = frozenset(ctx.get("year_cue", e))
        self.designator = frozenset(ctx.get("designator", e))
        self.date_after = [tuple(w.split()) for w in ctx.get("date_after", e)]
        self.time_cue = frozenset(ctx.get("time_cue", e))
        self.time_after = frozenset(ctx.get("time_after", e))
        self.function = frozenset(ctx.get("function", e))
        self.not_one = frozenset(ctx.get("not_one", e))
        self.year_after = frozenset(ctx.get("year_after", e))
        self.ordinal = frozenset(ctx.get("ordinal", e))
        self._stem_cache: dict[str, tuple] = {}

    def stems(self, w: str) -> tuple:
        """(prefix, stem) readings of a normalised word, the bare word first."""
        r = self._stem_cache.get(w)
        if r is None:
            out = [("", w)]
            for p in _PROCLITICS:
                if len(w) > len(p) + 1 and w.startswith(p):
                    out.append((p, w[len(p):]))
            r = self._stem_cache[w] = tuple(out)
        return r

    def number(self, w: str, waw_only: bool = False):
        """(prefix, value, kind) of a number word, or None."""
        for p, s in self.stems(w):
            if waw_only and p not in ("", "و"):
                continue
            hit = self.num.get(s)
            if hit is None:
                continue
            if len(s) < 3 and p not in ("", "و"):
                continue
            return p, hit[0], hit[1]
        return None

    def dual(self, w: str):
        for p, s in self.stems(w):
            u = self.duals.get(s)
            if u is not None:
                return p, u
        return None

    def bare(self, w: str) -> str:
        """The word without its proclitics (longest reading that leaves >= 2 letters)."""
        for p, s in self.stems(w)[1:]:
            if _definite(p):
                return s
        return w


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """The word lists, loaded once."""
    return _Lex()


def _definite(prefix: str) -> bool:
    return prefix.endswith("ال") or prefix.endswith("لل")


def _parse_digits(s: str, scaled: bool):
    """Value of a digit string with , or . separators (None when implausible)."""
    if "," in s or "." in s:
        parts = re.split(r"([.,])", s)
        nums, seps = parts[0::2], parts[1::2]
        if len(nums) == 2 and not (len(nums[1]) == 3 and seps[0] == "," ) and not (
                len(nums[1]) == 3 and seps[0] == "." and not scaled):
            return float(nums[0] + "." + nums[1])  # decimal: 1.5 / 1,4
        if all(len(n) == 3 for n in nums[1:]) and len(set(seps)) == 1 and len(nums[0]) <= 3:
            return int("".join(nums))  # thousands separators: 1,000 / 1.000.000
        return None
    if len(s) > 9:
        return None  # phone or id numbers
    return int(s)


class _Extractor:
    __slots__ = ("L", "norm", "toks", "n", "out", "pending_approx")

    def __init__(self, norm: str):
        self.L = _lex()
        self.norm = norm
        self.toks = [(m.lastindex, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(norm)]
        self.n = len(self.toks)
        self.out: list[tuple] = []
        self.pending_approx = -1

    # -- token helpers
    def w(self, i: int) -> str:
        return self.toks[i][1] if 0 <= i < self.n else ""

    def kind(self, i: int) -> int:
        return self.toks[i][0] if 0 <= i < self.n else 0

    def adjacent(self, i: int, j: int) -> bool:
        """Token i ends exactly where token j starts."""
        return 0 <= i < self.n and 0 <= j < self.n and self.toks[i][3] == self.toks[j][2]

    def seq_at(self, i: int, phrase: tuple, clitic_first: bool = False) -> bool:
        if i < 0 or i + len(phrase) > self.n:
            return False
        for k, pw in enumerate(phrase):
            t = self.toks[i + k][1]
            if t == pw:
                continue
            if k == 0 and clitic_first and len(t) > len(pw) and t.endswith(pw) and t[:-len(pw)] in (
                    "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"):
                continue
            return False
        return True

    def approx_before(self, s: int) -> tuple[int, bool]:
        """(new start token, found) for an approximator ending right before token s."""
        L = self.L
        for gap in (0, 1):
            if gap and not (self.kind(s - 1) == _AR and self.w(s - 1) in ("بالفعل", "حاليا", "الان", "اليوم")):
                break
            e = s - gap
            for ph in L.before:
                b = e - len(ph)
                if self.seq_at(b, ph, clitic_first=True):
                    return b, True
        return s, False

    def approx_after(self, e: int) -> int:
        """End token after a trailing approximator (within two words), or -1."""
        L = self.L
        j = e
        for _ in range(3):
            for ph in L.after:
                if self.seq_at(j, ph):
                    return j + len(ph)
            if self.kind(j) != _AR or self.w(j) in L.function:
                break
            j += 1
        return -1

    def percent_at(self, j: int) -> int:
        for ph in self.L.percent:
            if self.seq_at(j, ph):
                if ph == ("%",) and not self.adjacent(j - 1, j) and self.kind(j - 1) != _DIGIT:
                    continue
                return j + len(ph)
        return -1

    def unit_at(self, j: int):
        """(unit, include_in_span) for the word after a number."""
        L = self.L
        if self.kind(j) != _AR:
            return None, False
        w = self.w(j)
        if w == "من" and self.kind(j + 1) == _AR and self.w(j + 1) not in L.function:
            return self.unit_span(j + 1), False
        if w in L.function or L.number(w) or L.dual(w) or (w.startswith("و") and len(w) > 3):
            return None, False
        return self.unit_span(j), True

    def unit_span(self, j: int) -> tuple:
        """Normalised span of word j without its article: the counted noun, mapped back later."""
        w = self.w(j)
        return self.toks[j][2] + len(w) - len(self.L.bare(w)), self.toks[j][3]

    # -- scale / compound continuation shared by digits and words
    def continue_scale(self, j: int, cur: float, total: float, last_kind: str, last_scale: float):
        """Consume scale words and و-joined number words from token j on. Returns (j, value)."""
        L = self.L
        while j < self.n and self.kind(j) == _AR:
            t = self.w(j)
            hit = L.number(t, waw_only=True)
            if hit is None:
                break
            p, v, k = hit
            waw = p == "و"
            if not waw and p == "" and k in ("scale", "scale_acc", "scale_pl") and last_kind not in (
                    "scale", "scale_acc", "scale_pl", "scale_dual") and (cur > 0):
                cur = cur * v
                total += cur
                cur = 0
                last_scale, last_kind = v, "scale"
            elif not waw and p == "" and k == "ten10" and last_kind == "unit" and cur < 10:
                cur += 10
                last_kind = "teen"
            elif not waw and p == "" and k == "hundred" and last_kind == "unit" and cur < 10:
                cur *= 100
                last_kind = "hundreds"
            elif waw and k == "ten" and last_kind == "unit" and cur < 10:
                cur += v
                last_kind = "ten"
            elif waw and k in ("unit", "ten10", "ten", "teen") and last_kind in ("hundred", "hundreds") and cur % 100 == 0:
                if k == "teen":
                    if self.L.number(self.w(j + 1)) and self.L.number(self.w(j + 1))[2] == "ten10":
                        cur += v + 10
                        j += 1
                        last_kind = "teen"
                    else:
                        break
                else:
                    cur += v
                    last_kind = "ten" if k in ("ten", "ten10") else "unit"
            elif waw and last_kind in ("scale", "scale_dual") and k in ("unit", "ten10", "ten", "hundred", "hundreds") and cur == 0 and v < last_scale:
                cur = v
                last_kind = "hundred" if k in ("hundred", "hundreds") else ("unit" if k == "unit" else "ten")
            elif waw and last_kind in ("scale", "scale_dual") and k in ("fraction", "fraction_free") and cur == 0:
                total += v * last_scale
                last_kind = "fraction"
            else:
                break
            j += 1
        return j, total + cur

    # -- the three kinds of start
    def parse_digit(self, i: int):
        L = self.L
        s, e = i, i + 1
        tok = self.w(i)
        # glued to letters or a hyphen before: designations (كا-52, S-400, T4) unless a bare proclitic
        prev_k, prev_w = self.kind(i - 1), self.w(i - 1)
        definite = False
        if self.adjacent(i - 1, i):
            if prev_k == _AR and prev_w in _CLITIC_ONLY:
                s = i - 1
                definite = _definite(prev_w)
            elif prev_k == _LAT or prev_w in "_#":
                return None
            elif prev_w in "-/:.+" and (self.kind(i - 2) in (_AR, _LAT, _DIGIT) and self.adjacent(i - 2, i - 1)
                                         or prev_w in "+"):
                return None
        elif prev_k == _AR and prev_w in _CLITIC_ONLY:
            s = i - 1
            definite = _definite(prev_w)
        nxt_k, nxt_w = self.kind(i + 1), self.w(i + 1)
        if nxt_k == _DIGIT or prev_k == _DIGIT or (prev_w == "+" and self.kind(i - 2) == _DIGIT):
            return None  # digit groups in a row: phone numbers, codes
        if self.adjacent(i, i + 1):
            if nxt_k == _LAT:
                return None
            if nxt_w in "/:" and self.kind(i + 2) == _DIGIT and self.adjacent(i + 1, i + 2):
                return None  # dates 26/11/2019, times 10:30
            if nxt_w in "-_" and not self.adjacent(i + 1, i + 2):
                return None  # list markers "1- ..."
            if nxt_w == "_":
                return None
            if nxt_w == "-" and self.kind(i + 2) == _DIGIT and self.adjacent(i + 1, i + 2) and (
                    len(tok) == 4 or self.w(i + 3) == "-"):
                return None  # dates 2018-04-18
        # % before the digits (RTL typing): %98
        pct = False
        if prev_w == "%" and self.adjacent(i - 1, i) and not (self.kind(i - 2) == _DIGIT and self.adjacent(i - 2, i - 1)):
            s, pct = i - 1, True
        # scale word after
        nk = L.number(nxt_w) if nxt_k == _AR else None
        scaled = bool(nk and nk[0] == "" and nk[2] in ("scale", "scale_acc", "scale_pl"))
        val = _parse_digits(tok, scaled)
        if val is None:
            return None
        j, value = self.continue_scale(i + 1, val, 0, "digits", 1)
        e = j
        if e == i + 1 and isinstance(val, int) and val < 1000 and self.w(e) in _CONNECT \
                and self.kind(e + 1) == _DIGIT:
            # "من 5 إلى 10 آلاف": the first end of a range takes the scale of the second
            nh = L.number(self.w(e + 2)) if self.kind(e + 2) == _AR else None
            if nh and nh[0] == "" and nh[2] in ("scale", "scale_pl", "scale_acc"):
                b = _parse_digits(self.w(e + 1), True)
                opener = self.w(s - 1)
                if b is not None and b > val and (self.w(e) != "و" or opener in ("بين", "وبين", "من")):
                    value = val * nh[1]
        if not pct:
            pe = self.percent_at(e)
            if pe > 0:
                e, pct = pe, True
        plain = e == i + 1 and not pct
        if plain and not self.date_ok(i, val, tok):
            return None
        return s, i, e, value, pct, definite

    def date_ok(self, i: int, val, tok: str) -> bool:
        """False when the plain number at token i is a year, a day of a date, a time or a designator."""
        L = self.L
        prev = self.w(i - 1)
        if self.kind(i - 1) == _AR and prev in _CLITIC_ONLY:
            prev = self.w(i - 2)
            pi = i - 2
        else:
            pi = i - 1
        prev_b = L.bare(prev) if self.kind(pi) == _AR else prev
        nxt = self.w(i + 1)
        if nxt == "من":
            nxt2 = self.w(i + 2)
        else:
            nxt2 = nxt
        if isinstance(val, int) and "," not in tok and "." not in tok:
            if nxt2 in L.month or L.bare(nxt2) in L.month:
                return False
            # first day of a day range: "يومي 8 و9 حزيران"
            j = i + 1
            if self.w(j) in _CONNECT:
                j += 1
            if self.kind(j) == _DIGIT and val <= 31:
                after = self.w(j + 1) if self.w(j + 1) != "من" else self.w(j + 2)
                if after in L.month or L.bare(after) in L.month:
                    return False
            if prev in L.month or prev_b in L.month:
                return False
            if 1000 <= val <= 2100 and (prev in L.year_cue or prev_b in L.year_cue):
                return False
            if 1900 <= val <= 2100 and len(tok) == 4 and not self.approx_before(pi + 1)[1]:
                return False
            if nxt in L.year_after:
                return False
            if val <= 31 and (prev in L.weekday or prev_b in L.weekday):
                return False
            for ph in L.date_after:
                if self.seq_at(i + 1, ph):
                    return False
            if nxt in L.time_after or (self.w(i + 1) == ":"):
                return False
            if prev in L.time_cue or prev_b in L.time_cue:
                return False
        if prev in L.designator or prev_b in L.designator:
            return False
        # "القرار الأممي 2254": a designator with one adjective between
        p2 = self.w(pi - 1)
        if self.kind(pi) == _AR and self.kind(pi - 1) == _AR and any(_definite(pp) for pp, _ in L.stems(prev)[1:]) and (
                p2 in L.designator or L.bare(p2) in L.designator):
            return False
        if prev == "-" and self.kind(pi - 1) in (_AR, _LAT):
            return False
        return True

    def parse_word(self, i: int):
        L = self.L
        t = self.w(i)
        hit = L.number(t)
        if hit is None:
            return None
        p, v, k = hit
        definite = _definite(p)
        prev_k, prev = self.kind(i - 1), self.w(i - 1)
        approx = False
        if definite:
            stem = t[len(p):]
            if k == "vague" or k == "scale_pl":
                pass
            elif k in ("unit", "ten10"):
                if stem == "اثنين":
                    return None  # الاثنين: Monday
                pw = L.stems(prev) if prev_k == _AR else ()
                if stem not in ("اثنان", "اثنتان") and not any(_definite(pp) for pp, _ in pw[1:]):
                    return None
            else:
                return None
        if prev_k == _AR and (prev in L.time_cue or L.bare(prev) in L.time_cue):
            return None
        if k == "ten10" and prev_k == _AR and L.bare(prev) in L.ordinal:
            return None  # الخامس عشر: an ordinal
        j = i + 1
        if k == "one":
            # واحد counts only after an indefinite counted noun: "يوم واحد", "شخصا واحدا"
            if prev_k != _AR or prev in L.function:
                return None
            pstems = L.stems(prev)
            if any(ps in L.not_one for _, ps in pstems) or any(_definite(pp) for pp, _ in pstems[1:]):
                return None
            if L.number(prev) or L.dual(prev):
                return None
            if self.w(i + 1) == "من":
                n2 = self.w(i + 2)
                if any(_definite(pp) for pp, _ in L.stems(n2)[1:]) or (len(n2) == 4 and n2[0] == "ا"):
                    return None  # "واحدة من أكبر / من المدن": one of
            return i, i, i + 1, 1, False, approx
        if k == "teen":
            nh = L.number(self.w(i + 1))
            if not (nh and nh[0] == "" and nh[2] == "ten10"):
                return None
            j, value = self.continue_scale(i + 2, v + 10, 0, "teen", 1)
            return i, i, j, value, False, approx
        if k in ("vague", "scale_pl"):
            # عشرات / مئات / آلاف / ملايين [+ (ال)آلاف / (ال)ملايين]
            value = v
            nh = L.number(self.w(i + 1)) if self.kind(i + 1) == _AR else None
            if nh and nh[2] in ("scale_pl", "scale") and nh[0] in ("", "ال") and nh[1] > 100 and nh[1] > v:
                value = v * nh[1]
                j = i + 2
            return i, i, j, value, False, True
        if k == "scale_acc":
            return None
        if k in ("fraction", "fraction_free"):
            nh = L.number(self.w(i + 1)) if self.kind(i + 1) == _AR else None
            if nh and nh[0] == "" and nh[2] == "scale":
                return i, i, i + 2, v * nh[1], False, approx
            if self.approx_before(i)[1] or k == "fraction_free":
                return i, i, i + 1, round(v * 100, 2), True, approx
            return None
        if k in ("scale", "scale_dual"):
            last_scale = v if k == "scale" else v / 2
            j, value = self.continue_scale(i + 1, 0, v, k, last_scale)
            return i, i, j, value, False, approx
        # unit / ten10 / ten / hundred / hundreds
        j, value = self.continue_scale(i + 1, v, 0, k, 1)
        return i, i, j, value, False, approx

    def parse_dual(self, i: int):
        hit = self.L.dual(self.w(i))
        if hit is None:
            return None
        p, unit = hit
        e = i + 1
        nh = self.L.number(self.w(e)) if self.kind(e) == _AR else None
        if nh and nh[0] == "" and nh[1] == 2 and nh[2] == "unit":
            e += 1
        return i, e, unit

    # -- main loop
    def run(self) -> list[tuple]:
        L = self.L
        i = 0
        while i < self.n:
            k, t = self.toks[i][0], self.toks[i][1]
            res = None
            if k == _DIGIT:
                r = self.parse_digit(i)
                if r:
                    s, ni, e, value, pct, definite = r
                    res = (s, e, value, pct, False, None)
            elif k == _AR:
                r = self.parse_word(i)
                if r:
                    s, ni, e, value, pct, approx = r
                    res = (s, e, value, pct, approx, None)
                else:
                    d = self.parse_dual(i)
                    if d:
                        s, e, unit = d
                        res = (s, e, 2, False, False, unit)
            if res is None:
                i += 1
                continue
            s, e, value, pct, approx, unit = res
            b, found = self.approx_before(s)
            approx = approx or found or self.pending_approx == s
            # percent phrase after a word number (سبعين في المئة)
            if not pct:
                pe = self.percent_at(e)
                if pe > 0:
                    e, pct = pe, True
            num_end = e
            include = False
            if pct:
                unit = "percent"
            elif unit is None:
                unit, include = self.unit_at(e)
                if include and (self.kind(e) != _AR or (self.w(e) in L.month)):
                    include = False
            if include:
                e += 1
            ae = self.approx_after(e if include else num_end)
            if ae > 0:
                approx = True
            # range: X و/إلى Y — the partner shares the approximation
            if approx and self.kind(num_end) == _AR:
                c = self.w(num_end)
                if c in _CONNECT and (self.kind(num_end + 1) == _DIGIT or L.number(self.w(num_end + 1))):
                    self.pending_approx = num_end if c == "و" else num_end + 1
                elif c.startswith("و") and L.number(c):
                    self.pending_approx = num_end
            start_tok = b if found else s
            self.out.append((self.toks[start_tok][2], self.toks[e - 1][3], value, approx, unit))
            i = e
        return self.out


def _clean(v):
    if isinstance(v, float):
        if v.is_integer():
            return int(v)
        return round(v, 4)
    return v


def extract_quantities(text: str) -> list[dict]:
    """Each item: {"start","end","text": text[start:end],"value": int|float,"approx": bool,"unit": str|None};
    offsets into text, end exclusive, sorted, non-overlapping."""
    nz = Normalized(text)
    found = _Extractor(nz.norm).run()
    out: list[dict] = []
    last_end = -1
    for ns, ne, value, approx, unit in sorted(found, key=lambda r: (r[0], -r[1])):
        s, e = nz.orig(ns, ne)
        if s < last_end:
            continue
        while e < len(text) and _TRAILING.match(text, e):
            e += 1  # keep the tanween/shadda of the last letter inside the span
        if isinstance(unit, tuple):
            us, ue = nz.orig(*unit)
            while ue < len(text) and _TRAILING.match(text, ue):
                ue += 1
            unit = text[us:ue]
        out.append({"start": s, "end": e, "text": text[s:e], "value": _clean(value),
                    "approx": bool(approx), "unit": unit})
        last_end = e
    return out
