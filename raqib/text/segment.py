"""Sentences and tokens over the original text (offsets always into `text`).

Tokens are runs of letters/digits (Arabic letters, diacritics and tatweel included) or single
punctuation marks. Each word token carries its normalised form and the proclitic analyses that
Arabic allows (و ف ب ل ك + ال), so matchers can look a name up with and without its clitics.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import normalize

# letters and digits only: the Arabic block's punctuation (، ؛ ؟ ٪ ۔) stays out of words
_LETTERS = (r"0-9A-Za-z\u00C0-\u024F\u0610-\u061A\u0620-\u065F\u0660-\u0669\u066E-\u06D3\u06D5-\u06FF"
            r"\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC")
_WORD = re.compile(rf"[{_LETTERS}]+(?:[.,٫٬][0-9\u0660-\u0669]+)*")
_TOKEN = re.compile(_WORD.pattern + r"|\S")

_DIGITS_OR_PUNCT = set("0123456789.,%٫٬٪")
_ARABIC_PUNCT_SPLIT = set("،؛؟")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    norm: str
    is_word: bool
    stems: tuple = field(default=())  # ((clitic_len_in_norm, stem), ...) best first, including (0, norm)


# proclitic sequences, longest first: conjunction (و/ف) + preposition (ب/ل/ك) + article (ال)
_PROCLITICS = ["وبال", "فبال", "وكال", "فكال", "وال", "فال", "بال", "كال", "ولل", "فلل", "لل",
               "وب", "فب", "ول", "فل", "وك", "فك", "ال", "و", "ف", "ب", "ل", "ك"]


def stems_of(norm: str) -> tuple:
    """Possible (clitic_length, stem) readings of a normalised word, the whole word first.

    "وبادلب" → ((0,'وبادلب'), (2,'ادلب'), (1,'بادلب')...). Stems shorter than 2 letters are skipped.
    "لل" (li + al) yields the stem with its article restored: "للامم" → "الامم".
    """
    out = [(0, norm)]
    for p in _PROCLITICS:
        if norm.startswith(p) and len(norm) - len(p) >= 2:
            stem = norm[len(p):]
            if p.endswith("لل"):
                out.append((len(p), "ال" + stem))
                out.append((len(p), stem))
            else:
                out.append((len(p), stem))
            # al- forms: also give the stem with al- kept (وال-دفاع → الدفاع)
            if p.endswith("ال") and len(p) > 2:
                out.append((len(p) - 2, "ال" + stem))
    seen, res = set(), []
    for c in out:
        if c[1] not in seen:
            seen.add(c[1])
            res.append(c)
    return tuple(res)


def tokenize(text: str) -> list[Token]:
    toks = []
    for m in _TOKEN.finditer(text):
        s = m.group()
        is_word = bool(_WORD.fullmatch(s))
        n = normalize(s)
        toks.append(Token(m.start(), m.end(), s, n, is_word, stems_of(n) if is_word else ((0, n),)))
    return toks


# sentence end: . ! ? ؟ (possibly followed by closing quotes/brackets) then whitespace, or a newline
# a full stop glued to the next word ("إدلب.وقال") ends a sentence too when enough letters stand on
# each side: four before, three after (so "أ.ف.ب", "سي.بي.إس", "إيه.إتش" and "3.5" do not)
_SENT_END = re.compile(r"(?:[.!?؟…]+[\"”»’')\]]*(?=\s)|\n+|(?<=[\u0621-\u064A]{4})[.!?؟](?=[\u0621-\u064A]{3}))")
_ABBREV = re.compile(r"(?:^|\s)(?:[A-Za-z\u0600-\u06FF]|د|م|ج|ق|ص|ت)\.$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) with surrounding whitespace trimmed; empty ones skipped."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group().startswith(".") and _ABBREV.search(text[max(0, m.start() - 3):m.start() + 1]):
            continue  # single-letter abbreviation such as "د." (Dr.)
        if text[m.start() - 1:m.start()].isdigit() and text[m.end():m.end() + 2].strip()[:1].isdigit():
            continue
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
