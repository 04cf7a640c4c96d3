"""The SQLite store: one file, nothing to start.

Journal: WAL, so searches can run while an ingest writes, and a commit appends to the log
instead of rewriting pages. `synchronous=NORMAL`: in WAL mode a commit is not fsynced, only
checkpoints are. A killed process (Ctrl-C, SIGKILL, a crash) loses nothing that was committed and
never corrupts the file; only an operating-system crash or power cut can lose the last few
commits — and since ingest is idempotent and skips stored articles, rerunning it puts those back.
FULL would add an fsync to every article's commit (one transaction each): 0.2 ms here (a
virtual disk with a write cache; commits otherwise take 0.01 ms), several milliseconds per article
on ordinary SSDs and disks, for a durability that an idempotent ingest does not need.

Full-text: an FTS5 table without content (the text lives in `articles`), rowid = article id,
over pre-normalised words (`base.search_tokens`), ranked by bm25.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

from .base import SCHEMA_VERSION, SQLStore
from .events import SQLITE_SCHEMA as EVENTS_SCHEMA

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  ext_id TEXT, title TEXT, published TEXT, pub_date TEXT, source TEXT, url TEXT, lang TEXT,
  text TEXT NOT NULL,
  record TEXT NOT NULL,
  ingested TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_ext ON articles(ext_id);
CREATE INDEX IF NOT EXISTS articles_date ON articles(pub_date);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE TABLE IF NOT EXISTS article_copies (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  copy_key TEXT NOT NULL,
  ext_id TEXT, title TEXT, published TEXT, source TEXT, url TEXT, ingested TEXT NOT NULL,
  PRIMARY KEY (article_id, copy_key)
);
CREATE INDEX IF NOT EXISTS article_copies_ext ON article_copies(ext_id);
CREATE TABLE IF NOT EXISTS entities (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL, type TEXT, name TEXT, name_en TEXT, kb TEXT, n_mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_article ON entities(article_id);
CREATE INDEX IF NOT EXISTS entities_kb ON entities(kb);
CREATE TABLE IF NOT EXISTS entity_names (
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  PRIMARY KEY (entity_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_names_key ON entity_names(key, entity_id);
CREATE TABLE IF NOT EXISTS mentions (
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE TABLE IF NOT EXISTS places (
  entity_id INTEGER REFERENCES entities(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  lat REAL, lon REAL, country TEXT, admin1 TEXT, admin1_key TEXT, kind TEXT, gazetteer TEXT,
  precision TEXT, name_en TEXT
);
CREATE INDEX IF NOT EXISTS places_entity ON places(entity_id);
CREATE INDEX IF NOT EXISTS places_article ON places(article_id);
CREATE INDEX IF NOT EXISTS places_admin1 ON places(admin1_key);
CREATE TABLE IF NOT EXISTS times (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT, value TEXT
);
CREATE INDEX IF NOT EXISTS times_article ON times(article_id);
CREATE TABLE IF NOT EXISTS quantities (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT, value REAL, approx INTEGER, unit TEXT
);
CREATE INDEX IF NOT EXISTS quantities_article ON quantities(article_id);
CREATE TABLE IF NOT EXISTS claims (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL, sentence INTEGER,
  cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL, cue_text TEXT,
  speaker_start INTEGER, speaker_end INTEGER, speaker_text TEXT, speaker_key TEXT,
  speaker_entity INTEGER REFERENCES entities(id) ON DELETE SET NULL,
  content_start INTEGER NOT NULL, content_end INTEGER NOT NULL, content_text TEXT,
  stance TEXT, direct_quote INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS claims_speaker ON claims(speaker_entity);
CREATE INDEX IF NOT EXISTS claims_stance ON claims(stance);
CREATE TABLE IF NOT EXISTS claim_targets (
  claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  PRIMARY KEY (claim_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claim_targets_entity ON claim_targets(entity_id, claim_id);
CREATE TABLE IF NOT EXISTS claim_via (
  claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  pos INTEGER NOT NULL, start_off INTEGER, end_off INTEGER, text TEXT,
  entity_id INTEGER REFERENCES entities(id) ON DELETE SET NULL,
  PRIMARY KEY (claim_id, pos)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claim_via_entity ON claim_via(entity_id);
CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0');
"""


class SQLiteStore(SQLStore):
    def __init__(self, path: str):
        self.path = path
        self.url = f"sqlite:///{path}"
        try:
            self._conn = sqlite3.connect(path, isolation_level=None, timeout=60)
        except sqlite3.OperationalError as e:
            raise OSError(f"cannot open SQLite store {path!r} ({e})") from None
        c = self._conn
        c.execute("PRAGMA busy_timeout = 60000")
        if path != ":memory:":
            c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = NORMAL")
        c.execute("PRAGMA foreign_keys = ON")
        self._init_schema()

    def _init_schema(self):
        c = self._conn
        c.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _statements(SCHEMA + EVENTS_SCHEMA):
                c.execute(stmt)
            row = c.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                c.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise RuntimeError(f"store {self.path!r} has schema v{row[0]}; this raqib writes v{SCHEMA_VERSION}")
            c.execute("COMMIT")
        except BaseException:
            c.execute("ROLLBACK")
            raise

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _cursor(self):
        return self._conn.cursor()

    @contextmanager
    def _write(self):
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            if self._conn.in_transaction:
                cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def _alloc_ids(self, cur, table: str, n: int) -> list[int]:
        if n == 0:
            return []
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 (table names are ours)
        first = cur.fetchone()[0] + 1
        return list(range(first, first + n))

    def _insert_article(self, cur, row: dict, index_text: str) -> int | None:
        cols = list(row)
        cur.execute(f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                    "ON CONFLICT (hash) DO NOTHING",
                    [row[k] for k in cols])
        if cur.rowcount == 0:
            return None
        art_id = cur.lastrowid
        cur.execute("INSERT INTO article_fts (rowid, body) VALUES (?, ?)", (art_id, index_text))
        return art_id

    def _search_rows(self, tokens, where, params, limit):
        match = " ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        sql = ("SELECT a.id, a.ext_id, a.title, a.published, a.source, a.url, a.text, -article_fts.rank AS score "
               "FROM article_fts JOIN articles a ON a.id = article_fts.rowid WHERE article_fts MATCH ?"
               + "".join(f" AND {w}" for w in where) + " ORDER BY article_fts.rank LIMIT ?")
        return self._all(sql, [match, *params, limit])


def _statements(script: str):
    for stmt in script.split(";\n"):
        if stmt.strip():
            yield stmt.strip().rstrip(";")
