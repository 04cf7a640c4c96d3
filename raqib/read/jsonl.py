"""JSON and JSON-lines articles: objects with a required "text" and optional "id", "title",
"published", "source", "url" (the fields of the gold files, e.g. eval/dev.jsonl). Extra fields are
ignored. Texts are taken exactly as given (no boilerplate cut, no newline change): gold offsets
point into them. Two exceptions, both one character for one so that offsets stay put: a lone
surrogate (a "\\ud800" escape with no partner; not a character, and no UTF-8 output or database
can hold it) becomes U+FFFD. Metadata that is a number or a boolean is kept as its text, an object
or list as its compact JSON.
"""
from __future__ import annotations

import json
import re
from typing import Iterator

from raqib.article import Article
from raqib.read.decode import check_arabic
from raqib.read.errors import MAX_ARTICLE_CHARS, ReadError, check_length

FIELDS = ("id", "title", "published", "source", "url")
_SURROGATE = re.compile("[\ud800-\udfff]")
TOO_DEEP = "invalid JSON (nested too deeply)"


def _clean(s: str) -> str:
    """`s` with each lone surrogate replaced by U+FFFD (same length: offsets do not move)."""
    return _SURROGATE.sub("\ufffd", s)


def _meta_str(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        return _clean(v)
    if isinstance(v, (dict, list)):
        return _clean(json.dumps(v, ensure_ascii=False, sort_keys=True))
    return str(v)


def _loads(s: str):
    """json.loads; ValueError (with a JSON-error message) for a value nested too deeply."""
    try:
        return json.loads(s)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None


def _json_error(e: json.JSONDecodeError, with_line: bool) -> str:
    where = f"line {e.lineno} column {e.colno}" if with_line else f"column {e.colno}"
    return f"invalid JSON ({e.msg}, {where})"


def article_from_record(rec, where: str, *, default_id: str, id: str | None = None,
                        published: str | None = None, override: bool = False,
                        max_chars: int | None = MAX_ARTICLE_CHARS) -> Article:
    """One Article from a decoded JSON value. `id`/`published` fill absent fields, or replace the
    record's when `override` (a single-article file). Raises ReadError naming `where`."""
    if not isinstance(rec, dict):
        raise ReadError(where, f"not a JSON object (a {type(rec).__name__})")
    text = rec.get("text")
    if text is None:
        raise ReadError(where, 'object has no "text"')
    if not isinstance(text, str):
        raise ReadError(where, f'"text" is not a string (a {type(text).__name__})')
    if not text.strip():
        raise ReadError(where, 'empty "text"')
    text = _clean(text)
    check_arabic(text, where, min_letters=1)
    meta = {k: _meta_str(rec.get(k)) for k in FIELDS}
    for k, arg in (("id", id), ("published", published)):
        if arg is not None and (override or not meta[k]):
            meta[k] = arg
    if not meta["id"]:
        meta["id"] = default_id
    return check_length(Article(text=text, **meta), where, max_chars)


def read_json(text: str, name: str, stem: str, *, id: str | None = None,
              published: str | None = None, max_chars: int | None = MAX_ARTICLE_CHARS
              ) -> Iterator[Article | ReadError]:
    """A .json file: one object, or a list of objects. A file of one object per line is read as
    JSON lines."""
    try:
        data = _loads(text)
    except ValueError as e:
        if not isinstance(e, json.JSONDecodeError):  # nested too deeply
            yield ReadError(name, str(e))
            return
        if e.msg == "Extra data" and text.lstrip().startswith("{"):
            yield from read_jsonl(text, name, stem, id=id, published=published, max_chars=max_chars)
        else:
            yield ReadError(name, _json_error(e, True))
        return
    if isinstance(data, dict):
        try:
            yield article_from_record(data, name, default_id=id or stem, id=id, published=published,
                                      override=True, max_chars=max_chars)
        except ReadError as e:
            yield e
    elif isinstance(data, list):
        if not data:
            yield ReadError(name, "empty JSON list")
        for i, rec in enumerate(data, 1):
            try:
                yield article_from_record(rec, f"{name}[{i}]", default_id=f"{id or stem}:{i}",
                                          published=published, max_chars=max_chars)
            except ReadError as e:
                yield e
    else:
        yield ReadError(name, f"expected a JSON object or a list of objects, not a {type(data).__name__}")


def read_jsonl(text: str, name: str, stem: str, *, id: str | None = None,
               published: str | None = None, max_chars: int | None = MAX_ARTICLE_CHARS
               ) -> Iterator[Article | ReadError]:
    """JSON lines: one object per line; blank lines are skipped; a bad line yields a ReadError
    named 'file:line' and the other lines are still read."""
    seen = False
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        seen = True
        where = f"{name}:{n}"
        try:
            rec = _loads(line)
        except json.JSONDecodeError as e:
            yield ReadError(where, _json_error(e, False))
            continue
        except ValueError as e:     # nested too deeply
            yield ReadError(where, str(e))
            continue
        try:
            yield article_from_record(rec, where, default_id=f"{id or stem}:{n}", published=published,
                                      max_chars=max_chars)
        except ReadError as e:
            yield e
    if not seen:  # pragma: no cover - decode() already rejects whitespace-only files
        yield ReadError(name, "empty file")
