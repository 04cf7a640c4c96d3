"""The demo archive: the bundled example articles ingested and clustered, plus an editor account.
Used by `make demo`, `make screenshots` and the browser tests."""
from __future__ import annotations

import secrets
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "data" / "examples"


def build(db: str, editor: str = "editor", password: str | None = None, admin: str | None = "admin") -> dict:
    """Ingest the examples into `db` (idempotent), cluster the claims, make sure the accounts
    exist; returns {'editor': (name, password), 'admin': (name, password)} for new accounts."""
    from ..ingest import ingest
    from ..link.cluster import cluster_store
    from ..store import open_store
    from .auth import add_user, users

    out = {}
    with open_store(db) as store:
        ingest([str(EXAMPLES / "enab-baladi-2019-11-26.txt")], store, published="2019-11-26")
        ingest(sorted(str(p) for p in EXAMPLES.glob("*.jsonl")), store)
        cluster_store(store, workers=1)
        have = {u["name"] for u in users(store)}
        for name, role in ((editor, "editor"), (admin, "admin")):
            if name and name not in have:
                pw = password or secrets.token_urlsafe(9)
                add_user(store, name, pw, role)
                out[role] = (name, pw)
    return out


def main(argv=None) -> int:
    import argparse
    import sys
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="raqib.db")
    ap.add_argument("--password", help="for new accounts (default: random, printed)")
    a = ap.parse_args(argv)
    made = build(a.db, password=a.password)
    for role, (name, pw) in made.items():
        print(f"demo {role} account: {name} / {pw}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
