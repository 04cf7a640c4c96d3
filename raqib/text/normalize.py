"""Arabic normalisation for *matching* that never changes the analysed text.

`normalize(s)` returns the normalised string; `Normalized(s)` also keeps a map from every
normalised character back to its index in `s`, so a match found in the normalised form is
reported with offsets into the original text.

Folded: alef hamza forms (أ إ آ ٱ → ا), alef maqsura (ى → ي), ta marbuta (ة → ه), hamza on waw/ya
(ؤ → و, ئ → ي), Arabic-Indic and Persian digits → ASCII, every quote mark → '"'.
Dropped: diacritics (tashkeel, superscript alef) and tatweel.
"""
from __future__ import annotations

import re

_DROP = set(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670", "\u0640", "\u200c", "\u200d",
                                                         "\u200e", "\u200f", "\u061c"}
_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "'": '"', "‘": '"', "’": '"',
    "‚": '"', "‹": '"', "›": '"', "″": '"', "`": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
    "،": "،",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)
    _MAP[chr(0x06F0 + _i)] = str(_i)
_MAP["٫"] = "."
_MAP["٬"] = ","
_MAP["٪"] = "%"

QUOTE_CHARS = '"«»“”„‟\'‘’‚‹›″`'


def normalize_char(c: str) -> str:
    """The normalised form of one character ('' when it is dropped)."""
    if c in _DROP:
        return ""
    return _MAP.get(c, c)


def normalize(s: str) -> str:
    """Normalised string for matching (see module docstring)."""
    return "".join(_DROP_OR_MAP(c) for c in s)


def _DROP_OR_MAP(c: str) -> str:
    if c in _DROP:
        return ""
    return _MAP.get(c, c)


_WS = re.compile(r"\s+")


def normalize_key(s: str) -> str:
    """Normalised form with quotes removed and whitespace collapsed: a lookup key for names."""
    s = normalize(s).replace('"', "")
    return _WS.sub(" ", s).strip()


class Normalized:
    """A normalised view of `text` with a map back to original offsets.

    `norm[i]` comes from `text[index[i]]`; `orig(i, j)` turns a normalised span into
    the original span (end exclusive).
    """

    __slots__ = ("text", "norm", "index")

    def __init__(self, text: str):
        self.text = text
        out, idx = [], []
        for i, c in enumerate(text):
            n = _DROP_OR_MAP(c)
            if n:
                out.append(n)
                idx.append(i)
        self.norm = "".join(out)
        self.index = idx

    def orig(self, start: int, end: int) -> tuple[int, int]:
        if start >= len(self.index):
            return len(self.text), len(self.text)
        s = self.index[start]
        e = self.index[end - 1] + 1 if end > start else s
        while e < len(self.text) and self.text[e] in _DROP:
            e += 1  # diacritics and tatweel after the last letter belong to it
        return s, e
