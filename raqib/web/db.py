"""The workbench's tables, on both back ends, beside the archive's own.

    web_users        id, name (unique), role (editor | admin), pw_hash (argon2), created, disabled
    web_sessions     token_hash (SHA-256 of the cookie value), user_id, csrf, created, expires
    web_corrections  id, kind (correction | complaint), article_id, target (claim:C3, place:E4,
                     entity:E2, time:3, quantity:1, article), field, value, message, contact,
                     status (pending | accepted | rejected), reason, reviewer, created, reviewed,
                     client (a hash of the submitter's address, for rate limits only)
    web_audit        id, at, user_name, action, article_id, target, before, after (JSON),
                     correction_id
    web_verdicts     id, cluster_id, rating, summary, url, editor, created

Written through the store's own helpers (`_all`, `_write`, `_ex`), so every value is a bound
parameter on both back ends.
"""
from __future__ import annotations

import datetime as dt

_TABLES = """
CREATE TABLE IF NOT EXISTS web_users (
  id {big} PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, pw_hash TEXT NOT NULL,
  created TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS web_sessions (
  token_hash TEXT PRIMARY KEY, user_id {big} NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL, created TEXT NOT NULL, expires TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_corrections (
  id {big} PRIMARY KEY, kind TEXT NOT NULL, article_id {big} NOT NULL, target TEXT NOT NULL,
  field TEXT, value TEXT, message TEXT, contact TEXT, status TEXT NOT NULL DEFAULT 'pending',
  reason TEXT, reviewer TEXT, created TEXT NOT NULL, reviewed TEXT, client TEXT
);
CREATE INDEX IF NOT EXISTS web_corrections_status ON web_corrections(status, id);
CREATE INDEX IF NOT EXISTS web_corrections_article ON web_corrections(article_id);
CREATE TABLE IF NOT EXISTS web_audit (
  id {big} PRIMARY KEY, at TEXT NOT NULL, user_name TEXT, action TEXT NOT NULL, article_id {big},
  target TEXT, before TEXT, after TEXT, correction_id {big}
);
CREATE INDEX IF NOT EXISTS web_audit_article ON web_audit(article_id, id);
CREATE TABLE IF NOT EXISTS web_verdicts (
  id {big} PRIMARY KEY, cluster_id {big} NOT NULL, rating TEXT NOT NULL, summary TEXT, url TEXT,
  editor TEXT, created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_verdicts_cluster ON web_verdicts(cluster_id, id)
"""

def is_postgres(store) -> bool:
    return type(store).__name__.lower().startswith("postgres")


def ensure_tables(store) -> None:
    """Create the workbench tables once per store connection (and the cluster tables the pages read)."""
    if getattr(store, "_web_tables", False):
        return
    from ..store import clusters as cluster_tables

    cluster_tables.ensure_tables(store)
    ddl = _TABLES.format(big="BIGINT" if is_postgres(store) else "INTEGER")
    with store._write() as cur:
        for stmt in ddl.split(";"):
            if stmt.strip():
                cur.execute(stmt.strip())
    store._web_tables = True


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def next_id(store, cur, table: str) -> int:
    """A fresh id for `table` inside the current write transaction (tables are small)."""
    store._ex(cur, f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return int(cur.fetchone()[0])


def insert(store, table: str, row: dict, cur=None) -> int:
    """Insert `row` (without id) into one of the web tables; its new id."""
    assert table in ("web_users", "web_corrections", "web_audit", "web_verdicts")

    def go(c):
        rid = next_id(store, c, table)
        cols = ["id", *row]
        store._ex(c, f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                  (rid, *row.values()))
        return rid

    if cur is not None:
        return go(cur)
    for attempt in range(8):          # PostgreSQL: two writers may take the same MAX(id) + 1
        try:
            with store._write() as c:
                return go(c)
        except Exception as e:
            if attempt == 7 or "unique" not in str(e).lower():
                raise
    raise AssertionError("unreachable")
