"""Time expressions in Arabic news text, resolved against the publication date.

`extract_times(text, published)` returns non-overlapping expressions sorted by start:
``{"start", "end", "text", "value"}`` with offsets into `text` (end exclusive) and a value of
``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ``PAST_REF`` / ``PRESENT_REF`` / ``FUTURE_REF``.

Conventions (those of the gold annotations):
- the reference day is the publication date; a timestamp with a UTC offset is first converted to
  UTC ("2018-03-30T03:41+04:00" → 2018-03-29), as the annotators did;
- a weekday is the latest such day on or before the publication date ("الماضي" → strictly before,
  "المقبل/القادم" → strictly after); اليوم = publication date, أمس = the day before;
- "الأسبوع الماضي/المقبل" → the month of the date a week before/after; this week → PRESENT_REF;
- a month without a year takes the publication year; "الماضي" moves it to the year before when the
  month has not yet come this year; with no qualifier, a month later than the publication month is
  taken as last year's unless the sentence speaks of the future (سـ / سوف / المقرر …);
- "منذ/قبل N أيام|أسابيع|أشهر|أعوام" → the date, month or year N units back; with no number, with
  أكثر من or بضعة it is PAST_REF; durations ("لسنوات", "بعد ساعات", "خلال يومين") are not times;
- clock times and parts of a day standing alone ("صباحا", "الساعة 3:25") take the last full date
  mentioned before them, else the publication date;
- back-references and vague spans (حينها، السنوات الماضية) are PAST_REF, "الآن/حاليا" PRESENT_REF.

When `published` is None (or unreadable), nothing is resolved against an assumed "today": expressions
carrying their own year keep a calendar value, and everything relative falls back to the direction it
points (past qualifiers, unqualified weekdays and months, أمس, "منذ …" → PAST_REF; اليوم and current
qualifiers → PRESENT_REF; المقبل, غدا → FUTURE_REF; a clock time with no earlier date → PAST_REF).

Matching runs on `raqib.text.normalize.Normalized(text).norm`; all word lists live in
``raqib/lang/ar/months.tsv``, ``time_words.tsv``, ``time_numbers.tsv`` and ``time_refs.tsv``.
"""
from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path

from ..lang import rows
from raqib.text.normalize import Normalized, normalize

_LANG = Path(__file__).resolve().parent.parent / "lang" / "ar"

PAST, PRESENT, FUTURE = "PAST_REF", "PRESENT_REF", "FUTURE_REF"


# ----------------------------------------------------------------------------- data loading

def _rows(name: str) -> list[list[str]]:
    return rows(_LANG / name)


def _key(s: str) -> str:
    return " ".join(normalize(s).split())


