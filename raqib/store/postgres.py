"""The PostgreSQL store (psycopg 3): the same tables and behaviour as SQLite, for many writers.

Full-text: a `tsvector` column on `articles` built with the `simple` configuration from the
pre-normalised words (`base.search_tokens`), so PostgreSQL neither stems nor drops stop words and
indexing and querying normalise exactly as on SQLite; a GIN index answers `@@`, ranked by ts_rank.

Each article is one transaction; `INSERT ... ON CONFLICT (hash) DO NOTHING` makes concurrent
ingests of the same text store it once. The schema is created under an advisory lock, so several
processes may open a fresh database at once. The connection runs in autocommit mode, so reads
never leave a transaction open.
"""
from __future__ import annotations

from contextlib import contextmanager

from .base import SCHEMA_VERSION, SQLStore
from .events import POSTGRES_SCHEMA as EVENTS_SCHEMA

_SCHEMA_LOCK = 0x72617169  # 'raqi'

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS articles (
  id BIGSERIAL PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  ext_id TEXT, title TEXT, published TEXT, pub_date TEXT COLLATE "C", source TEXT, url TEXT, lang TEXT,
  text TEXT NOT NULL,
  record TEXT NOT NULL,
  ingested TEXT NOT NULL,
  tsv TSVECTOR NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_ext ON articles(ext_id);
CREATE INDEX IF NOT EXISTS articles_date ON articles(pub_date);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_tsv ON articles USING GIN (tsv);
CREATE TABLE IF NOT EXISTS article_copies (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  copy_key TEXT NOT NULL,
  ext_id TEXT, title TEXT, published TEXT, source TEXT, url TEXT, ingested TEXT NOT NULL,
  PRIMARY KEY (article_id, copy_key)
);
CREATE INDEX IF NOT EXISTS article_copies_ext ON article_copies(ext_id);
CREATE TABLE IF NOT EXISTS entities (
  id BIGSERIAL PRIMARY KEY,
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL, type TEXT, name TEXT, name_en TEXT, kb TEXT, n_mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_article ON entities(article_id);
CREATE INDEX IF NOT EXISTS entities_kb ON entities(kb);
CREATE TABLE IF NOT EXISTS entity_names (
  entity_id BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  key TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (entity_id, key)
);
CREATE INDEX IF NOT EXISTS entity_names_key ON entity_names(key, entity_id);
CREATE TABLE IF NOT EXISTS mentions (
  entity_id BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT
);
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id);
CREATE TABLE IF NOT EXISTS places (
  entity_id BIGINT REFERENCES entities(id) ON DELETE CASCADE,
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  lat DOUBLE PRECISION, lon DOUBLE PRECISION, country TEXT, admin1 TEXT, admin1_key TEXT COLLATE "C",
  kind TEXT, gazetteer TEXT, "precision" TEXT, name_en TEXT
);
CREATE INDEX IF NOT EXISTS places_entity ON places(entity_id);
CREATE INDEX IF NOT EXISTS places_article ON places(article_id);
CREATE INDEX IF NOT EXISTS places_admin1 ON places(admin1_key);
CREATE TABLE IF NOT EXISTS times (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT, value TEXT
);
CREATE INDEX IF NOT EXISTS times_article ON times(article_id);
CREATE TABLE IF NOT EXISTS quantities (
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  start_off INTEGER NOT NULL, end_off INTEGER NOT NULL, text TEXT, value DOUBLE PRECISION,
  approx INTEGER, unit TEXT
);
CREATE INDEX IF NOT EXISTS quantities_article ON quantities(article_id);
CREATE TABLE IF NOT EXISTS claims (
  id BIGSERIAL PRIMARY KEY,
  article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  local_id TEXT NOT NULL, sentence INTEGER,
  cue_start INTEGER NOT NULL, cue_end INTEGER NOT NULL, cue_text TEXT,
  speaker_start INTEGER, speaker_end INTEGER, speaker_text TEXT, speaker_key TEXT COLLATE "C",
  speaker_entity BIGINT REFERENCES entities(id) ON DELETE SET NULL,
  content_start INTEGER NOT NULL, content_end INTEGER NOT NULL, content_text TEXT,
  stance TEXT, direct_quote INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS claims_speaker ON claims(speaker_entity);
CREATE INDEX IF NOT EXISTS claims_stance ON claims(stance);
CREATE TABLE IF NOT EXISTS claim_targets (
  claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  entity_id BIGINT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  PRIMARY KEY (claim_id, entity_id)
);
CREATE INDEX IF NOT EXISTS claim_targets_entity ON claim_targets(entity_id, claim_id);
CREATE TABLE IF NOT EXISTS claim_via (
  claim_id BIGINT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
  pos INTEGER NOT NULL, start_off INTEGER, end_off INTEGER, text TEXT,
  entity_id BIGINT REFERENCES entities(id) ON DELETE SET NULL,
  PRIMARY KEY (claim_id, pos)
);
CREATE INDEX IF NOT EXISTS claim_via_entity ON claim_via(entity_id)
"""


class PostgresStore(SQLStore):
    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise RuntimeError("PostgreSQL stores need psycopg: pip install 'psycopg[binary]'") from None
        self.url = _redact(url)
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=15)
        except psycopg.OperationalError as e:
            raise OSError(f"cannot connect to {self.url} ({str(e).strip().splitlines()[0]})") from None
        self._init_schema()

    def _init_schema(self):
        c = self._conn
        with c.transaction():
            c.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
            for stmt in (SCHEMA + ";\n" + EVENTS_SCHEMA).split(";\n"):
                if stmt.strip():
                    c.execute(stmt)
            row = c.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                c.execute("INSERT INTO meta (key, value) VALUES ('schema', %s)", (str(SCHEMA_VERSION),))
            elif row[0] != str(SCHEMA_VERSION):
                raise RuntimeError(f"store {self.url} has schema v{row[0]}; this raqib writes v{SCHEMA_VERSION}")

    def close(self):
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _params(self, params) -> tuple:
        # PostgreSQL text cannot hold NUL: U+FFFD keeps every offset where it was
        return tuple(p.replace("\x00", "\ufffd") if isinstance(p, str) and "\x00" in p else p for p in params)

    def _cursor(self):
        return self._conn.cursor()

    @contextmanager
    def _write(self):
        with self._conn.transaction():
            with self._conn.cursor() as cur:
                yield cur

    def _alloc_ids(self, cur, table: str, n: int) -> list[int]:
        if n == 0:
            return []
        cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", (n,))
        return [r[0] for r in cur.fetchall()]

    def _insert_article(self, cur, row: dict, index_text: str) -> int | None:
        cols = list(row)
        cur.execute(f"INSERT INTO articles ({', '.join(cols)}, tsv) VALUES ({', '.join(['%s'] * len(cols))}, "
                    f"to_tsvector('simple', %s)) ON CONFLICT (hash) DO NOTHING RETURNING id",
                    self._params([row[k] for k in cols] + [index_text]))
        r = cur.fetchone()
        return r[0] if r else None

    def _search_rows(self, tokens, where, params, limit):
        sql = ("SELECT a.id, a.ext_id, a.title, a.published, a.source, a.url, a.text, ts_rank(a.tsv, q) AS score "
               "FROM articles a, plainto_tsquery('simple', ?) q WHERE a.tsv @@ q"
               + "".join(f" AND {w}" for w in where) + " ORDER BY score DESC, a.id LIMIT ?")
        return self._all(sql, [" ".join(tokens), *params, limit])


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    import re
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
