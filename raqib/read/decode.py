"""Bytes to text for Arabic news files, whatever encoding they arrived in.

`decode(data, name)` returns the text or raises `ReadError`. It tries, in order:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. an encoding the document declares (`declared=`, e.g. an HTML `<meta charset>`), if the bytes
   decode cleanly with it and it does not give fewer Arabic letters than detection would;
3. UTF-16 without a BOM, recognised by its byte lanes: one lane of every two bytes is almost all
   0x00 (ASCII) or 0x06 (the Arabic block);
4. UTF-8 (a stray invalid byte in an otherwise UTF-8 file becomes U+FFFD);
5. the two single-byte Arabic code pages, Windows-1256 and ISO-8859-6. Both decode Arabic
   letters from the high half, at different byte values; the one whose decoding gives more
   Arabic letters and fewer unassigned bytes, C1 controls and Latin letters wins.

Data with NUL bytes that are not UTF-16, or with many control characters, is binary. Newlines are
normalised to '\\n' and a leading BOM is removed; nothing else is changed (no NFC).
"""
from __future__ import annotations

import codecs
import re

from raqib.read.errors import ReadError

EMPTY = "empty file"
BINARY = "binary file, not text"
UNDECODABLE = "cannot decode (not UTF-8, UTF-16, Windows-1256 or ISO-8859-6)"
NO_ARABIC = "no Arabic text (raqib analyses Arabic news)"

#: a text needs at least this many Arabic letters, and this share of its letters, to be analysed
MIN_ARABIC_LETTERS = 20
MIN_ARABIC_SHARE = 0.2