class _Lex:
    """All word lists, normalised, with the compiled patterns built from them."""

    def __init__(self) -> None:
        self.months: dict[str, int] = {}
        self.ambiguous: set[str] = set()
        for name, num, _variety, amb in _rows("months.tsv"):
            k = _key(name)
            self.months[k] = int(num)
            if amb.strip() == "1":
                self.ambiguous.add(k)
        self.words: dict[str, dict[str, str]] = {}
        for kind, phrase, value in _rows("time_words.tsv"):
            self.words.setdefault(kind, {})[_key(phrase)] = value.strip()
        self.numbers: dict[str, dict[str, int]] = {}
        for kind, word, value in _rows("time_numbers.tsv"):
            self.numbers.setdefault(kind, {})[_key(word)] = int(value)
        self.refs: dict[str, str] = {}
        self.ref_block: dict[str, tuple[set[str], tuple[str, ...]]] = {}
        for row in _rows("time_refs.tsv"):
            k = _key(row[0])
            self.refs[k] = row[1].strip()
            if len(row) > 2 and row[2].strip():
                toks = _key(row[2]).split()
                self.ref_block[k] = ({t for t in toks if not t.endswith("*")},
                                     tuple(t[:-1] for t in toks if t.endswith("*")))
        self.not_future = set(self.words.get("not_future", {}))
        self.today_prev_block = set(self.words.get("today_prev_block", {}))
        self.year_next_ok = set(self.words.get("year_next_ok", {}))
        self._compile()

    # -- regex helpers
    @staticmethod
    def _alt(words, al_clitic: bool = False) -> str:
        parts = []
        for w in sorted(set(words), key=len, reverse=True):
            p = r"\s+".join(re.escape(t) for t in w.split())
            if al_clitic and w.startswith("ال"):
                # "للعام": the clitic ل has eaten the alef of ال
                p = r"(?:ال|(?<=ل)ل)" + p[2:]
            parts.append(p)
        return "(?:" + "|".join(parts) + ")"

    def _compile(self) -> None:
        W = self.words
        A = self._alt
        B = r"(?<![\w])"
        E = r"(?![\w])"
        CL = r"(?P<cl>[وف]?[بلك]?)"

        MON_ALL = A(list(self.months))
        qual = A(W["qual"])
        weekday = A(W["weekday"], True)
        weekday_plain = A(W["weekday"])
        relday = A(W["relday"], True)
        ordinal = A(self.numbers["ordinal"])
        cardinal = A(self.numbers["cardinal"])
        part = A(W["part"])
        daypart = A(W["daypart"])
        daymod = A(W["daymod"])
        yearword = A(W["yearword"])
        calunit = A(W["calunit"], True)

        day = rf"(?:(?:ال\s*)?(?P<dnum>[0-3]?\d)(?!\d)|(?P<dord>{ordinal}))"
        day2 = r"(?:\s*(?:و|-|الي|حتي)\s*(?P<d2>[0-3]?\d)(?!\d))"
        # second month name of a dual form: "تشرين الثاني/نوفمبر", "نيسان/ أبريل", "أبريل نيسان"
        mon2 = rf"(?:\s*[/\\\-]\s*(?P<m2a>{MON_ALL})|\s*\(\s*(?P<m2b>{MON_ALL})\s*\)|\s+(?P<m2c>{MON_ALL}))"
        year_tail = (
            rf"(?:\s*،?\s*(?:من\s+)?(?:{yearword}\s*)?(?P<year>(?:1[89]|20)\d\d)(?!\d)(?:م{E})?"
            rf"|\s+(?:من\s+)?(?:(?P<ythis>هذا|هذه)\s+)?(?P<yunit>العام|السنه)(?:\s+(?P<yq>{qual}))?{E}"
            rf"|\s+(?P<mq>{qual}){E})"
        )
        # [part of month | (day part) (weekday) day (من)] month[/month] [year | العام الماضي | qualifier]
        # (ambiguous month names are checked for context in _cands_date)
        self.re_date = re.compile(
            B + CL +
            rf"(?:(?P<part>{part})\s+(?:من\s+)?(?:(?P<sh1>شهر)\s+)?"
            rf"|(?:(?:{daymod})\s+)?(?:(?P<dp>{daypart})\s+)?(?:(?:يوم|يومي)\s+)?"
            rf"(?:(?P<wd>{weekday})\s*،?\s*(?:الموافق\s+)?)?{day}{day2}?\s+(?:من\s+)?(?:شهر\s+)?"
            rf"|(?P<sh2>شهر)\s+)?"
            rf"(?P<mon>{MON_ALL}){E}{mon2}?"
            rf"{year_tail}?" + E
        )
        self.re_amb_prep = re.compile(r"(?<![\w])[وف]?(?:في|منذ|حتي|خلال|بعد|قبل|بحلول|اواخر|اوائل)\s*$")
        # "19 من الشهر الجاري"
        self.re_day_of_month = re.compile(
            B + CL + rf"(?:(?P<wd>{weekday})\s*،?\s*(?:الموافق\s+)?)?{day}\s+(?:من\s+)?(?:(?P<this>هذا)\s+)?الشهر"
            rf"(?:\s+(?P<q>{qual}))?" + E
        )
        # numeric dates 26/11/2019, 2019-11-26
        self.re_numdate = re.compile(
            r"(?<![\w/.\-])(?:(?P<d>[0-3]?\d)[/.\-](?P<m>[01]?\d)[/.\-](?P<y>(?:19|20)\d\d)"
            r"|(?P<y2>(?:19|20)\d\d)-(?P<m2>[01]\d)-(?P<d2>[0-3]\d))(?![\w/.\-])"
        )
        # weekday / relative day expressions
        self.re_day = re.compile(
            B + CL +
            rf"(?:(?P<mod>{daymod})\s+)?(?:(?P<dp>{daypart})\s+)?(?:(?:يوم|يومي)\s+)?"
            rf"(?:(?P<rel>{relday})(?!\s+(?:{A(W['today_block'])}){E})(?:\s*(?:يوم\s+)?(?P<wd_r>{weekday_plain}))?"
            rf"|(?P<wd>{weekday})(?:\s*[-/،]?\s*(?P<wd2>{weekday_plain}))?"
            rf"(?:\s+(?P<q>{qual})|\s+من\s+(?P<wq>الاسبوع\s+(?:{qual})))?)" + E
        )
        # calendar units with a qualifier or a demonstrative: الأسبوع الماضي، هذا العام، مطلع العام
        self.re_calunit = re.compile(
            B + CL +
            rf"(?:(?P<part>{part})\s+(?:من\s+)?)?(?:(?P<this>هذا|هذه)\s+)?(?P<unit>{calunit})"
            rf"(?:\s+(?P<q>{qual}))?" + E
        )
        # years
        self.re_year = re.compile(
            B + CL +
            rf"(?:(?P<part>{part})\s+(?:من\s+)?)?(?:(?P<yw>{yearword})\s*)?"
            rf"(?P<year>(?:1[89]|20)\d\d)(?![\d%:]|[.,]\d)(?:م{E})?(?!\s*(?:%|دولار|يورو))"
        )
        self.re_qty_before = re.compile(r"(?<![\w])[وفب]?(?:" + A(W["qty_cue"]) + r")\s*$")
        self.re_yearprep_before = re.compile(r"(?<![\w])[وف]?(?:" + A(W["yearprep"]) + r")\s*$")
        # "منذ/قبل (نحو|أكثر من) N units"
        unit = A(W["unit"])
        self.re_ago = re.compile(
            B + CL +
            rf"(?P<ago>{A(W['ago'])})\s+(?:(?P<more>{A(W['more'])})\s+|(?:{A(W['approx'])})\s+)?"
            rf"(?:(?P<few>{A(W['few'])})\s+|(?P<num>\d{{1,3}})\s*|(?P<card>{cardinal})\s+)?"
            rf"(?P<unit>{unit}){E}(?!\s*(?:\d|{weekday_plain}|{MON_ALL}|{relday}|من{E}))"
        )
        # vague spans: السنوات الماضية، الأشهر القليلة الماضية، هذه الفترة
        self.re_vague = re.compile(
            B + CL +
            rf"(?:(?P<demo>{A(W['demo'])})\s+)?(?P<v>{A(W['vague'], True)})"
            rf"(?:\s+(?:(?P<mid>ال\w+|\d+|ال\d+)\s+)?(?P<adj>{A(W['vague_adj'])}))?" + E
        )
        # clock times
        hour = A(self.numbers["hour"])
        tz = A(W["tz"])
        self.re_clock = re.compile(
            B + CL +
            rf"(?:(?P<sa>الساعه)\s+(?:(?P<hh>(?:[01]?\d|2[0-4])(?:[:.][0-5]\d)?)(?![\d])|(?P<hw>{hour})"
            rf"(?:\s+و\s*(?:النصف|الربع|الثلث|\d+\s+دقيقه)|\s+الا\s+(?:ربعا|ثلثا|ربع|ثلث))?)"
            rf"|(?P<hm>(?:[01]?\d|2[0-4]):[0-5]\d)(?!\d))"
            rf"(?:\s+(?:{A(W['clockmod'])}))?(?:\s+(?:{tz})\s+[\w]+)?" + E
        )
        self.re_dayadv = re.compile(B + CL + A(W["dayadv"]) + E)
        self.re_refs = re.compile(B + CL + "(?P<ref>" + A(list(self.refs), True) + ")" + E)
        self.re_future_cue = re.compile(
            r"(?<![\w])[وف]?(?P<w>" + A(W["future_cue"]) + r"|س[يتن]\w{2,})" + E
        )
        self._build_triggers()

    # -- triggers: a pattern is only tried at word starts whose word (clitics stripped) can begin it
    _ORDER = ("date", "day_of_month", "numdate", "day", "calunit", "year", "ago", "vague", "refs",
              "clock", "dayadv")

    def _build_triggers(self) -> None:
        W = self.words

        def firsts(phrases):
            return {p.split()[0] for p in phrases}

        parts = firsts(W["part"])
        dayparts = firsts(W["daypart"]) | firsts(W["daymod"])
        weekdays = set(W["weekday"])
        ordinals = firsts(self.numbers["ordinal"])
        months = firsts(self.months)
        relday = firsts(W["relday"])
        first = {
            "date": parts | dayparts | weekdays | ordinals | months | {"شهر", "يوم", "يومي"},
            "day_of_month": weekdays | ordinals,
            "numdate": set(),
            "day": dayparts | relday | weekdays | {"يوم", "يومي"},
            "calunit": parts | {"هذا", "هذه"} | set(W["calunit"]),
            "year": parts | set(W["yearword"]),
            "ago": set(W["ago"]),
            "vague": set(W["demo"]) | set(W["vague"]),
            "refs": firsts(self.refs),
            "clock": {"الساعه"},
            "dayadv": firsts(W["dayadv"]),
        }
        digit_names = ("date", "day_of_month", "numdate", "year", "clock")
        self.trig: dict[str, int] = {}
        for i, name in enumerate(self._ORDER):
            for w in first[name]:
                self.trig[w] = self.trig.get(w, 0) | (1 << i)
        self.digit_mask = sum(1 << self._ORDER.index(n) for n in digit_names)
        self.patterns = [getattr(self, "re_" + n) for n in self._ORDER]


