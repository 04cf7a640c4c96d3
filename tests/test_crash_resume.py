"""Crash safety of `raqib ingest`: SIGKILL at random points, rerun, and every article is stored once
and complete; and a power-cut snapshot of an SQLite store (the db and its WAL copied while the
ingest is frozen, the WAL's tail torn) opens, passes the integrity check and resumes.

The input: 200 made-up Arabic articles (sentences of the shared fixtures and the bundled example,
each with a sentence of its own, so every text hashes apart) and 10 copies of some of them under
other ids. The reference is an undisturbed ingest of the same file into a fresh SQLite store;
each stored article is compared with it through a digest of its record and of every row that
hangs off it (entities and their names, mentions, places, times, quantities, claims with
targets and relays, event mentions), ids replaced by the article's own local ids.

Kills: a seeded schedule of 20 per back end (40 in all), each when the store has reached a random
count of articles plus a random few milliseconds (so some land inside a transaction).
`make test` runs the PostgreSQL half on its throwaway cluster (conftest's pg_schema_url).
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE, TEXTS

N_ARTICLES = 200
N_COPIES = 10
KILLS_PER_BACKEND = 20
SEED = 20261126
CODE = "from raqib.cli import main; main()"
ROOT = Path(__file__).resolve().parent.parent


def _corpus() -> list[dict]:
    ex = [ln.strip() for ln in EXAMPLE.read_text(encoding="utf-8").split("\n") if len(ln.strip()) > 40][:12]
    pool = [s.strip() + "." for _, _, _, t in TEXTS for s in t.split(".") if s.strip()] + ex
    places = ["دوما", "إدلب", "حلب", "حمص", "درعا", "الرقة", "دير الزور", "سراقب"]
    rnd = random.Random(5)
    recs = []
    for i in range(N_ARTICLES):
        sents = rnd.sample(pool, rnd.randint(2, 4))
        sents.append(f"وقال مصدر محلي إن القصف استهدف {i + 2} مبان سكنية في {places[i % len(places)]} "
                     f"يوم {i % 28 + 1} آذار.")
        recs.append({"id": f"k{i}", "published": f"2018-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                     "source": f"outlet-{i % 5}", "text": " ".join(sents)})
    for j in range(N_COPIES):    # the same text again under another id, later in the file
        src = recs[j * 17]
        recs.insert(40 + j * 15, {**src, "id": f"copy{j}", "source": "outlet-copy"})
    return recs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("crash")
    path = d / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _corpus()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(corpus):
    """Digests of an undisturbed ingest (in-process, SQLite)."""
    from raqib.ingest import ingest
    from raqib.store import open_store

    db = str(corpus.parent / "reference.db")
    with open_store(db) as s:
        out = ingest([str(corpus)], s)
        assert (out.stored, out.duplicates, out.failed) == (N_ARTICLES, N_COPIES, 0)
    with open_store(db) as s:
        return digests(s)


# --- reading a store back --------------------------------------------------------------------------

def _rows(store, sql, params=()):
    return [tuple(r.values()) for r in store._all(sql, params)]


def _sorted(xs) -> list:
    return sorted(xs, key=lambda x: json.dumps(x, ensure_ascii=False, default=str))


def digests(store) -> dict:
    """{content hash: digest of the article's record and of all its rows}, plus '_copies' and
    '_events' (the events table, which articles share)."""
    out = {}
    arts = store._all("SELECT id, hash, ext_id, title, published, pub_date, source, url, lang, text, record "
                      "FROM articles")
    for a in arts:
        i = a["id"]
        ent = dict(_rows(store, "SELECT id, local_id FROM entities WHERE article_id = ?", (i,)))
        loc = lambda eid: ent.get(eid) if eid is not None else None  # noqa: E731
        claims = dict(_rows(store, "SELECT id, local_id FROM claims WHERE article_id = ?", (i,)))
        parts = {
            "article": [v for k, v in a.items() if k != "id"],
            "entities": _sorted(_rows(store, "SELECT local_id, type, name, name_en, kb, n_mentions FROM entities "
                                            "WHERE article_id = ?", (i,))),
            "names": _sorted((ent[e], k) for e, k in _rows(store, "SELECT n.entity_id, n.key FROM entity_names n "
                            "JOIN entities e ON e.id = n.entity_id WHERE e.article_id = ?", (i,))),
            "mentions": _sorted((loc(e), *r) for e, *r in _rows(store, "SELECT entity_id, start_off, end_off, text "
                               "FROM mentions WHERE article_id = ?", (i,))),
            "places": _sorted(((loc(e) or ""), *map(str, r)) for e, *r in _rows(store, "SELECT entity_id, lat, lon, "
                             "country, admin1, admin1_key, kind, gazetteer, precision, name_en FROM places "
                             "WHERE article_id = ?", (i,))),
            "times": _sorted(tuple(map(str, r)) for r in _rows(store, "SELECT start_off, end_off, text, value FROM times "
                                                              "WHERE article_id = ?", (i,))),
            "quantities": _sorted(tuple(map(str, r)) for r in _rows(store, "SELECT start_off, end_off, text, value, approx, "
                                                                   "unit FROM quantities WHERE article_id = ?", (i,))),
            "claims": _sorted((*map(str, r[:-1]), loc(r[-1])) for r in _rows(
                store, "SELECT local_id, sentence, cue_start, cue_end, cue_text, speaker_start, speaker_end, "
                       "speaker_text, speaker_key, content_start, content_end, content_text, stance, direct_quote, "
                       "speaker_entity FROM claims WHERE article_id = ?", (i,))),
            "targets": _sorted((claims[c], ent[e]) for c, e in _rows(store, "SELECT t.claim_id, t.entity_id FROM "
                              "claim_targets t JOIN claims c ON c.id = t.claim_id WHERE c.article_id = ?", (i,))),
            "via": _sorted((claims[c], *map(str, r[:-1]), loc(r[-1])) for c, *r in _rows(
                store, "SELECT v.claim_id, v.pos, v.start_off, v.end_off, v.text, v.entity_id FROM claim_via v "
                       "JOIN claims c ON c.id = v.claim_id WHERE c.article_id = ?", (i,))),
            "event_mentions": _sorted(tuple(map(str, r)) for r in _rows(
                store, "SELECT local_id, type, start_off, end_off, text, date, place_name, actor, target, killed "
                       "FROM event_mentions WHERE article_id = ?", (i,))),
        }
        out[a["hash"]] = hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
                                        .encode()).hexdigest()
    out["_copies"] = _sorted((h, e) for h, e in _rows(store, "SELECT a.hash, c.ext_id FROM article_copies c "
                                                            "JOIN articles a ON a.id = c.article_id"))
    out["_events"] = _sorted(
        (t, d, p, n, tuple(sorted(h for (h,) in _rows(store, "SELECT a.hash FROM event_mentions m JOIN articles a "
                                                           "ON a.id = m.article_id WHERE m.event_id = ?", (eid,)))))
        for eid, t, d, p, n in _rows(store, "SELECT id, type, date, place_name, n_mentions FROM events"))
    return out


#: (child table, column, parent table, nullable)
REFERENCES = [
    ("article_copies", "article_id", "articles", False),
    ("entities", "article_id", "articles", False),
    ("entity_names", "entity_id", "entities", False),
    ("mentions", "entity_id", "entities", False),
    ("mentions", "article_id", "articles", False),
    ("places", "entity_id", "entities", True),
    ("places", "article_id", "articles", False),
    ("times", "article_id", "articles", False),
    ("quantities", "article_id", "articles", False),
    ("claims", "article_id", "articles", False),
    ("claims", "speaker_entity", "entities", True),
    ("claim_targets", "claim_id", "claims", False),
    ("claim_targets", "entity_id", "entities", False),
    ("claim_via", "claim_id", "claims", False),
    ("claim_via", "entity_id", "entities", True),
    ("event_mentions", "event_id", "events", False),
    ("event_mentions", "article_id", "articles", False),
]


def orphans(store) -> dict:
    """Rows whose reference points nowhere, per (table, column); and rows tied to another
    article than the row they point to; and events without their mentions."""
    bad = {}
    for child, col, parent, nullable in REFERENCES:
        null = f"{col} IS NOT NULL AND " if nullable else f"{col} IS NULL OR "
        n = store._one(f"SELECT COUNT(*) FROM {child} WHERE {null}{col} NOT IN (SELECT id FROM {parent})")[0]
        if n:
            bad[f"{child}.{col}"] = n
    checks = {
        "mentions of another article's entity": "SELECT COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity_id "
                                                "WHERE e.article_id <> m.article_id",
        "places of another article's entity": "SELECT COUNT(*) FROM places p JOIN entities e ON e.id = p.entity_id "
                                              "WHERE e.article_id <> p.article_id",
        "claim speakers of another article": "SELECT COUNT(*) FROM claims c JOIN entities e ON e.id = c.speaker_entity "
                                             "WHERE e.article_id <> c.article_id",
        "claim targets of another article": "SELECT COUNT(*) FROM claim_targets t JOIN claims c ON c.id = t.claim_id "
                                            "JOIN entities e ON e.id = t.entity_id WHERE e.article_id <> c.article_id",
        "events whose n_mentions is off": "SELECT COUNT(*) FROM events e WHERE n_mentions <> (SELECT COUNT(*) FROM "
                                          "event_mentions m WHERE m.event_id = e.id)",
        "articles without entities or claims": "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM entities "
                                               "e WHERE e.article_id = a.id) OR NOT EXISTS (SELECT 1 FROM claims c "
                                               "WHERE c.article_id = a.id)",
    }
    if _is_sqlite(store):   # the contentless full-text index: one row per article
        checks["full-text rows without an article"] = ("SELECT COUNT(*) FROM article_fts WHERE rowid NOT IN "
                                                       "(SELECT id FROM articles)")
        checks["articles missing from the full-text index"] = ("SELECT (SELECT COUNT(*) FROM articles) - "
                                                               "(SELECT COUNT(*) FROM article_fts)")
    for what, sql in checks.items():
        n = store._one(sql)[0]
        if n:
            bad[what] = n
    return bad


def _is_sqlite(store) -> bool:
    return type(store).__name__ == "SQLiteStore"


def n_stored(url: str) -> int:
    """Articles committed so far (0 while the store does not exist yet)."""
    if url.startswith("postgresql"):
        import psycopg
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=5) as c:
                return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except psycopg.Error:
            return 0
    if not os.path.exists(url):
        return 0
    try:
        with sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def start_ingest(corpus, url) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CODE, "ingest", str(corpus), "--db", url],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=str(ROOT))


def kill_when(p: subprocess.Popen, url: str, target: int, extra_ms: float, deadline_s: float = 60) -> int:
    """SIGKILL `p` once the store holds `target` articles (plus `extra_ms`); the count then, or -1
    if the ingest finished first."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and p.poll() is None:
        if n_stored(url) >= target:
            time.sleep(extra_ms / 1000)
            break
        time.sleep(0.005)
    if p.poll() is not None:
        return -1
    p.send_signal(signal.SIGKILL)
    p.wait()
    return n_stored(url)


def finish(corpus, url) -> str:
    r = subprocess.run([sys.executable, "-c", CODE, "ingest", str(corpus), "--db", url],
                       capture_output=True, text=True, cwd=str(ROOT), timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stderr


def check_store(url, reference):
    from raqib.store import open_store

    with open_store(url) as s:
        assert orphans(s) == {}
        n, distinct = s._one("SELECT COUNT(*), COUNT(DISTINCT hash) FROM articles")
        assert n == distinct == N_ARTICLES
        got = digests(s)
    assert got.keys() == reference.keys()
    differ = [h for h in reference if got[h] != reference[h]]
    assert not differ, f"{len(differ)} articles differ from the undisturbed ingest"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sigkill_at_random_points_then_resume(backend, corpus, reference, tmp_path, request):
    url = str(tmp_path / "crash.db") if backend == "sqlite" else request.getfixturevalue("pg_schema_url")
    rnd = random.Random(f"{SEED}-{backend}")
    # kill points: random article counts spread over the run, each a few random milliseconds later
    targets = sorted(rnd.sample(range(1, N_ARTICLES - 5), KILLS_PER_BACKEND))
    seen = []
    for target in targets:
        p = start_ingest(corpus, url)
        got = kill_when(p, url, target, extra_ms=rnd.uniform(0, 40))
        assert got != -1, "the ingest finished before it could be killed"
        seen.append(got)
        if backend == "sqlite":
            with sqlite3.connect(url) as c:
                assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    print(f"\n{backend}: killed {len(seen)} times with {seen} articles stored")
    assert len(seen) == KILLS_PER_BACKEND and seen == sorted(seen) and seen[-1] < N_ARTICLES
    err = finish(corpus, url)
    new, dup, failed = (int(x) for x in
                        __import__("re").search(r"stored (\d+), duplicates (\d+), failed (\d+)", err).groups())
    assert failed == 0 and new == N_ARTICLES - seen[-1] and new + dup == N_ARTICLES + N_COPIES
    check_store(url, reference)
    err = finish(corpus, url)      # and a further rerun changes nothing
    assert f"stored 0, duplicates {N_ARTICLES + N_COPIES}, failed 0" in err
    check_store(url, reference)


def synced_wal_bytes(wal: bytes, shm_path: Path) -> int:
    """How much of the WAL a power cut cannot take: its header and the frames a checkpoint has
    copied, or started to copy, into the database file (SQLite syncs the WAL before it
    checkpoints, so those frames were on disk). Read from the WAL-index (the -shm file: two
    48-byte headers, then the checkpoint info: nBackfill at byte 96, nBackfillAttempted — the
    last frame of a checkpoint under way — at byte 128; native byte order)."""
    import struct
    if len(wal) < 32:
        return len(wal)
    page = struct.unpack_from(">I", wal, 8)[0]
    backfill = 0
    if shm_path.exists():
        shm = shm_path.read_bytes()
        if len(shm) >= 132:
            backfill = max(struct.unpack_from("=I", shm, 96)[0], struct.unpack_from("=I", shm, 128)[0])
    return min(len(wal), 32 + backfill * (24 + page))


def test_sqlite_power_cut_snapshot_opens_and_resumes(corpus, reference, tmp_path):
    """Freeze the ingest (SIGSTOP) mid-run, copy the db and its -wal (not the -shm, which a reboot
    loses), tear the WAL's tail at a random byte after the frames already checkpointed (those were
    synced, a power cut cannot take them), and open the copy: the
    integrity check passes, nothing is orphaned, what was committed before the tear is there whole,
    and an ingest into the copy completes to the reference."""
    from raqib.store import open_store

    url = str(tmp_path / "live.db")
    rnd = random.Random(SEED)
    p = start_ingest(corpus, url)
    snaps = []
    try:
        for target in (40, 130):
            end = time.monotonic() + 60
            while n_stored(url) < target and p.poll() is None and time.monotonic() < end:
                time.sleep(0.005)
            assert p.poll() is None, "the ingest finished before the snapshot"
            p.send_signal(signal.SIGSTOP)
            try:
                snap = tmp_path / f"snap{target}"
                snap.mkdir()
                shutil.copy(url, snap / "s.db")
                if os.path.exists(url + "-wal"):
                    shutil.copy(url + "-wal", snap / "s.db-wal")
                if os.path.exists(url + "-shm"):     # read only for where checkpointing stood
                    shutil.copy(url + "-shm", snap / "s.db-shm-saved")
                snaps.append(snap / "s.db")
            finally:
                p.send_signal(signal.SIGCONT)
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
    for db in snaps:
        wal = Path(str(db) + "-wal")
        for torn in (False, True):
            work = db.parent / ("torn" if torn else "whole")
            work.mkdir()
            shutil.copy(db, work / "s.db")
            if wal.exists():
                data = wal.read_bytes()
                keep = synced_wal_bytes(data, db.parent / "s.db-shm-saved")
                if torn and len(data) > keep:
                    data = data[:rnd.randrange(keep, len(data))]
                (work / "s.db-wal").write_bytes(data)
            copy = str(work / "s.db")
            what = (str(db), "torn" if torn else "whole", len(data) if wal.exists() else None, keep if wal.exists() else None)
            with sqlite3.connect(copy) as c:
                try:
                    check = c.execute("PRAGMA integrity_check").fetchone()[0]
                except sqlite3.DatabaseError as e:
                    check = str(e)
                assert check == "ok", what
                assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            with open_store(copy) as s:
                assert orphans(s) == {}
                before = digests(s)
            # what the snapshot holds is exactly what the undisturbed ingest stored for those articles
            assert all(before[h] == reference[h] for h in before if not h.startswith("_"))
            if torn:            # (resuming the whole copy is what the SIGKILL test does)
                finish(corpus, copy)
                check_store(copy, reference)
