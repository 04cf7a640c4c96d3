"""The store interface and the SQL shared by the SQLite and PostgreSQL back ends.

A store keeps analysed records (contract v1, see `raqib.article`) and answers questions about
them. One article is one transaction: its row, entities, mentions, places, times, quantities and
claims are written all together or not at all, so a crash or Ctrl-C never leaves half an article.
Articles are identified by the SHA-256 of their text (whitespace collapsed): storing the same
text twice stores it once.

Tables (the same on both back ends):

    articles      id, hash (unique), ext_id (the id given at ingest), title, published, pub_date
                  (YYYY-MM-DD or a prefix of it), source, url, lang, text, record (the JSON record
                  without its text), ingested
    article_copies article_id, copy_key, ext_id, title, published, source, url, ingested: the
                  same text met again under other metadata (another id, outlet, URL or date) —
                  stored once, but every id given at ingest stays findable
    entities      id, article_id, local_id (E1...), type, name, name_en, kb, n_mentions
    entity_names  entity_id, key       every normalised name of an entity: its name, its English
                                       name and the text of each of its mentions (see name_key)
    mentions      entity_id, article_id, start_off, end_off, text
    places        entity_id, article_id, lat, lon, country, admin1, admin1_key, kind, gazetteer,
                  precision, name_en
    times         article_id, start_off, end_off, text, value
    quantities    article_id, start_off, end_off, text, value, approx, unit
    claims        id, article_id, local_id (C1...), sentence, cue_*, speaker_*, speaker_key,
                  speaker_entity, content_*, stance, direct_quote
    claim_targets claim_id, entity_id
    claim_via     claim_id, pos, start_off, end_off, text, entity_id

plus the full-text index (SQLite: an FTS5 table; PostgreSQL: a tsvector column with a GIN index)
over `search_tokens(title + text + English entity names)`.

Search keys: text is normalised as by `normalize_key` (hamza forms, alef maqsura, ta marbuta,
diacritics, tatweel, digits), lower-cased, split into words (at spaces, punctuation and quote
marks), and each word loses a leading definite
article with its proclitic (ال، وال، بال، فال، كال، لل، ولل، فلل) when at least three letters remain.
Indexed text and queries go through the same function, so ادلب finds إدلب, الهجوم finds هجوم and
وللهجوم.

All SQL takes its values as bound parameters; user input never becomes SQL text.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import lru_cache
from abc import ABC, abstractmethod
from contextlib import contextmanager

from ..text.normalize import _DROP as _DROPPED_CHARS
from ..text.normalize import Normalized, normalize_char, normalize_key

SCHEMA_VERSION = 1
STANCES = ("assert", "accuse", "deny", "confirm", "warn", "demand")
SEARCH_FILTERS = ("source", "since", "until", "lang")
MAX_LIMIT = 10_000

_WORD = re.compile(r"[^\W_]+")
_ARTICLE_PREFIXES = ("وال", "فال", "بال", "كال", "ولل", "فلل", "ال", "لل")
_WS = re.compile(r"\s+")


# -- keys ------------------------------------------------------------------------------------------

def core(word: str) -> str:
    """A normalised word without its definite article (and the proclitic before it)."""
    for p in _ARTICLE_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


_TABLE: dict | None = None


def _fold(s: str) -> str:
    """normalize_key(s) without quotes and whitespace handling, via str.translate: the same
    character mapping (taken from `normalize_char` for every BMP code point it changes), ~20x
    faster on whole articles."""
    global _TABLE
    if _TABLE is None:
        table = {}
        for i in range(0x10000):
            c = chr(i)
            n = normalize_char(c)
            if n != c:
                table[i] = n or None
        _TABLE = table
    return s.translate(_TABLE)


def search_tokens(text: str) -> list[str]:
    """The index/query words of `text` (see the module docstring)."""
    return [core(w) for w in _WORD.findall(_fold(text or "").lower())]


def name_key(name: str) -> str:
    """A lookup key for a name: its search words joined by single spaces."""
    return " ".join(search_tokens(name))


def content_hash(text: str) -> str:
    """The identity of an article: SHA-256 of its text with whitespace collapsed."""
    return hashlib.sha256(_WS.sub(" ", text or "").strip().encode("utf-8")).hexdigest()


def like_escape(s: str) -> str:
    """`s` as a literal inside a LIKE pattern (ESCAPE '\\')."""
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def date_bound(value: str | None, upper: bool) -> str | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD bound as a comparable YYYY-MM-DD string (inclusive);
    ValueError for anything else."""
    if value is None or value == "":
        return None
    v = str(value).strip()
    if re.fullmatch(r"\d{4}", v):
        return f"{v}-12-31" if upper else f"{v}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", v):
        dt.date.fromisoformat(v + "-01")
        return f"{v}-31" if upper else f"{v}-01"
    try:
        return dt.date.fromisoformat(v[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def pub_date(published) -> str | None:
    """The date part of a `published` value when it starts like an ISO date."""
    if not published:
        return None
    m = re.match(r"\d{4}(-\d{2}(-\d{2})?)?", str(published).strip())
    return m.group(0) if m else None


def _limit(n) -> int:
    n = int(n)
    if n < 1:
        raise ValueError("limit must be at least 1")
    return min(n, MAX_LIMIT)


# -- the interface ---------------------------------------------------------------------------------

class Store(ABC):
    """What every back end offers (see `raqib.store.open_store`)."""

    url: str

    @abstractmethod
    def add_article(self, record: dict) -> str:
        """Store one analysed record (contract v1) in one transaction: 'stored', or 'duplicate'
        when an article with the same text is already stored. Raises on a malformed record or a
        database error, with nothing of the article written."""

    @abstractmethod
    def has(self, hash: str) -> bool:
        """Whether an article with this `content_hash` is stored."""

    @abstractmethod
    def add_copy(self, hash: str, meta: dict) -> bool:
        """Note that the stored article with this hash came again with other metadata (`meta`:
        id, title, published, source, url). True when that copy was new."""

    @abstractmethod
    def copies(self, id: int) -> list[dict]:
        """The other metadata (id, title, published, source, url) the stored article `id` came with."""

    @abstractmethod
    def get_article(self, id) -> dict | None:
        """The record of an article by store id (int) or by an id given at ingest (str; the id
        of a copy finds the stored article)."""

    @abstractmethod
    def search(self, query: str, limit: int = 20, filters: dict | None = None) -> list[dict]:
        """Full-text search; every word must occur. Filters: source, since, until, lang."""

    @abstractmethod
    def claims(self, speaker=None, about=None, stance=None, place=None, since=None, until=None,
               limit: int = 50) -> list[dict]:
        """Claims matching every given filter, oldest first."""

    @abstractmethod
    def entity(self, name: str, limit: int = 50) -> dict:
        """An entity across articles: its records, claims it made and received, a timeline."""

    @abstractmethod
    def stats(self) -> dict:
        """Counts of what is stored."""

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# -- the shared SQL implementation -----------------------------------------------------------------

_CLAIM_COLS = ("c.id, c.article_id, c.local_id, c.sentence, c.cue_start, c.cue_end, c.cue_text, "
               "c.speaker_start, c.speaker_end, c.speaker_text, c.speaker_entity, c.content_start, "
               "c.content_end, c.content_text, c.stance, c.direct_quote, "
               "a.ext_id, a.title, a.published, a.pub_date, a.source, a.url, "
               "se.local_id AS speaker_local, se.name AS speaker_name, se.kb AS speaker_kb, "
               "se.type AS speaker_type")
_CLAIM_FROM = ("claims c JOIN articles a ON a.id = c.article_id "
               "LEFT JOIN entities se ON se.id = c.speaker_entity")


class SQLStore(Store):
    """Everything but connections, schema and the full-text index, written once for both back
    ends. SQL is written with '?' placeholders; a back end whose driver wants another style
    overrides `_sql`."""

    # hooks ---------------------------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql

    @abstractmethod
    def _cursor(self):
        """A cursor on the connection."""

    @abstractmethod
    @contextmanager
    def _write(self):
        """A write transaction: yields a cursor; commits on success, rolls back on error."""

    @abstractmethod
    def _alloc_ids(self, cur, table: str, n: int) -> list[int]:
        """`n` fresh primary keys for `table` inside the current write transaction."""

    @abstractmethod
    def _insert_article(self, cur, row: dict, index_text: str) -> int | None:
        """Insert the article row and its full-text entry; its id, or None when the hash is
        already stored."""

    @abstractmethod
    def _search_rows(self, tokens: list[str], where: list[str], params: list, limit: int) -> list[dict]:
        """Articles matching every token, best first, with `where` conditions on alias `a`."""

    # helpers -------------------------------------------------------------------------------------

    def _params(self, params) -> tuple:
        """Parameters as the driver takes them (a hook for back ends with restrictions)."""
        return tuple(params)

    def _all(self, sql: str, params=()) -> list[dict]:
        cur = self._cursor()
        cur.execute(self._sql(sql), self._params(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def _one(self, sql: str, params=()):
        cur = self._cursor()
        cur.execute(self._sql(sql), self._params(params))
        return cur.fetchone()

    def _ex(self, cur, sql: str, params=()):
        cur.execute(self._sql(sql), self._params(params))

    def _many(self, cur, sql: str, rows: list):
        if rows:
            cur.executemany(self._sql(sql), [self._params(r) for r in rows])

    # writing -------------------------------------------------------------------------------------

    def add_article(self, record: dict) -> str:
        text = record["text"]
        if not isinstance(text, str) or not text.strip():
            raise ValueError("record has no text")
        h = content_hash(text)
        if self.has(h):
            self.add_copy(h, record)
            return "duplicate"
        with self._write() as cur:
            art_id = self._insert_article(cur, self._article_row(record, h), self._index_text(record))
            if art_id is not None:
                emap = self._insert_entities(cur, art_id, record.get("entities") or [])
                self._insert_places(cur, art_id, record.get("places") or [], emap)
                self._insert_times(cur, art_id, record.get("times") or [])
                self._insert_quantities(cur, art_id, record.get("quantities") or [])
                self._insert_claims(cur, art_id, record.get("claims") or [], emap)
                from .events import write_events
                write_events(self, cur, art_id, record)
        if art_id is None:          # stored meanwhile by another writer
            self.add_copy(h, record)
            return "duplicate"
        return "stored"

    _COPY_FIELDS = ("id", "title", "published", "source", "url")

    def add_copy(self, hash: str, meta: dict) -> bool:
        row = self._one("SELECT id, ext_id, title, published, source, url FROM articles WHERE hash = ?", (hash,))
        if row is None:
            return False
        m = tuple(_str(meta.get(k)) for k in self._COPY_FIELDS)
        if tuple(row[1:]) == m:
            return False
        with self._write() as cur:
            self._ex(cur, "INSERT INTO article_copies (article_id, copy_key, ext_id, title, published, source, url, "
                          "ingested) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (article_id, copy_key) DO NOTHING",
                     (row[0], json.dumps(m, ensure_ascii=False), *m, _now()))
            return cur.rowcount > 0

    def copies(self, id: int) -> list[dict]:
        """The other metadata the stored article `id` came with (see add_copy)."""
        return self._all("SELECT ext_id AS id, title, published, source, url, ingested FROM article_copies "
                         "WHERE article_id = ? ORDER BY ingested, copy_key", (id,))

    @staticmethod
    def _article_row(rec: dict, h: str) -> dict:
        body = {k: v for k, v in rec.items() if k != "text"}
        return {
            "hash": h, "ext_id": _str(rec.get("id")), "title": _str(rec.get("title")),
            "published": _str(rec.get("published")), "pub_date": pub_date(rec.get("published")),
            "source": _str(rec.get("source")), "url": _str(rec.get("url")),
            "lang": _str(rec.get("lang")), "text": rec["text"],
            "record": json.dumps(body, ensure_ascii=False),
            "ingested": _now(),
        }

    @staticmethod
    def _index_text(rec: dict) -> str:
        parts = [rec.get("title") or "", rec["text"]]
        parts += [e.get("name_en") or "" for e in rec.get("entities") or []]
        return " ".join(search_tokens("\n".join(parts)))

    def _insert_entities(self, cur, art_id: int, entities: list) -> dict:
        ids = self._alloc_ids(cur, "entities", len(entities))
        emap, rows, names, mentions = {}, [], [], []
        for eid, e in zip(ids, entities):
            emap[e["id"]] = eid
            ms = e.get("mentions") or []
            rows.append((eid, art_id, e["id"], e.get("type"), e.get("name"), e.get("name_en"), e.get("kb"), len(ms)))
            keys = {name_key(e.get("name") or ""), name_key(e.get("name_en") or "")}
            for m in ms:
                keys.add(name_key(m["text"]))
                mentions.append((eid, art_id, m["start"], m["end"], m["text"]))
            names += [(eid, k) for k in sorted(keys) if k]
        self._many(cur, "INSERT INTO entities (id, article_id, local_id, type, name, name_en, kb, n_mentions) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._many(cur, "INSERT INTO entity_names (entity_id, key) VALUES (?, ?)", names)
        self._many(cur, "INSERT INTO mentions (entity_id, article_id, start_off, end_off, text) "
                        "VALUES (?, ?, ?, ?, ?)", mentions)
        return emap

    def _insert_places(self, cur, art_id: int, places: list, emap: dict):
        rows = [(emap.get(p.get("entity")), art_id, p.get("lat"), p.get("lon"), p.get("country"), p.get("admin1"),
                 name_key(p.get("admin1") or "") or None, p.get("kind"), p.get("gazetteer"), p.get("precision"),
                 p.get("name_en")) for p in places]
        self._many(cur, "INSERT INTO places (entity_id, article_id, lat, lon, country, admin1, admin1_key, kind, "
                        "gazetteer, precision, name_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def _insert_times(self, cur, art_id: int, times: list):
        rows = [(art_id, t["start"], t["end"], t.get("text"), _str(t.get("value"))) for t in times]
        self._many(cur, "INSERT INTO times (article_id, start_off, end_off, text, value) VALUES (?, ?, ?, ?, ?)", rows)

    def _insert_quantities(self, cur, art_id: int, quantities: list):
        rows = []
        for q in quantities:
            v = q.get("value")
            rows.append((art_id, q["start"], q["end"], q.get("text"),
                         float(v) if isinstance(v, (int, float)) else None, int(bool(q.get("approx"))), q.get("unit")))
        self._many(cur, "INSERT INTO quantities (article_id, start_off, end_off, text, value, approx, unit) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _insert_claims(self, cur, art_id: int, claims: list, emap: dict):
        ids = self._alloc_ids(cur, "claims", len(claims))
        rows, targets, via = [], [], []
        for cid, c in zip(ids, claims):
            cue, content, spk = c["cue"], c["content"], c.get("speaker") or {}
            rows.append((cid, art_id, c["id"], c.get("sentence"), cue["start"], cue["end"], cue.get("text"),
                         spk.get("start"), spk.get("end"), spk.get("text"),
                         f" {name_key(spk['text'])} " if spk.get("text") else None, emap.get(spk.get("entity")),
                         content["start"], content["end"], content.get("text"), c.get("stance"),
                         int(bool(c.get("direct_quote")))))
            seen = set()
            for t in c.get("targets") or []:
                if t in emap and t not in seen:
                    seen.add(t)
                    targets.append((cid, emap[t]))
            for pos, v in enumerate(c.get("via") or []):
                via.append((cid, pos, v.get("start"), v.get("end"), v.get("text"), emap.get(v.get("entity"))))
        self._many(cur, "INSERT INTO claims (id, article_id, local_id, sentence, cue_start, cue_end, cue_text, "
                        "speaker_start, speaker_end, speaker_text, speaker_key, speaker_entity, content_start, "
                        "content_end, content_text, stance, direct_quote) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self._many(cur, "INSERT INTO claim_targets (claim_id, entity_id) VALUES (?, ?)", targets)
        self._many(cur, "INSERT INTO claim_via (claim_id, pos, start_off, end_off, text, entity_id) "
                        "VALUES (?, ?, ?, ?, ?, ?)", via)

    # reading -------------------------------------------------------------------------------------

    def has(self, hash: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE hash = ?", (hash,)) is not None

    def get_article(self, id, with_id: bool = False):
        """See Store.get_article; `with_id=True` returns (store id, record), or None."""
        cols = "id, text, record"
        row = None
        if isinstance(id, int):
            row = self._one(f"SELECT {cols} FROM articles WHERE id = ?", (id,))
        elif id is not None:
            row = self._one(f"SELECT {cols} FROM articles WHERE ext_id = ? ORDER BY id LIMIT 1", (str(id),))
            if row is None:
                row = self._one(f"SELECT {cols} FROM articles WHERE id = (SELECT MIN(article_id) "
                                f"FROM article_copies WHERE ext_id = ?)", (str(id),))
            if row is None and str(id).isdigit():
                row = self._one(f"SELECT {cols} FROM articles WHERE id = ?", (int(id),))
        if row is None:
            return None
        body = json.loads(row[2])
        rec = {}
        for k, v in body.items():   # the text goes back where the contract has it
            if k == "boilerplate":
                rec["text"] = row[1]
            rec[k] = v
        rec.setdefault("text", row[1])
        return (row[0], rec) if with_id else rec

    def search(self, query: str, limit: int = 20, filters: dict | None = None, snippets: bool = True) -> list[dict]:
        limit = _limit(limit)
        tokens = list(dict.fromkeys(search_tokens(query or "")))
        if not tokens:
            return []
        where, params = [], []
        for k, v in (filters or {}).items():
            if v is None or v == "":
                continue
            if k == "source":
                where.append("a.source = ?")
                params.append(str(v))
            elif k == "lang":
                where.append("a.lang = ?")
                params.append(str(v))
            elif k == "since":
                where.append("a.pub_date >= ?")
                params.append(date_bound(v, upper=False))
            elif k == "until":
                where.append("a.pub_date <= ?")
                params.append(date_bound(v, upper=True))
            else:
                raise ValueError(f"unknown search filter {k!r} (known: {', '.join(SEARCH_FILTERS)})")
        rows = self._search_rows(tokens, where, params, limit)
        out = []
        for r in rows:
            hit = {"article": r["id"], "id": r["ext_id"], "title": r["title"], "published": r["published"],
                   "source": r["source"], "url": r["url"], "score": round(float(r["score"]), 4)}
            if snippets:
                hit.update(_snippet(r["text"], set(tokens)))
            out.append(hit)
        return out

    # entity matching: a subquery of entity ids for a name ---------------------------------------

    def _entity_ids_sql(self, name: str) -> tuple[str, list] | None:
        """SQL selecting the ids of the entity records named `name`: records with exactly that
        (normalised) name or mention text, else those whose names contain it as whole words;
        widened to every record with the same knowledge-base id. None when nothing matches."""
        key = name_key(name)
        if not key:
            return None
        exact = self._one("SELECT 1 FROM entity_names WHERE key = ? LIMIT 1", (key,)) is not None
        if exact:
            cond, p = "n.key = ?", [key]
        else:
            cond, p = "(' ' || n.key || ' ') LIKE ? ESCAPE '\\'", [f"% {like_escape(key)} %"]
        kbs = {r["kb"] for r in self._all(f"SELECT DISTINCT e.kb FROM entity_names n JOIN entities e "
                                          f"ON e.id = n.entity_id WHERE {cond} AND e.kb IS NOT NULL", p)}
        kbs |= _kb_ids(name)
        if not exact and not kbs and self._one(f"SELECT 1 FROM entity_names n WHERE {cond} LIMIT 1", p) is None:
            return None
        sql = f"SELECT n.entity_id FROM entity_names n WHERE {cond}"
        params = list(p)
        if kbs:
            kbs = sorted(kbs)
            sql += f" UNION SELECT e.id FROM entities e WHERE e.kb IN ({', '.join('?' * len(kbs))})"
            params += kbs
        return sql, params

    def claims(self, speaker=None, about=None, stance=None, place=None, since=None, until=None,
               limit: int = 50) -> list[dict]:
        limit = _limit(limit)
        where, params = [], []
        if speaker:
            key = name_key(speaker)
            if not key:
                return []
            sub = self._entity_ids_sql(speaker)
            cond = "c.speaker_key LIKE ? ESCAPE '\\'"
            p = [f"% {like_escape(key)} %"]
            if sub:
                cond = f"(c.speaker_entity IN ({sub[0]}) OR {cond})"
                p = sub[1] + p
            where.append(cond)
            params += p
        if about:
            sub = self._entity_ids_sql(about)
            if sub is None:
                return []
            where.append(f"c.id IN (SELECT t.claim_id FROM claim_targets t WHERE t.entity_id IN ({sub[0]}))")
            params += sub[1]
        if stance:
            where.append("c.stance = ?")
            params.append(str(stance))
        if place:
            key = name_key(place)
            if not key:
                return []
            sub = self._entity_ids_sql(place)
            cond, p = "p.admin1_key = ?", [key]
            if sub:
                cond = f"(p.entity_id IN ({sub[0]}) OR {cond})"
                p = sub[1] + p
            where.append(f"c.id IN (SELECT t.claim_id FROM claim_targets t JOIN places p "
                         f"ON p.entity_id = t.entity_id WHERE {cond})")
            params += p
        if since:
            where.append("a.pub_date >= ?")
            params.append(date_bound(since, upper=False))
        if until:
            where.append("a.pub_date <= ?")
            params.append(date_bound(until, upper=True))
        sql = (f"SELECT {_CLAIM_COLS} FROM {_CLAIM_FROM}"
               + (" WHERE " + " AND ".join(where) if where else "")
               + " ORDER BY a.pub_date, c.article_id, c.id LIMIT ?")
        return self._claim_dicts(self._all(sql, params + [limit]))

    def _claim_dicts(self, rows: list[dict]) -> list[dict]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        targets, via = {}, {}
        for chunk in _chunks(ids, 500):
            marks = ", ".join("?" * len(chunk))
            for t in self._all(f"SELECT t.claim_id, e.local_id, e.name, e.type, e.kb FROM claim_targets t "
                               f"JOIN entities e ON e.id = t.entity_id WHERE t.claim_id IN ({marks}) "
                               f"ORDER BY t.claim_id, e.id", chunk):
                targets.setdefault(t["claim_id"], []).append(
                    {"entity": t["local_id"], "name": t["name"], "type": t["type"], "kb": t["kb"]})
            for v in self._all(f"SELECT v.claim_id, v.start_off, v.end_off, v.text, e.local_id, e.name, e.kb "
                               f"FROM claim_via v LEFT JOIN entities e ON e.id = v.entity_id "
                               f"WHERE v.claim_id IN ({marks}) ORDER BY v.claim_id, v.pos", chunk):
                via.setdefault(v["claim_id"], []).append(
                    {"start": v["start_off"], "end": v["end_off"], "text": v["text"], "entity": v["local_id"],
                     "name": v["name"], "kb": v["kb"]})
        out = []
        for r in rows:
            speaker = None
            if r["speaker_text"] is not None:
                speaker = {"start": r["speaker_start"], "end": r["speaker_end"], "text": r["speaker_text"],
                           "entity": r["speaker_local"], "name": r["speaker_name"], "kb": r["speaker_kb"],
                           "type": r["speaker_type"]}
            out.append({
                "article": r["article_id"], "article_id": r["ext_id"], "claim": r["local_id"],
                "published": r["published"], "source": r["source"], "title": r["title"], "url": r["url"],
                "speaker": speaker, "stance": r["stance"],
                "cue": {"start": r["cue_start"], "end": r["cue_end"], "text": r["cue_text"]},
                "content": {"start": r["content_start"], "end": r["content_end"], "text": r["content_text"]},
                "direct_quote": bool(r["direct_quote"]), "sentence": r["sentence"],
                "via": via.get(r["id"], []), "targets": targets.get(r["id"], []), "id": r["id"],
            })
        return out

    def entity(self, name: str, limit: int = 50) -> dict:
        limit = _limit(limit)
        out = {"query": name, "found": False, "names": [], "records": [], "made": [], "received": [],
               "timeline": []}
        sub = self._entity_ids_sql(name)
        if sub is None:
            return out
        ids_sql, p = sub
        out["found"] = True
        out["names"] = [
            {"name": r["name"], "type": r["type"], "kb": r["kb"], "name_en": r["name_en"],
             "articles": r["articles"], "mentions": r["mentions"]}
            for r in self._all(f"SELECT e.name, e.type, e.kb, MAX(e.name_en) AS name_en, "
                               f"COUNT(DISTINCT e.article_id) AS articles, SUM(e.n_mentions) AS mentions "
                               f"FROM entities e WHERE e.id IN ({ids_sql}) GROUP BY e.name, e.type, e.kb "
                               f"ORDER BY articles DESC, mentions DESC, e.name LIMIT 50", p)]
        out["records"] = [
            {"article": r["article_id"], "article_id": r["ext_id"], "published": r["published"],
             "source": r["source"], "title": r["title"], "entity": r["local_id"], "name": r["name"],
             "type": r["type"], "kb": r["kb"], "mentions": r["n_mentions"]}
            for r in self._all(f"SELECT e.article_id, e.local_id, e.name, e.type, e.kb, e.n_mentions, a.ext_id, "
                               f"a.published, a.pub_date, a.source, a.title FROM entities e JOIN articles a "
                               f"ON a.id = e.article_id WHERE e.id IN ({ids_sql}) "
                               f"ORDER BY a.pub_date, e.article_id LIMIT ?", p + [limit])]
        out["made"] = self._claim_dicts(self._all(
            f"SELECT {_CLAIM_COLS} FROM {_CLAIM_FROM} WHERE c.speaker_entity IN ({ids_sql}) "
            f"ORDER BY a.pub_date, c.article_id, c.id LIMIT ?", p + [limit]))
        out["received"] = self._claim_dicts(self._all(
            f"SELECT {_CLAIM_COLS} FROM {_CLAIM_FROM} WHERE c.id IN (SELECT t.claim_id FROM claim_targets t "
            f"WHERE t.entity_id IN ({ids_sql})) ORDER BY a.pub_date, c.article_id, c.id LIMIT ?", p + [limit]))
        timeline: dict = {}
        for kind, sql in (
            ("articles", f"SELECT a.pub_date AS d, COUNT(DISTINCT e.article_id) AS n FROM entities e "
                         f"JOIN articles a ON a.id = e.article_id WHERE e.id IN ({ids_sql}) GROUP BY a.pub_date"),
            ("made", f"SELECT a.pub_date AS d, COUNT(*) AS n FROM claims c JOIN articles a ON a.id = c.article_id "
                     f"WHERE c.speaker_entity IN ({ids_sql}) GROUP BY a.pub_date"),
            ("received", f"SELECT a.pub_date AS d, COUNT(DISTINCT c.id) AS n FROM claims c JOIN articles a "
                         f"ON a.id = c.article_id JOIN claim_targets t ON t.claim_id = c.id "
                         f"WHERE t.entity_id IN ({ids_sql}) GROUP BY a.pub_date"),
        ):
            for r in self._all(sql, p):
                period = (r["d"] or "")[:7] or "undated"
                slot = timeline.setdefault(period, {"period": period, "articles": 0, "made": 0, "received": 0})
                slot[kind] += int(r["n"])
        out["timeline"] = [timeline[k] for k in sorted(timeline, key=lambda k: (k == "undated", k))]
        return out

    def stats(self) -> dict:
        out = {"store": self.url}
        for t in ("articles", "article_copies", "entities", "mentions", "places", "times", "quantities", "claims"):
            out[t] = int(self._one(f"SELECT COUNT(*) FROM {t}")[0])
        row = self._one("SELECT MIN(pub_date), MAX(pub_date) FROM articles")
        out["first_published"], out["last_published"] = row[0], row[1]
        out["sources"] = {r["source"] or "": int(r["n"]) for r in self._all(
            "SELECT source, COUNT(*) AS n FROM articles GROUP BY source ORDER BY COUNT(*) DESC, source LIMIT 20")}
        out["stances"] = {r["stance"] or "": int(r["n"]) for r in self._all(
            "SELECT stance, COUNT(*) AS n FROM claims GROUP BY stance ORDER BY COUNT(*) DESC, stance")}
        return out


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _str(v):
    return None if v is None else str(v)


def _chunks(xs: list, n: int):
    for i in range(0, len(xs), n):
        yield xs[i:i + n]


def _kb_ids(name: str) -> set:
    """Knowledge-base ids whose Arabic or English names/aliases are exactly `name`."""
    try:
        from ..kb.entities import load_kb
        kb = load_kb()
    except Exception:  # the store works without the knowledge base
        return set()
    words = tuple(normalize_key(name).split())
    out = {eid for w, eid in kb.aliases.get(words[0], []) if w == words} if words else set()
    low = name.strip().lower()
    if low and low.isascii():
        for e in kb.entities.values():
            if low == e.name_en.lower() or low in (a.lower() for a in e.aliases_en):
                out.add(e.id)
    return out


_CONTEXT = 60


_SAME_LENGTH: dict | None = None
_HAS_DROPPED = re.compile("[" + "".join(sorted(_DROPPED_CHARS)) + "]")


def _fold_same_length(s: str) -> str:
    """`s` with every one-to-one character mapping of `_fold` applied and nothing dropped, so
    offsets stay those of `s` (C speed; a word with a dropped mark inside does not match here)."""
    global _SAME_LENGTH
    if _SAME_LENGTH is None:
        _fold("")
        _SAME_LENGTH = {k: v for k, v in _TABLE.items() if v is not None and len(v) == 1}
    return s.translate(_SAME_LENGTH)


@lru_cache(maxsize=256)
def _token_pattern(tokens: frozenset):
    """Whole words that may be one of `tokens` once `core` strips their article (a candidate
    still goes through `core`): one regex scan instead of a Python call per word."""
    alts = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    prefixes = "|".join(re.escape(p) for p in _ARTICLE_PREFIXES)
    return re.compile(rf"(?<![^\W_])(?:{prefixes})?(?:{alts})(?![^\W_])")


def _snippet(text: str, tokens: set) -> dict:
    """The first place in `text` where a query word occurs, with some context, and its offsets."""
    span = None
    pattern = _token_pattern(frozenset(tokens))
    pos = 0
    while span is None and pos < len(text):     # fast path, chunk by chunk: offsets are the text's
        end = text.find(" ", pos + 1500)
        end = len(text) if end < 0 else end
        for m in pattern.finditer(_fold_same_length(text[pos:end]).lower()):
            if core(m.group(0)) in tokens:
                span = pos + m.start(), pos + m.end()
                break
        pos = end
    if span is None and _HAS_DROPPED.search(text):              # words with diacritics or tatweel inside
        view = Normalized(text)
        for m in _WORD.finditer(view.norm):
            if core(m.group(0).lower()) in tokens:
                span = view.index[m.start()], view.index[m.end() - 1] + 1
                break
    if span is not None:
        s, e = span
        a, b = max(0, s - _CONTEXT), min(len(text), e + _CONTEXT)
        snip = (("…" if a > 0 else "") + text[a:b] + ("…" if b < len(text) else ""))
        return {"snippet": _WS.sub(" ", snip), "match": {"start": s, "end": e, "text": text[s:e]}}
    return {"snippet": _WS.sub(" ", text[:2 * _CONTEXT]) + ("…" if len(text) > 2 * _CONTEXT else ""), "match": None}