_WORD = re.compile(r"\w+")
_YEAR_BEFORE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d\s*(?:و|-|/|الي|حتي)\s*$")
_CLITIC = frozenset("وفبلك")


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """The word lists, loaded once."""
    return _Lex()


# ----------------------------------------------------------------------------- date helpers

def _parse_published(published: str | None):
    if not published:
        return None, None
    s = published.strip()
    try:
        d = _dt.date.fromisoformat(s[:10])
    except ValueError:
        return None, None
    hour = None
    try:
        t = _dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        t = None
    if t is not None and len(s) > 10:
        if t.tzinfo is not None:
            # the annotators resolved against the UTC date of the timestamp
            t = t.astimezone(_dt.timezone.utc)
        d, hour = t.date(), t.hour
    return d, hour


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    t = y * 12 + (m - 1) + k
    return t // 12, t % 12 + 1


def _weekday_date(ref: _dt.date, wd: int, mode: int) -> _dt.date:
    """mode 0: latest on or before ref; -1: strictly before; +1: strictly after."""
    if mode > 0:
        delta = (wd - ref.weekday()) % 7 or 7
        return ref + _dt.timedelta(days=delta)
    delta = (ref.weekday() - wd) % 7
    if mode < 0 and delta == 0:
        delta = 7
    return ref - _dt.timedelta(days=delta)


