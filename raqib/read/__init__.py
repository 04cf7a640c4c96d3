"""Readers: files (or bytes) in, Articles out.

    for item in read_path("page.html", published="2019-11-26"):
        if isinstance(item, ReadError): print(item)      # 'page.html: no Arabic text (...)'
        else: analyse(item)

Formats, by extension: .txt/.text/.md (one article: headline line + body, trailing boilerplate
cut), .html/.htm/.xhtml (one article, via trafilatura), .json (one object or a list), .jsonl/.ndjson
(one object per line). A trailing .gz is decompressed. Other names are sniffed: markup is HTML,
a leading { or [ is JSON, anything else is text. '-' reads stdin.

Bad content never raises: each bad file, record or line is yielded as a ReadError whose str() is
'PATH: reason' (or 'PATH:LINE: reason').
"""
from __future__ import annotations

import math
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Iterator

from raqib.article import Article
from raqib.read.decode import declared_charset
from raqib.read.decode import decode as decode_bytes  # (keeps raqib.read.decode the module)
from raqib.read.errors import MAX_ARTICLE_CHARS, ReadError, check_length
from raqib.read.html import article_from_html
from raqib.read.jsonl import read_json, read_jsonl
from raqib.read.text import article_from_text

__all__ = ["ReadError", "read_path", "read_bytes", "decode_bytes", "sniff", "MAX_FILE_MB", "MAX_FILE_BYTES",
           "MAX_ARTICLE_CHARS"]

#: files above this size are refused (`--max-file-mb`); also the limit on a .gz file's contents
MAX_FILE_MB = 50
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

TEXT_EXT = frozenset({".txt", ".text", ".md", ".markdown"})
HTML_EXT = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSON_EXT = frozenset({".json"})
JSONL_EXT = frozenset({".jsonl", ".ndjson", ".jsonlines"})
STDIN = "-"
_MARKUP = re.compile(r"<(!doctype\s+html|html|head|body|meta|title|article|div|p|br|span|h1|table)\b",
                     re.IGNORECASE)


def _mb(n: float) -> str:
    return f"{n:g}"


def _limits(max_file_mb: float | None) -> tuple[float, int]:
    mb = MAX_FILE_MB if max_file_mb is None else max_file_mb
    return mb, int(mb * 1024 * 1024)


def _too_large(name: str, size: int, mb: float) -> ReadError:
    return ReadError(name, f"file too large ({math.ceil(size / 2**20)} MB > {_mb(mb)} MB limit)")


def read_path(path: str, published: str | None = None, id: str | None = None, *,
              max_chars: int | None = None, max_file_mb: float | None = None
              ) -> Iterator[Article | ReadError]:
    """Yield the Articles in the file at `path` (or stdin for '-'), and a ReadError for the file or
    for each bad record. `published`/`id` override a single-article file's own; in JSON lists and
    lines they only fill records that lack them (ids then get ':N' appended). Limits: a file above
    `max_file_mb` (default MAX_FILE_MB) is refused whole, an article above `max_chars` characters
    (default MAX_ARTICLE_CHARS) alone."""
    path = str(path)
    mb, max_bytes = _limits(max_file_mb)
    if path == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            yield ReadError("<stdin>", f"input too large (> {_mb(mb)} MB limit)")
            return
        yield from read_bytes(data, "<stdin>", published=published, id=id, max_chars=max_chars,
                              max_file_mb=max_file_mb)
        return
    try:
        size = os.path.getsize(path)
        if os.path.isdir(path):
            yield ReadError(path, "is a directory, not a file")
            return
        if size > max_bytes:
            yield _too_large(path, size, mb)
            return
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        yield ReadError(path, "no such file")
        return
    except OSError as e:
        yield ReadError(path, f"cannot read ({e.strerror or e})")
        return
    yield from read_bytes(data, path, published=published, id=id, max_chars=max_chars, max_file_mb=max_file_mb)


def read_bytes(data: bytes, name: str, published: str | None = None, id: str | None = None, *,
               max_chars: int | None = None, max_file_mb: float | None = None
               ) -> Iterator[Article | ReadError]:
    """Like read_path, from the contents `data` of a file called `name` (its extension picks the
    format; without a known one the contents are sniffed)."""
    mb, max_bytes = _limits(max_file_mb)
    max_chars = MAX_ARTICLE_CHARS if max_chars is None else max_chars
    if len(data) > max_bytes:
        yield _too_large(name, len(data), mb)
        return
    base = name
    if name.lower().endswith(".gz"):
        try:
            data = _gunzip(data, max_bytes, mb)
        except ValueError as e:
            yield ReadError(name, str(e))
            return
        base = name[:-3]
    ext = Path(base).suffix.lower()
    stem = "stdin" if name == "<stdin>" else Path(base).stem
    fmt = _format_from_ext(ext)
    declared = None
    if fmt == "html" or (fmt is None and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"):
        declared = declared_charset(data)
    try:
        text = decode_bytes(data, name, declared=declared)
    except ReadError as e:
        yield e
        return
    if fmt is None:
        fmt = sniff(text)
    try:
        if fmt == "json":
            yield from read_json(text, name, stem, id=id, published=published, max_chars=max_chars)
        elif fmt == "jsonl":
            yield from read_jsonl(text, name, stem, id=id, published=published, max_chars=max_chars)
        elif fmt == "html":
            yield check_length(article_from_html(text, name, id=id or stem, published=published), name, max_chars)
        else:
            yield check_length(article_from_text(text, name, id=id or stem, published=published,
                                                 markdown=ext in (".md", ".markdown")), name, max_chars)
    except ReadError as e:
        yield e
    except Exception as e:  # a reader bug on odd input must not stop a batch
        err = ReadError(name, f"cannot read {fmt} ({type(e).__name__}: {_first_line(e)})")
        err.__cause__ = e    # (the fuzzers count these as crashes)
        yield err


def _format_from_ext(ext: str) -> str | None:
    if ext in TEXT_EXT:
        return "text"
    if ext in HTML_EXT:
        return "html"
    if ext in JSON_EXT:
        return "json"
    if ext in JSONL_EXT:
        return "jsonl"
    return None


def sniff(text: str) -> str:
    """'html', 'json' or 'text' for contents whose file name says nothing ('json' covers JSON lines:
    read_json falls back to them)."""
    head = text.lstrip()[:2000]
    if head[:1] in ("{", "["):
        return "json"
    if head[:1] == "<" and _MARKUP.search(head):
        return "html"
    return "text"


def _gunzip(data: bytes, max_bytes: int = MAX_FILE_BYTES, mb: float = MAX_FILE_MB) -> bytes:
    """Decompress, refusing more than `max_bytes` of output (no gzip bombs)."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, max_bytes + 1)
    except zlib.error as e:
        raise ValueError(f"not a valid gzip file ({e})") from None
    if len(out) > max_bytes:
        raise ValueError(f"file too large when decompressed (> {_mb(mb)} MB limit)")
    return out


def _first_line(e: BaseException) -> str:
    s = " ".join(str(e).split())
    return s[:300] if s else type(e).__name__

