"""`raqib ingest` (files, folders, stdin, bad inputs, reruns, Ctrl-C, SIGKILL, workers) and the
archive commands `search`, `claims`, `entity`, `stats` on both back ends."""
from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from conftest import EXAMPLE, TEXTS

SUMMARY = re.compile(r"stored (\d+), duplicates (\d+), failed (\d+)")


def run(cli, args, input=None):
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def summary(result) -> tuple:
    m = SUMMARY.search(result.stderr)
    assert m, result.stderr
    return tuple(int(x) for x in m.groups())


def jsonl(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture
def folder(tmp_path):
    """4 good articles in 3 files (one nested), a bad file, and files ingest must ignore."""
    d = tmp_path / "in"
    (d / "more").mkdir(parents=True)
    (d / "example.txt").write_bytes(EXAMPLE.read_bytes())
    objs = [{"id": i, "published": p, "source": s, "text": t} for i, p, s, t in TEXTS]
    (d / "more" / "two.jsonl").write_text(jsonl(objs[1:]), encoding="utf-8")
    (d / "more" / "one.json").write_text(json.dumps(objs[0], ensure_ascii=False), encoding="utf-8")
    (d / "broken.txt").write_bytes(bytes(range(256)) * 8)
    (d / "README.md").write_text("Not an article.\n")
    (d / ".hidden.txt").write_text("عنوان\n" + TEXTS[0][3], encoding="utf-8")
    return d


def n_articles(url) -> int:
    from raqib.store import open_store
    with open_store(url) as s:
        return s.stats()["articles"]


def test_folder_with_a_bad_file_then_rerun(cli, folder, store_url):
    r = run(cli, ["ingest", str(folder), "--db", store_url])
    assert r.exit_code == 2
    assert summary(r) == (4, 0, 1)
    assert "broken.txt" in r.stderr
    assert n_articles(store_url) == 4
    r = run(cli, ["ingest", str(folder), "--db", store_url])
    assert r.exit_code == 2 and summary(r) == (0, 4, 1)
    r = run(cli, ["ingest", str(folder / "more"), "--db", store_url])
    assert r.exit_code == 0 and summary(r) == (0, 3, 0)
    assert n_articles(store_url) == 4


def test_stdin_and_duplicates_within_one_run(cli, store_url):
    text = "عنوان الخبر\n" + TEXTS[1][3]
    r = run(cli, ["ingest", "-", "--db", store_url, "--published", "2018-04-14"], input=text)
    assert r.exit_code == 0 and summary(r) == (1, 0, 0)
    objs = [{"id": f"x{i}", "text": t} for i, (_, _, _, t) in enumerate(TEXTS)]
    r = run(cli, ["ingest", "-", "--db", store_url], input=jsonl(objs + objs[:1]))
    assert r.exit_code == 0 and summary(r) == (2, 2, 0)     # a2's text was stored from stdin already


def test_analysis_failure_does_not_stop_the_batch(cli, folder, store_url, monkeypatch):
    import raqib.pipeline

    real = raqib.pipeline.analyze

    def picky(article):
        if "حلب" in article.text:
            raise RuntimeError("cannot cope")
        return real(article)

    monkeypatch.setattr(raqib.pipeline, "analyze", picky)
    r = run(cli, ["ingest", str(folder / "more"), "--db", store_url])
    assert r.exit_code == 2 and summary(r) == (2, 0, 1)
    assert "a3: analysis failed (RuntimeError: cannot cope)" in r.stderr
    monkeypatch.undo()
    r = run(cli, ["ingest", str(folder / "more"), "--db", store_url])
    assert r.exit_code == 0 and summary(r) == (1, 2, 0)


def test_a_rerun_skips_stored_articles_before_analysing_them(cli, folder, tmp_path, monkeypatch):
    db = str(tmp_path / "r.db")
    run(cli, ["ingest", str(folder / "more"), "--db", db])
    import raqib.ingest

    def never(article):
        raise AssertionError("analysed again")

    monkeypatch.setattr(raqib.ingest, "_analyse", never)
    r = run(cli, ["ingest", str(folder / "more"), "--db", db])
    assert r.exit_code == 0 and summary(r) == (0, 3, 0)


def test_ctrl_c_stops_cleanly_and_a_rerun_resumes(cli, folder, store_url, monkeypatch):
    from raqib.store.base import SQLStore

    real = SQLStore.add_article
    calls = {"n": 0}

    def interrupted(self, rec):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(self, rec)

    monkeypatch.setattr(SQLStore, "add_article", interrupted)
    r = run(cli, ["ingest", str(folder), "--db", store_url])
    assert r.exit_code == 130 and "interrupted" in r.stderr
    assert n_articles(store_url) == 2
    monkeypatch.undo()
    r = run(cli, ["ingest", str(folder), "--db", store_url])
    assert summary(r) == (2, 2, 1)
    assert n_articles(store_url) == 4


def test_workers(cli, folder, tmp_path):
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    assert summary(run(cli, ["ingest", str(folder), "--db", one])) == (4, 0, 1)
    r = run(cli, ["ingest", str(folder), "--db", two, "--workers", "2"])
    assert r.exit_code == 2 and summary(r) == (4, 0, 1)
    from raqib.store import open_store
    with open_store(one) as a, open_store(two) as b:
        for i in (1, 2, 3, 4):
            assert a.get_article(i) == b.get_article(i)            # same records, same order
        assert a.stats() | {"store": ""} == b.stats() | {"store": ""}


def _made_up(n: int) -> list[dict]:
    places = ["دوما", "إدلب", "حلب", "حمص", "درعا", "الرقة", "دير الزور", "سراقب"]
    speakers = ["المرصد السوري لحقوق الإنسان", "الدفاع المدني السوري", "وزارة الدفاع الروسية", "الأمم المتحدة"]
    return [{"id": f"m{i}", "published": f"2018-{1 + i % 12:02d}-{1 + i % 28:02d}",
             "text": f"قال {speakers[i % 4]} إن {i + 3} مدنيا قتلوا في قصف على {places[i % 8]} يوم الأحد. "
                     f"وأضاف أن القصف استهدف {i % 7 + 2} مبان سكنية وسوقا شعبيا."}
            for i in range(n)]


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs /proc to see the workers")
def test_sigkill_mid_run_then_rerun_stores_each_article_once(cli, tmp_path):
    src = tmp_path / "many.jsonl"
    total = 400
    src.write_text(jsonl(_made_up(total)), encoding="utf-8")
    db = str(tmp_path / "k.db")
    code = "import sys; from raqib.cli import main; from raqib.cli_store import register; register(main); main()"
    p = subprocess.Popen([sys.executable, "-c", code, "ingest", str(src), "--db", db, "--workers", "2"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = []
    stored = 0
    deadline = time.time() + 60
    try:
        while time.time() < deadline and p.poll() is None:
            if os.path.exists(db):
                try:
                    with sqlite3.connect(db, timeout=5) as c:
                        stored = c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
                except sqlite3.OperationalError:
                    stored = 0
                if stored >= 20:
                    break
            time.sleep(0.02)
    finally:
        children = _children(p.pid)
        p.send_signal(signal.SIGKILL)
        p.wait()
    assert 20 <= stored < total, "the ingest was not caught mid-run"
    assert children, "no worker processes seen"
    deadline = time.time() + 10                   # the analysis workers notice and exit
    while time.time() < deadline and any(_alive(c) for c in children):
        time.sleep(0.05)
    assert not any(_alive(c) for c in children), "worker processes outlived their parent"
    r = run(cli, ["ingest", str(src), "--db", db])
    new, dup, failed = summary(r)
    assert failed == 0 and new + dup == total and dup >= stored
    with sqlite3.connect(db) as c:
        assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert c.execute("SELECT COUNT(*), COUNT(DISTINCT hash), COUNT(DISTINCT ext_id) FROM articles").fetchone() \
            == (total, total, total)
        # every article complete: its entities and claims are there
        assert c.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM entities e "
                         "WHERE e.article_id = a.id) OR NOT EXISTS (SELECT 1 FROM claims k "
                         "WHERE k.article_id = a.id)").fetchone()[0] == 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(l.startswith("State:") and "Z" in l.split()[1] for l in f)
    except OSError:
        return False


def test_no_inputs_and_bad_store(cli, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    r = CliRunner().invoke(cli, ["ingest", str(empty), "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 1 and "no input files" in r.output
    r = CliRunner().invoke(cli, ["search", "هجوم", "--db", "mysql://nowhere/db"])
    assert r.exit_code == 1 and "unknown store" in r.output


# -- the query commands ----------------------------------------------------------------------------

def test_search_claims_entity_stats_commands(cli, folder, store_url):
    run(cli, ["ingest", str(folder), "--db", store_url])
    r = run(cli, ["search", "ادلب", "--db", store_url, "--json"])
    hits = [json.loads(l) for l in r.output.splitlines()]
    assert sorted(h["id"] for h in hits) == ["a2", "example"]
    r = run(cli, ["search", "ادلب", "--db", store_url])
    assert r.exit_code == 0 and "TITLE" in r.output and "إدلب" in r.output
    r = run(cli, ["search", "ادلب", "--db", store_url, "--source", "outlet-b", "--json"])
    assert [json.loads(l)["id"] for l in r.output.splitlines()] == ["a2"]
    r = run(cli, ["search", "كلمةغيرموجودة", "--db", store_url])
    assert r.exit_code == 0 and r.stdout == ""

    r = run(cli, ["claims", "--db", store_url, "--speaker", "لافروف", "--json"])
    cs = [json.loads(l) for l in r.output.splitlines()]
    assert [(c["article_id"], c["claim"], c["stance"]) for c in cs] == [("a2", "C1", "assert")]
    r = run(cli, ["claims", "--db", store_url, "--about", "دوما", "--stance", "accuse", "--until", "2018"])
    assert r.exit_code == 0 and "CONTENT" in r.output and "accuse" in r.output and "وزارة الخارجية" in r.output
    r = CliRunner().invoke(cli, ["claims", "--db", store_url, "--stance", "lie"])
    assert r.exit_code == 2
    r = CliRunner().invoke(cli, ["claims", "--db", store_url, "--since", "'; DROP TABLE claims; --"])
    assert r.exit_code == 2 and "not a date" in r.output

    r = run(cli, ["entity", "الخوذ البيضاء", "--db", store_url, "--json"])
    e = json.loads(r.output)
    assert e["found"] and [c["claim"] for c in e["made"]] == ["C2", "C3"]
    r = run(cli, ["entity", "الخوذ البيضاء", "--db", store_url])
    assert "TIMELINE" in r.output and "CLAIMS MADE" in r.output and "2018-04" in r.output
    r = CliRunner().invoke(cli, ["entity", "لا أحد", "--db", store_url])
    assert r.exit_code == 1

    r = run(cli, ["stats", "--db", store_url, "--json"])
    assert json.loads(r.output)["articles"] == 4