def _valid_date(y: int, m: int, d: int) -> str | None:
    try:
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _dir(off: int) -> str:
    return PAST if off < 0 else FUTURE if off > 0 else PRESENT


# ----------------------------------------------------------------------------- extraction

class _Ctx:
    __slots__ = ("lex", "norm", "ref", "hour", "positions")

    def __init__(self, lex, norm, ref, hour):
        self.lex, self.norm, self.ref, self.hour = lex, norm, ref, hour
        trig, dmask = lex.trig, lex.digit_mask
        pos: list[list[int]] = [[] for _ in lex._ORDER]
        for m in _WORD.finditer(norm):
            w = m.group()
            mask = trig.get(w, 0)
            if w[0] in _CLITIC:
                mask |= trig.get(w[1:], 0)
                if len(w) > 2 and w[1] in _CLITIC:
                    mask |= trig.get(w[2:], 0)
                if "لل" in w[:3]:
                    mask |= trig.get("ال" + w[w.index("لل") + 2:], 0)
            if w[0].isdigit() or (len(w) > 1 and w[1].isdigit()) or w[2:3].isdigit():
                mask |= dmask
            if mask:
                st = m.start()
                i = 0
                while mask:
                    if mask & 1:
                        pos[i].append(st)
                    mask >>= 1
                    i += 1
        self.positions = pos

    def future_after(self, pos: int) -> bool:
        """Is there a future cue in the next 6 words of the clause after `pos`?"""
        seg = self.norm[pos:pos + 80]
        cut = min((i for i in (seg.find(c) for c in '.!؟?\n،,;"()') if i >= 0), default=len(seg))
        seg = " ".join(seg[:cut].split()[:6])
        for m in self.lex.re_future_cue.finditer(seg):
            if m.group("w") not in self.lex.not_future and m.group(0) not in self.lex.not_future:
                return True
        return False

    def matches(self, name: str):
        i = self.lex._ORDER.index(name)
        pat, norm = self.lex.patterns[i], self.norm
        for p in self.positions[i]:
            mt = pat.match(norm, p)
            if mt:
                yield mt

    def future_before(self, pos: int, clause: bool = False) -> bool:
        """Does the sentence (or, with `clause`, the last 8 words of the clause) before `pos`
        speak of the future?"""
        lo = max(0, pos - 150)
        seg = self.norm[lo:pos]
        stops = ".!؟?\n" + ('،,;"()' if clause else "")
        cut = max(seg.rfind(c) for c in stops)
        if cut >= 0:
            seg = seg[cut + 1:]
        if clause:
            seg = " ".join(seg.split()[-8:])
        for m in self.lex.re_future_cue.finditer(seg):
            if m.group("w") in self.lex.not_future or m.group(0) in self.lex.not_future:
                continue
            return True
        return False


