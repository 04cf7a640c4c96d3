"""Shared fixtures: stores on both back ends, and a few analysed records.

The PostgreSQL cases need a server: `RAQIB_TEST_PG=postgresql://user@host:port/db`. `make test`
starts a throwaway cluster (scripts/pg_test_cluster.sh) and sets it; plain `pytest` without it
skips those cases. Each PostgreSQL test gets a schema of its own, dropped afterwards.
"""
from __future__ import annotations

import copy
import os
import uuid
from pathlib import Path

import pytest

PG_URL = os.environ.get("RAQIB_TEST_PG", "")
PG_SKIP = ("PostgreSQL store tests need RAQIB_TEST_PG=postgresql://...; `make test` starts a throwaway "
           "cluster for them (scripts/pg_test_cluster.sh run pytest)")
BACKENDS = ["sqlite", "postgres"]

EXAMPLE = Path(__file__).resolve().parent.parent / "raqib" / "data" / "examples" / "enab-baladi-2019-11-26.txt"

# Made-up articles: (id, published, source, text)
TEXTS = [
    ("a1", "2018-04-09", "outlet-a",
     "اتهمت وزارة الخارجية الروسية الخوذ البيضاء بفبركة الهجوم الكيماوي على مدينة دوما. ونفى الدفاع المدني "
     "السوري هذه الاتهامات، مؤكدا أن الهجوم أسفر عن مقتل 40 مدنيا."),
    ("a2", "2018-04-14", "outlet-b",
     "قال وزير الخارجية الروسي سيرغي لافروف إن الضربات الأمريكية على سوريا انتهاك للقانون الدولي. وحذر "
     "المرصد السوري لحقوق الإنسان من تصعيد جديد في إدلب."),
    ("a3", "2019-01-20", "outlet-a",
     "أكدت منظمة حظر الأسلحة الكيميائية أن غاز الكلور استخدم في هجوم دوما. وطالبت الأمم المتحدة بمحاسبة "
     "المسؤولين عن هجمات حلب."),
]


def pg_url_with_schema(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_schema_url():
    """A PostgreSQL URL whose tables live in a fresh schema (dropped afterwards)."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(PG_URL, autocommit=True) as c:
        c.execute(f"CREATE SCHEMA {schema}")
    try:
        yield pg_url_with_schema(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as c:
            c.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path):
    """A URL for an empty store, once per back end."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        yield request.getfixturevalue("pg_schema_url")


@pytest.fixture
def store(store_url):
    from raqib.store import open_store

    s = open_store(store_url)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture(scope="session")
def _analysed():
    from raqib.article import Article
    from raqib.pipeline import analyze
    from raqib.read import read_path

    recs = {}
    for id_, published, source, text in TEXTS:
        recs[id_] = analyze(Article(text=text, id=id_, published=published, source=source)).to_dict()
    ex = next(read_path(str(EXAMPLE), published="2019-11-26"))
    recs["example"] = analyze(ex).to_dict()
    return recs


@pytest.fixture
def records(_analysed):
    """Analysed records (contract v1) by id: a1, a2, a3 (made up) and 'example' (the bundled one)."""
    return copy.deepcopy(_analysed)


@pytest.fixture
def cli():
    """The `raqib` group with the archive commands (registering twice is harmless)."""
    from raqib.cli import main
    from raqib.cli_store import register

    register(main)
    return main
