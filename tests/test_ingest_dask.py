"""`raqib ingest --dask ADDRESS`: analysis on a Dask LocalCluster (loopback, 2 worker processes),
writes by the parent into an SQLite store; a rerun stores nothing new."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, TEXTS

distributed = pytest.importorskip("distributed")

DOUMA = Path(__file__).resolve().parent / "fixtures" / "events" / "douma.jsonl"
SUMMARY = re.compile(r"stored (\d+), duplicates (\d+), failed (\d+)")


def summary(result) -> tuple:
    m = SUMMARY.search(result.stderr)
    assert m, result.stderr
    return tuple(int(x) for x in m.groups())


@pytest.fixture(scope="module")
def scheduler():
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None)
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.fixture
def inputs(tmp_path):
    """The Douma fixture (5 articles), the bundled example, three made-up articles with one of them
    twice, and a file that cannot be read."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "douma.jsonl").write_bytes(DOUMA.read_bytes())
    (d / "example.txt").write_bytes(EXAMPLE.read_bytes())
    objs = [{"id": i, "published": p, "source": s, "text": t} for i, p, s, t in TEXTS]
    objs.append(dict(objs[0], id="a1-copy", source="outlet-z"))
    (d / "made-up.jsonl").write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs),
                                     encoding="utf-8")
    (d / "broken.txt").write_bytes(bytes(range(256)) * 8)
    return d


def test_ingest_on_a_dask_cluster_then_rerun(cli, inputs, tmp_path, scheduler):
    from raqib.store import open_store

    db = str(tmp_path / "dask.db")
    r = CliRunner().invoke(cli, ["ingest", str(inputs), "--db", db, "--dask", scheduler], catch_exceptions=False)
    assert r.exit_code == 2, r.stderr
    assert summary(r) == (9, 1, 1)
    assert "broken.txt" in r.stderr
    with open_store(db) as s:
        assert s.stats()["articles"] == 9
        assert s.search("دوما", limit=50)
    r = CliRunner().invoke(cli, ["ingest", str(inputs), "--db", db, "--dask", scheduler], catch_exceptions=False)
    assert r.exit_code == 2 and summary(r) == (0, 10, 1)
    with open_store(db) as s:
        assert s.stats()["articles"] == 9


def test_same_records_as_a_local_ingest(inputs, tmp_path, scheduler):
    """The cluster stores what the in-process path stores."""
    from raqib.ingest import ingest
    from raqib.store import open_store

    files = [str(inputs / "douma.jsonl")]
    with open_store(str(tmp_path / "one.db")) as a, open_store(str(tmp_path / "two.db")) as b:
        assert ingest(files, a).summary() == ingest(files, b, dask=scheduler).summary() == \
            "stored 5, duplicates 0, failed 0"
        sa, sb = a.stats(), b.stats()
        sa.pop("store"), sb.pop("store")
        assert sa == sb
        assert a.search("دوما", limit=50) == b.search("دوما", limit=50)


def test_unreachable_scheduler_is_a_clear_error(cli, inputs, tmp_path):
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        r = CliRunner().invoke(cli, ["ingest", str(inputs), "--db", str(tmp_path / "x.db"),
                                     "--dask", "tcp://127.0.0.1:9"])
    assert r.exit_code == 1 and "--dask tcp://127.0.0.1:9" in r.stderr