def _month_num(lex: _Lex, g) -> int | None:
    name = g("mon")
    if not name:
        return None
    return lex.months.get(" ".join(name.split()))


def _qual_off(lex: _Lex, q: str | None) -> int | None:
    if not q:
        return None
    return int(lex.words["qual"][" ".join(q.split())])


def _resolve_month(ctx: _Ctx, m: int, day: int | None, g, start: int, end: int) -> str | None:
    lex, ref = ctx.lex, ctx.ref
    year = g("year")
    if year:
        y = int(year)
    else:
        if ref is None:
            q = _qual_off(lex, g("yq")) if g("yunit") else _qual_off(lex, g("mq"))
            return _dir(q if q is not None else -1) if not g("ythis") else PRESENT
        if g("yunit"):
            off = _qual_off(lex, g("yq")) or 0
            y = ref.year + off
        else:
            off = _qual_off(lex, g("mq"))
            y = ref.year
            after = m > ref.month or (m == ref.month and (day is None or day > ref.day))
            before = m < ref.month or (m == ref.month and (day is None or day < ref.day))
            if off is None:
                if m > ref.month and not (ctx.future_before(start) or ctx.future_after(end)):
                    y -= 1
            elif off < 0:
                if after:
                    y -= 1
                y += off + 1  # "قبل الماضي"
            elif off > 0:
                if before:
                    y += 1
                y += off - 1
    if day is None:
        return _ym(y, m)
    return _valid_date(y, m, day)


def _day_value(lex: _Lex, g) -> int | None:
    if g("dnum"):
        d = int(g("dnum"))
        return d if 1 <= d <= 31 else None
    if g("dord"):
        return lex.numbers["ordinal"].get(" ".join(g("dord").split()))
    return None


