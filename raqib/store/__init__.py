"""The claims archive: analysed articles stored in SQLite or PostgreSQL, searchable.

    from raqib.store import open_store
    with open_store("raqib.db") as store:               # or "postgresql://user@host/db"
        store.add_article(record)                       # 'stored' | 'duplicate'
        store.search("هجوم كيماوي دوما", limit=10)
        store.claims(speaker="لافروف", stance="deny", since="2018-04")
        store.entity("الخوذ البيضاء")

See `raqib.store.base` for the tables, the normalisation of search keys and the interface.
"""
from __future__ import annotations

import os

from .base import STANCES, Store, content_hash, name_key, search_tokens

__all__ = ["open_store", "Store", "STANCES", "DEFAULT_DB", "content_hash", "name_key", "search_tokens"]

DEFAULT_DB = "raqib.db"


def open_store(url: str | os.PathLike | None = None) -> Store:
    """Open (creating if needed) the store at `url`:

    None or a plain path  -> an SQLite file (default `raqib.db` in the current directory)
    sqlite:///rel/path, sqlite:////abs/path, sqlite:///:memory:  -> SQLite
    postgresql://user:pass@host:port/db (or postgres://)       -> PostgreSQL
    """
    url = os.fspath(url) if url is not None else DEFAULT_DB
    low = url.lower()
    if low.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        from .postgres import PostgresStore
        return PostgresStore(url.replace("postgresql+psycopg://", "postgresql://", 1))
    if low.startswith("sqlite://"):
        path = url[len("sqlite://"):]
        if path.startswith("/"):
            path = path[1:]          # sqlite:///rel -> rel, sqlite:////abs -> /abs
        if not path:
            raise ValueError(f"no file in {url!r} (sqlite:///path/to/file.db)")
        url = path
    elif "://" in url:
        raise ValueError(f"unknown store {url!r}: use a file path, sqlite:///path or postgresql://...")
    from .sqlite import SQLiteStore
    return SQLiteStore(url)
