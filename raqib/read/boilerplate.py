"""Cut an outlet's trailing boilerplate (footer notices, share prompts, related links) off a body.

The patterns are data: `raqib/lang/ar/boilerplate.tsv`. Only the end of the body is scanned,
upward, while lines are boilerplate or separators; the first line of real text stops the scan, so a
boilerplate-looking line in the middle of an article stays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from raqib.text.normalize import normalize

TSV = Path(__file__).resolve().parent.parent / "lang" / "ar" / "boilerplate.tsv"
#: a line longer than this is never boilerplate
MAX_LINE_CHARS = 400
#: a trailing section (related links, tags) starts within this many non-empty lines of the end...
MAX_SECTION_LINES = 15
#: ... and every line in it is at most this long (headlines, not paragraphs)
MAX_SECTION_LINE_CHARS = 200


@dataclass(frozen=True)
class Patterns:
    line: tuple   # compiled regexes: the line alone is boilerplate
    section: tuple  # the line heads a trailing block
    sep: tuple    # separator lines
    lead: tuple = ()  # publication stamps at the top of an HTML body


@lru_cache(maxsize=None)
def load_patterns(path: str | None = None) -> Patterns:
    """Parse the TSV (kind, pattern, example); patterns are normalised like the lines they match."""
    kinds: dict[str, list] = {"line": [], "section": [], "sep": [], "lead": []}
    text = Path(path or TSV).read_text(encoding="utf-8")
    for n, row in enumerate(text.splitlines(), 1):
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        if cols[0] == "kind":  # header
            continue
        if len(cols) < 2 or cols[0] not in kinds:
            raise ValueError(f"{path or TSV}:{n}: expected 'kind<TAB>pattern[<TAB>example]'")
        kinds[cols[0]].append(re.compile(normalize(cols[1]), re.IGNORECASE))
    return Patterns(*(tuple(kinds[k]) for k in ("line", "section", "sep", "lead")))


def _key(line: str) -> str:
    return normalize(line).strip()


def _matches(regexes, key: str) -> bool:
    return any(r.search(key) for r in regexes)


def split_trailing(lines: list[str], patterns: Patterns | None = None) -> tuple[list[str], list[str]]:
    """Split body `lines` into (kept lines, boilerplate lines).

    The boilerplate is returned as the stripped non-empty lines that were cut, in order. The first
    non-empty line is never cut.
    """
    p = patterns or load_patterns()
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(nonempty) < 2:
        return list(lines), []
    keys = {i: _key(lines[i]) for i in nonempty}
    first = nonempty[0]
    cut = len(lines)  # lines[cut:] are boilerplate
    while True:
        before = cut
        tail = [i for i in nonempty if first < i < cut]
        # 1. a section header near the end: it and everything after it go
        window = tail[-MAX_SECTION_LINES:]
        for k, i in enumerate(window):
            if (len(lines[i]) <= MAX_LINE_CHARS and _matches(p.section, keys[i])
                    and all(len(lines[j].strip()) <= MAX_SECTION_LINE_CHARS for j in window[k + 1:])):
                cut = i
                break
        # 2. single boilerplate / separator lines, upward from the cut
        for i in reversed([i for i in tail if i < cut]):
            key = keys[i]
            if len(key) <= MAX_LINE_CHARS and (_matches(p.sep, key) or _matches(p.line, key)):
                cut = i
            else:
                break
        if cut == before:
            break
    kept = lines[:cut]
    boiler = [ln.strip() for ln in lines[cut:] if ln.strip()]
    return kept, boiler


def cut_trailing(text: str, patterns: Patterns | None = None) -> tuple[str, list[str]]:
    """`text` without its trailing boilerplate (stripped), and the boilerplate lines."""
    kept, boiler = split_trailing(text.split("\n"), patterns)
    return "\n".join(kept).strip(), boiler


#: publication stamps are looked for among this many first non-empty lines
MAX_LEAD_LINES = 3


def cut_leading(text: str, patterns: Patterns | None = None) -> tuple[str, list[str]]:
    """`text` without publication-stamp lines at its top (HTML bodies), and those lines. Only the
    first MAX_LEAD_LINES non-empty lines are looked at, and one line of text always stays."""
    p = patterns or load_patterns()
    lines = text.split("\n")
    cut, seen = [], 0
    for i, ln in enumerate(lines):
        if not ln.strip():
            continue
        seen += 1
        if seen > MAX_LEAD_LINES:
            break
        if len(ln) <= MAX_LINE_CHARS and _matches(p.lead, _key(ln)):
            cut.append(i)
    drop = set(cut)
    kept = [ln for i, ln in enumerate(lines) if i not in drop]
    if not any(ln.strip() for ln in kept):
        return text, []
    return "\n".join(kept).strip(), [lines[i].strip() for i in cut]