def _cands_date(ctx: _Ctx, out: list) -> None:
    lex = ctx.lex
    for mt in ctx.matches('date'):
        g = mt.group
        m = _month_num(lex, g)
        if m is None:
            continue
        m2 = g("m2a") or g("m2b") or g("m2c")
        if m2 and lex.months.get(" ".join(m2.split())) != m:
            continue  # two different months: not a dual form
        s, e = mt.end("cl"), mt.end()
        has_day = g("dnum") is not None or g("dord") is not None
        if " ".join(g("mon").split()) in lex.ambiguous:
            if g("cl") and not (has_day or g("part") or g("sh1") or g("sh2")):
                continue
            if not (has_day or g("part") or g("sh1") or g("sh2") or m2 or g("year") or g("yunit")
                    or g("mq") or lex.re_amb_prep.search(ctx.norm[max(0, s - 12):s])):
                continue
        day = _day_value(lex, g) if has_day else None
        if has_day and day is None:
            continue
        val = _resolve_month(ctx, m, day, g, s, e)
        if val is None:
            continue
        if g("d2") and has_day:
            # "يومي 8 و9 حزيران": the first day as its own expression, the second with the month
            d2 = int(g("d2"))
            first_end = mt.end("dnum") if g("dnum") else mt.end("dord")
            v1 = val[:8] + f"{day:02d}" if len(val) == 10 else val
            out.append((s, first_end, v1, 0))
            v2 = _valid_date(int(val[:4]), m, d2) if len(val) == 10 else val
            if v2:
                out.append((mt.start("d2"), e, v2, 0))
            continue
        out.append((s, e, val, 0))


def _cands_day_of_month(ctx: _Ctx, out: list) -> None:
    lex, ref = ctx.lex, ctx.ref
    if ref is None:
        return
    for mt in ctx.matches('day_of_month'):
        g = mt.group
        day = _day_value(lex, g)
        if day is None:
            continue
        off = _qual_off(lex, g("q")) or 0
        y, m = _shift_month(ref.year, ref.month, off)
        v = _valid_date(y, m, day)
        if v:
            out.append((mt.end("cl"), mt.end(), v, 0))


def _cands_numdate(ctx: _Ctx, out: list) -> None:
    for mt in ctx.matches('numdate'):
        if mt.group("y"):
            v = _valid_date(int(mt.group("y")), int(mt.group("m")), int(mt.group("d")))
        else:
            v = _valid_date(int(mt.group("y2")), int(mt.group("m2")), int(mt.group("d2")))
        if v:
            out.append((mt.start(), mt.end(), v, 0))


def _cands_day(ctx: _Ctx, out: list) -> None:
    lex, ref = ctx.lex, ctx.ref
    W = lex.words
    for mt in ctx.matches('day'):
        g = mt.group
        s, e = mt.end("cl"), mt.end()
        if g("rel"):
            prev = ctx.norm[max(0, s - 20):s].split()
            if prev and prev[-1] in lex.today_prev_block:
                continue
            rel = " ".join(g("rel").split())
            if rel.startswith("ل") and not rel.startswith("ال"):
                rel = "ا" + rel  # "لليوم"
            v = W["relday"].get(rel)
            if v == "tonight":
                off = -1 if (ctx.hour is not None and ctx.hour < 12) else 0
            else:
                off = int(v)
            if ref is None:
                out.append((s, e, _dir(off), 0))
            else:
                out.append((s, e, (ref + _dt.timedelta(days=off)).isoformat(), 0))
            continue
        wd_name = g("wd2") or g("wd")
        wd_key = " ".join(wd_name.split())
        if wd_key.startswith("ل") and not wd_key.startswith("ال"):
            wd_key = "ا" + wd_key
        wd = int(W["weekday"][wd_key])
        off = _qual_off(lex, g("q"))
        if ref is None:
            out.append((s, e, _dir(off) if off else PAST, 0))
            continue
        if g("wq"):
            wq = _qual_off(lex, g("wq").split()[-1]) or -1
            d = _weekday_date(ref + _dt.timedelta(days=7 * wq), wd, 0)
        elif off is None or off == 0:
            if wd != ref.weekday() and ctx.future_before(s, clause=True):
                d = _weekday_date(ref, wd, 1)
            else:
                d = _weekday_date(ref, wd, 0)
        elif off < 0:
            d = _weekday_date(ref, wd, -1) - _dt.timedelta(days=7 * (-off - 1))
        else:
            d = _weekday_date(ref, wd, 1) + _dt.timedelta(days=7 * (off - 1))
        out.append((s, e, d.isoformat(), 0))