_ARABIC_LETTER = re.compile(
    "[\u0621-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee-\u06ef\u06fa-\u06fc\u06ff"
    "\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdfb\ufe70-\ufefc]"
)
_LEGACY = ("cp1256", "iso8859_6")  # first wins a tie: Windows-1256 is far more common
# Non-ASCII characters that are at home in Arabic text (besides the Arabic blocks themselves).
_ARABIC_FRIENDLY = set("\u00a0«»×÷°…“”‘’„‚–—•€£\u200c\u200d\u200e\u200f\ufeff")
_LEGACY_MAX_BAD_SHARE = 0.15
_UTF16_HIGH_BYTES = frozenset((0x00, 0x06, 0x20, 0xFB, 0xFC, 0xFD, 0xFE))
_AL = re.compile("(?:^|(?<=\\s))\u0627\u0644")
# an Arabic letter glued to a Latin one: the mark of a Latin text read through an Arabic code page
_MIXED = re.compile("[A-Za-z\u00c0-\u024f][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z\u00c0-\u024f]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def arabic_letters(text: str) -> int:
    """How many Arabic letters `text` has."""
    return len(_ARABIC_LETTER.findall(text))


def is_arabic(text: str, min_letters: int = MIN_ARABIC_LETTERS) -> bool:
    """True when `text` has at least `min_letters` Arabic letters and they are at least
    MIN_ARABIC_SHARE of its letters."""
    ar = arabic_letters(text)
    if ar == 0 or ar < min_letters:
        return False
    letters = sum(1 for c in text if c.isalpha())
    return ar >= MIN_ARABIC_SHARE * letters


def check_arabic(text: str, name: str, min_letters: int = MIN_ARABIC_LETTERS) -> None:
    """Raise ReadError(name, 'no Arabic text ...') unless `text` is Arabic enough."""
    if not is_arabic(text, min_letters):
        raise ReadError(name, NO_ARABIC)


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML/XML document declares in its first 8 KB (normalised to a Python codec
    name), or None. A declared UTF-16 is ignored, as browsers do: bytes that an ASCII regex can read
    are not UTF-16."""
    head = data[:8192]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    try:
        enc = codecs.lookup(m.group(1).decode("ascii").strip().lower()).name
    except (LookupError, UnicodeDecodeError):
        return None
    return None if enc.startswith(("utf-16", "utf-32")) else enc


def decode(data: bytes, name: str, declared: str | None = None) -> str:
    """Decode `data` (the contents of the file `name`) to text; raise ReadError if it is empty,
    binary or in none of the supported encodings. See the module docstring for the order."""
    text = _decode(data, name, declared)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ReadError(name, EMPTY)
    if _too_many_controls(text):
        raise ReadError(name, BINARY)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, name: str, declared: str | None) -> str:
    if not data.strip():
        raise ReadError(name, EMPTY)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc)
            except UnicodeDecodeError:
                raise ReadError(name, UNDECODABLE) from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        return data.decode(enc16)
    if b"\x00" in data:
        raise ReadError(name, BINARY)
    try:
        auto, failure = _detect_8bit(data, name), None
    except ReadError as e:
        auto, failure = "", e
    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and arabic_letters(text) >= arabic_letters(auto) \
                and not _too_many_controls(text):
            return text
    if failure:
        raise failure
    return auto


def _detect_8bit(data: bytes, name: str) -> str:
    """UTF-8, else the better of the two Arabic code pages (see module docstring)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", "replace")
    bad = loose.count("\ufffd")
    good = sum(1 for c in loose if c > "\x7f") - bad
    if good >= 20 * bad:  # a UTF-8 file with a stray byte or two
        return loose
    if _too_many_controls(loose):  # cheap check before the legacy code pages
        raise ReadError(name, BINARY)
    best, best_score, best_bad = "", None, 0
    for enc in _LEGACY:
        text = data.decode(enc, "replace")
        bad = _foreign(text) + len(_MIXED.findall(text))
        # the article prefix ال is the commonest letter pair of Arabic: it settles texts whose
        # bytes are letters in both code pages
        score = arabic_letters(text) + 2 * len(_AL.findall(text)) - 3 * bad
        if best_score is None or score > best_score:
            best, best_score, best_bad = text, score, bad
    high = sum(1 for c in best if c > "\x7f")
    if best_bad <= _LEGACY_MAX_BAD_SHARE * high:
        return best
    # Arabic mixed with stray symbols and Latin letters: not Arabic in either code page. Latin text
    # (e.g. French in Latin-1, whose accented letters cp1256 keeps) is returned for the Arabic check
    # to reject with a clearer message; anything else (e.g. a CJK encoding) is undecodable.
    latin = data.decode("cp1256")
    if not is_arabic(latin, min_letters=1):
        return latin
    raise ReadError(name, UNDECODABLE)


def _foreign(text: str) -> int:
    """Non-ASCII characters that do not belong in Arabic text: U+FFFD (an unassigned byte),
    controls, non-Arabic letters and symbols."""
    n = 0
    for c in text:
        if c <= "\x7f" or c in _ARABIC_FRIENDLY:
            continue
        o = ord(c)
        if 0x0600 <= o <= 0x06FF or 0xFB50 <= o <= 0xFEFC:
            continue
        n += 1
    return n


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes look like BOM-less UTF-16, else None."""
    if len(data) < 4:
        return None
    sample = data[: min(len(data), 8192) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    le = sum(b in _UTF16_HIGH_BYTES for b in odd) / len(odd)
    be = sum(b in _UTF16_HIGH_BYTES for b in even) / len(even)
    if le >= 0.6 and be < 0.35:
        enc = "utf-16-le"
    elif be >= 0.6 and le < 0.35:
        enc = "utf-16-be"
    else:
        return None
    if len(data) % 2:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    plain = sum(1 for c in text if c <= "\x7f" or "\u0600" <= c <= "\u06ff" or "\u2000" <= c <= "\u206f"
                or c in _ARABIC_FRIENDLY)
    if plain < 0.9 * len(text) or _too_many_controls(text):
        return None
    return enc


def _too_many_controls(text: str) -> bool:
    """NUL, or more than 1% control characters (other than tab, newline, CR, FF, VT)."""
    return "\x00" in text or len(_CONTROL.findall(text)) > 0.01 * len(text) + 1
