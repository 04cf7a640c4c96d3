"""Loader for the entity knowledge base (`entities.tsv`) and role holders (`roles.tsv`).

The matcher needs, for each normalised alias, the entity it names; aliases are stored as word
tuples (normalised with `normalize_key`) so they can be matched token by token.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..lang import records
from ..text.normalize import normalize_key

KB_DIR = Path(__file__).parent


@dataclass(slots=True)
class KBEntity:
    id: str
    type: str
    name_ar: str
    name_en: str
    aliases_ar: list = field(default_factory=list)
    aliases_en: list = field(default_factory=list)
    wikidata: str = ""
    outlet: bool = False  # a news outlet or agency (its name after لـ/عن marks a relay)


@dataclass(slots=True)
class Role:
    words: tuple
    entity: str
    start: str  # ISO date prefix or ''
    end: str


@dataclass
class KnowledgeBase:
    entities: dict
    aliases: dict  # first word -> list[(words tuple, entity id)], longest first
    roles: dict  # first word -> list[Role], longest first
    max_len: int = 1

    def holder(self, role: Role, date: str | None) -> bool:
        if not date:
            return not role.end
        d = date[:10]
        return (not role.start or role.start <= d) and (not role.end or d < role.end)


def _rows(path: Path):
    return records(path)


_OUTLET_WORDS = ("agency", "news", "outlet", "newspaper", "channel", "tv", "television", "radio", "broadcaster",
                 "press", "times", "post", "gazette", "magazine")


def _is_outlet(r: dict) -> bool:
    """Outlets are marked in the note or kind column ('outlet'), else guessed from the English name."""
    note = (r.get("kind") or r.get("note") or "").lower()
    if "outlet" in note or "agency" in note and "news" in note:
        return True
    return False


def _split(s: str | None) -> list:
    return [x.strip() for x in (s or "").split("|") if x.strip()]


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    entities, aliases, roles = {}, {}, {}
    max_len = 1
    for r in _rows(KB_DIR / "entities.tsv"):
        if not r.get("id") or r.get("type") not in ("PER", "ORG", "LOC"):
            continue
        e = KBEntity(r["id"], r["type"], r.get("name_ar", "").strip(), r.get("name_en", "").strip(),
                     _split(r.get("aliases_ar")), _split(r.get("aliases_en")), (r.get("wikidata") or "").strip(),
                     _is_outlet(r))
        entities[e.id] = e
        for a in [e.name_ar] + e.aliases_ar:
            words = tuple(normalize_key(a).split())
            if not words:
                continue
            lst = aliases.setdefault(words[0], [])
            if (words, e.id) not in lst:
                lst.append((words, e.id))
            max_len = max(max_len, len(words))
    for r in _rows(KB_DIR / "roles.tsv"):
        ent = (r.get("entity_id") or "").strip()
        words = tuple(normalize_key(r.get("role_ar", "")).split())
        if ent in entities and words:
            roles.setdefault(words[0], []).append(
                Role(words, ent, (r.get("from") or "").strip(), (r.get("to") or "").strip()))
            max_len = max(max_len, len(words))
    for d in (aliases, roles):
        for lst in d.values():
            lst.sort(key=lambda x: -len(x[0] if isinstance(x, tuple) else x.words))
    return KnowledgeBase(entities, aliases, roles, max_len)