def _cands_calunit(ctx: _Ctx, out: list) -> None:
    lex, ref = ctx.lex, ctx.ref
    for mt in ctx.matches('calunit'):
        g = mt.group
        if not (g("q") or g("this") or g("part")):
            continue
        u = g("unit")
        unit = lex.words["calunit"].get("ا" + u if u.startswith("ل") else u)
        if unit is None:
            continue
        off = _qual_off(lex, g("q")) if g("q") else 0
        s, e = mt.end("cl"), mt.end()
        if unit == "year" and not (g("cl") or g("part") or g("this")) and off in (0, -1) \
                and g("q") not in ("الماضي", "الماضيه", "الفائت", "المنصرم"):
            # "الأمين العام السابق/الحالي": an adjective after a definite noun, not a year
            if re.search(r"(?<![\w])ال\w+\s+$", ctx.norm[max(0, s - 25):s]):
                continue
        if ref is None:
            out.append((s, e, _dir(off), 0))
            continue
        if unit == "year":
            out.append((s, e, f"{ref.year + off:04d}", 0))
        elif unit == "month":
            y, m = _shift_month(ref.year, ref.month, off)
            out.append((s, e, _ym(y, m), 0))
        else:  # week
            if off == 0:
                out.append((s, e, PRESENT, 0))
            else:
                d = ref + _dt.timedelta(days=7 * off)
                out.append((s, e, _ym(d.year, d.month), 0))


def _cands_year(ctx: _Ctx, out: list) -> None:
    lex = ctx.lex
    norm = ctx.norm
    for mt in ctx.matches('year'):
        g = mt.group
        y = int(g("year"))
        if not 1900 <= y <= 2100:
            continue
        s = mt.end("cl")
        if not (g("part") or g("yw")):
            before = norm[max(0, s - 20):s]
            if lex.re_qty_before.search(before):
                continue
            # a bare number after a digit group or inside a range of quantities is not a year
            if re.search(r"\d[\s,.]*$", before):
                continue
            # "2000 شخص": a bare number followed by a counted noun is a quantity, unless a
            # preposition (في، منذ، قبل …) or another year ("2014 و2016") stands before it
            if not (lex.re_yearprep_before.search(before) or _YEAR_BEFORE.search(before)):
                nxt = norm[mt.end():mt.end() + 25].split()
                w = nxt[0] if nxt else ""
                if w and w[0].isalpha() and not (w.startswith(("ال", "وال", "فال", "بال", "لل"))
                                                 or w in lex.year_next_ok):
                    continue
        out.append((s, mt.end(), f"{y:04d}", 0))


_UNIT_BASE = {"day": "day", "days": "day", "day2": "day", "week": "week", "weeks": "week",
              "week2": "week", "month": "month", "months": "month", "month2": "month",
              "year": "year", "years": "year", "year2": "year", "decade": "decade",
              "decades": "decade", "decade2": "decade"}


def _cands_ago(ctx: _Ctx, out: list) -> None:
    lex, ref = ctx.lex, ctx.ref
    W = lex.words
    for mt in ctx.matches('ago'):
        g = mt.group
        s, e = mt.end("cl"), mt.end()
        ukind = W["unit"][" ".join(g("unit").split())]
        base = _UNIT_BASE[ukind]
        if g("more") or g("few"):
            out.append((s, e, PAST, 0))
            continue
        if g("num"):
            n = int(g("num"))
        elif g("card"):
            n = lex.numbers["cardinal"][" ".join(g("card").split())]
        elif ukind.endswith("2"):
            n = 2
        elif ukind.endswith("s"):
            out.append((s, e, PAST, 0))  # "منذ سنوات", "قبل أيام"
            continue
        else:
            n = 1
        if ref is None or n <= 0:
            out.append((s, e, PAST, 0))
            continue
        if base == "day":
            v = (ref - _dt.timedelta(days=n)).isoformat()
        elif base == "week":
            v = (ref - _dt.timedelta(days=7 * n)).isoformat()
        elif base == "month":
            v = _ym(*_shift_month(ref.year, ref.month, -n))
        elif base == "year":
            v = f"{ref.year - n:04d}"
        else:
            v = f"{ref.year - 10 * n:04d}"
        out.append((s, e, v, 0))


