"""Plain-text articles (.txt, .text, .md): headline line, body, trailing boilerplate."""
from __future__ import annotations

import re

from raqib.article import Article
from raqib.read.boilerplate import cut_trailing
from raqib.read.decode import check_arabic

#: a first line longer than this is a paragraph, not a headline
MAX_TITLE_CHARS = 300
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def article_from_text(text: str, name: str, *, id: str | None = None, published: str | None = None,
                      markdown: bool = False) -> Article:
    """The first non-empty line is the headline (`title`), unless it is paragraph-long or the only
    line; `text` is the rest, stripped, without the outlet's trailing boilerplate (listed in
    `boilerplate`). Raises ReadError when the body is not Arabic."""
    lines = text.split("\n")
    title = None
    start = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    if start < len(lines):
        first = lines[start].strip()
        if markdown:
            first = _MD_HEADING.sub("", first).strip()
        rest = lines[start + 1:]
        if len(first) <= MAX_TITLE_CHARS and any(ln.strip() for ln in rest):
            title, lines = first, rest
    body, boiler = cut_trailing("\n".join(lines))
    check_arabic(body if title is None else f"{title}\n{body}", name)
    return Article(text=body, id=id, title=title, published=published, boilerplate=boiler)
