"""The one error type the readers report, and the article-size limit they share."""
from __future__ import annotations

import re

#: an article whose text is longer than this many characters is refused (`--max-chars`): a news
#: article is rarely above 50,000; analysis runs at about 100,000 characters per second
MAX_ARTICLE_CHARS = 1_000_000

# Characters that would break the one-line message or reorder how a terminal shows it: C0/C1
# controls, line/paragraph separators, bidi embeddings, overrides and isolates (U+202A-E,
# U+2066-9). Shown as \\uXXXX escapes. The bidi *marks* (U+200E/F, U+061C) are left alone: they
# are ordinary in Arabic file names and text.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(s: str) -> str:
    """`s` with line breaks, controls and bidi overrides escaped (for one-line messages)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", s)


class ReadError(Exception):
    """A file (or one record of it) that cannot become an Article.

    `str(e)` is 'PATH: reason', e.g. 'x.txt: empty file' or 'b.jsonl:3: invalid JSON (...)',
    always one line: control and bidi-override characters in the path or reason are escaped.
    The readers yield these instead of raising, so that one bad file or line does not stop a batch.
    """

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{one_line(str(path))}: {one_line(str(reason))}")

    def __repr__(self) -> str:
        return f"ReadError({self.path!r}, {self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReadError) and (self.path, self.reason) == (other.path, other.reason)

    def __hash__(self) -> int:
        return hash((self.path, self.reason))


def check_length(article, where: str, max_chars: int | None = MAX_ARTICLE_CHARS):
    """`article` if its text is at most `max_chars` characters long, else raise ReadError."""
    if max_chars and len(article.text) > max_chars:
        raise ReadError(where, f"article too long ({len(article.text):,} characters > {max_chars:,} limit, "
                               "--max-chars)")
    return article