def _cands_vague(ctx: _Ctx, out: list) -> None:
    lex = ctx.lex
    W = lex.words
    for mt in ctx.matches('vague'):
        g = mt.group
        adj = g("adj")
        if adj:
            v = W["vague_adj"][adj]
        elif g("demo") and not g("mid"):
            v = W["demo"][g("demo")]
        else:
            continue
        if g("demo") and not adj:
            e = mt.end("v")
        else:
            e = mt.end()
        out.append((mt.end("cl"), e, v, -1))


def _cands_refs(ctx: _Ctx, out: list) -> None:
    lex = ctx.lex
    for mt in ctx.matches('refs'):
        key = " ".join(mt.group("ref").split())
        if key.startswith("ل") and key not in lex.refs:
            key = "ا" + key
        v = lex.refs.get(key)
        blk = lex.ref_block.get(key)
        if v and blk:
            nxt = ctx.norm[mt.end():mt.end() + 30].split()
            if "END" in blk[0]:
                if nxt and nxt[0][0].isalnum():
                    continue
            elif nxt and (nxt[0] in blk[0] or nxt[0].startswith(blk[1])):
                continue
        if v:
            out.append((mt.end("cl"), mt.end(), v, -1))


def _cands_anchored(ctx: _Ctx, out: list) -> None:
    for mt in ctx.matches('clock'):
        out.append((mt.end("cl"), mt.end(), None, 0))
    for mt in ctx.matches('dayadv'):
        out.append((mt.end("cl"), mt.end(), None, -1))


def _select(cands: list) -> list:
    """Longest (then higher priority, then leftmost) non-overlapping candidates, sorted by start."""
    cands.sort(key=lambda c: (-(c[1] - c[0]), -c[3], c[0]))
    taken: list = []
    occupied = bytearray()
    for c in cands:
        s, e = c[0], c[1]
        if e <= s:
            continue
        if len(occupied) < e:
            occupied.extend(b"\0" * (e - len(occupied)))
        if any(occupied[s:e]):
            continue
        occupied[s:e] = b"\1" * (e - s)
        taken.append(c)
    taken.sort(key=lambda c: c[0])
    return taken


def extract_times(text: str, published: str | None) -> list[dict]:
    """Each item: {"start": int, "end": int, "text": text[start:end], "value": str}; offsets into
    `text`, end exclusive, sorted by start, non-overlapping."""
    if not text:
        return []
    lex = _lex()
    nz = Normalized(text)
    ref, hour = _parse_published(published)
    ctx = _Ctx(lex, nz.norm, ref, hour)
    cands: list = []
    _cands_date(ctx, cands)
    _cands_day_of_month(ctx, cands)
    _cands_numdate(ctx, cands)
    _cands_day(ctx, cands)
    _cands_calunit(ctx, cands)
    _cands_year(ctx, cands)
    _cands_ago(ctx, cands)
    _cands_vague(ctx, cands)
    _cands_refs(ctx, cands)
    _cands_anchored(ctx, cands)
    out = []
    last_date = ref.isoformat() if ref else None
    for s, e, v, _p in _select(cands):
        if v is None:
            v = last_date if last_date else PAST
        elif len(v) == 10:
            last_date = v
        # "للعام": keep the clitic ل that stands for the alef of ال
        if s > 0 and nz.norm[s] == "ل" and nz.norm[s - 1] == "ل":
            s -= 1
        os_, oe = nz.orig(s, e)
        out.append({"start": os_, "end": oe, "text": text[os_:oe], "value": v})
    return out
