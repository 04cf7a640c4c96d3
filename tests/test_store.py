"""The store on SQLite and PostgreSQL: idempotency, atomicity, normalised search, claims filters,
entities, and inputs that look like SQL or full-text syntax.

Every test taking `store` runs once per back end (PostgreSQL needs RAQIB_TEST_PG, see conftest).
"""
from __future__ import annotations

import pytest

from raqib.store import open_store
from raqib.store.base import content_hash, date_bound, name_key, search_tokens

TABLES = ("articles", "entities", "mentions", "places", "times", "quantities", "claims")
NASTY = ["' OR '1'='1", "'; DROP TABLE articles; --", "%", "_", "\\", '"', "*", "a:*", "x & y | !z",
         "NEAR(a b)", "title:x", "^x", "(", ")", "1=1) OR (1=1", "%دوما%x", "\x00"]


def fill(store, records, *ids):
    for i in ids or ("a1", "a2", "a3", "example"):
        assert store.add_article(records[i]) == "stored"


def counts(store):
    s = store.stats()
    return {t: s[t] for t in TABLES}


def refs(claims):
    return sorted(f"{c['article_id']}:{c['claim']}" for c in claims)


# -- keys (no store) -------------------------------------------------------------------------------

def test_search_tokens_normalise_and_drop_the_article():
    assert search_tokens("إدلب") == search_tokens("ادلب") == ["ادلب"]
    assert search_tokens("الهجوم") == search_tokens("هجوم") == search_tokens("وللهجوم") == ["هجوم"]
    assert search_tokens("بالمدينة") == search_tokens("مدينه") == ["مدينه"]
    assert search_tokens("«الخوذ البيضاء»") == ["خوذ", "بيضاء"]
    assert search_tokens("أكّدَ ٢٠١٨ Idlib") == ["اكد", "2018", "idlib"]
    assert search_tokens("الى") == ["الي"]            # too short to lose its alef-lam
    assert name_key("  وزارة   الدفاع الروسية ") == "وزاره دفاع روسيه"


def test_content_hash_ignores_whitespace_only():
    assert content_hash("نص  الخبر\n") == content_hash("نص الخبر")
    assert content_hash("نص الخبر") != content_hash("نص الخبر.")


def test_date_bounds():
    assert date_bound("2018", upper=False) == "2018-01-01"
    assert date_bound("2018-04", upper=True) == "2018-04-31"
    assert date_bound("2018-04-09T10:00:00+03:00", upper=True) == "2018-04-09"
    for bad in ("yesterday", "2018-13", "2018-02-30", "' OR 1=1"):
        with pytest.raises(ValueError):
            date_bound(bad, upper=False)


def test_open_store_urls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.db") as s:
        assert s.path == "rel.db"
    with open_store(f"sqlite:///{tmp_path}/abs.db") as s:
        assert s.path == f"{tmp_path}/abs.db"
    with open_store(None) as s:
        assert s.path == "raqib.db"
    assert (tmp_path / "rel.db").exists() and (tmp_path / "abs.db").exists() and (tmp_path / "raqib.db").exists()
    with pytest.raises(ValueError):
        open_store("mysql://x/y")
    with pytest.raises(OSError):
        open_store(str(tmp_path / "no" / "such" / "dir.db"))


def test_sqlite_journal_settings(tmp_path):
    with open_store(tmp_path / "j.db") as s:
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA synchronous").fetchone()[0] == 1      # NORMAL


# -- both back ends --------------------------------------------------------------------------------

def test_same_article_twice_is_stored_once(store, records):
    rec = records["example"]
    assert store.add_article(rec) == "stored"
    before = counts(store)
    assert store.add_article(rec) == "duplicate"
    other = dict(rec, id="another-id", title="عنوان آخر", text=rec["text"] + "\n")   # same text, other metadata
    assert store.add_article(other) == "duplicate"
    assert counts(store) == before
    assert before["articles"] == 1 and before["claims"] == len(rec["claims"])
    assert before["entities"] == len(rec["entities"]) and before["places"] == len(rec["places"])
    assert store.has(content_hash(rec["text"]))
    assert not store.has(content_hash("نص آخر"))
    # the copy's metadata is kept, once, and its id finds the stored article
    assert [(c["id"], c["title"]) for c in store.copies(1)] == [("another-id", "عنوان آخر")]
    assert store.add_article(other) == "duplicate" and len(store.copies(1)) == 1
    assert store.add_copy(content_hash(rec["text"]), rec) is False          # its own metadata: not a copy
    assert store.get_article("another-id") == rec
    assert store.stats()["article_copies"] == 1


def test_get_article_round_trip(store, records):
    fill(store, records, "example", "a1")
    assert store.get_article(1) == records["example"]
    assert store.get_article("a1") == records["a1"]
    assert store.get_article(999) is None and store.get_article("nope") is None
    assert list(store.get_article("a1")) == list(records["a1"])          # contract key order kept


@pytest.mark.parametrize("stage", ["_insert_entities", "_insert_places", "_insert_quantities", "_insert_claims"])
def test_a_failure_mid_article_stores_nothing_of_it(store, records, monkeypatch, stage):
    fill(store, records, "a1")
    before = counts(store)

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, stage, boom)
    with pytest.raises(RuntimeError):
        store.add_article(records["example"])
    monkeypatch.undo()
    assert counts(store) == before
    assert not store.has(content_hash(records["example"]["text"]))
    assert store.search("تمثيلية") == []
    assert store.add_article(records["example"]) == "stored"        # and the store is still usable
    assert counts(store)["articles"] == 2


def test_a_malformed_record_stores_nothing(store, records):
    bad = records["example"]
    bad["claims"][-1].pop("cue")                  # fails after the article, entities, places... were written
    with pytest.raises(KeyError):
        store.add_article(bad)
    assert counts(store) == dict.fromkeys(TABLES, 0)
    with pytest.raises(ValueError):
        store.add_article({"text": "   "})


def test_search_normalised_arabic(store, records):
    fill(store, records)
    ids = lambda q, **kw: sorted(h["id"] for h in store.search(q, **kw))   # noqa: E731
    assert ids("ادلب") == ids("إدلب") == ["a2", "enab-baladi-2019-11-26"]
    assert ids("الهجوم") == ids("هجوم") == ["a1", "a3", "enab-baladi-2019-11-26"]   # a3 has هجوم, a1 الهجوم
    assert "a1" in ids("الخوذ البيضاء") and "a2" not in ids("الخوذ البيضاء")
    assert ids("هجوم حلب") == ["a3"]                              # every word must occur
    assert ids("Duma") == ["a1", "a3", "enab-baladi-2019-11-26"]   # English names of entities are indexed
    assert ids("كلمةغيرموجودة") == [] and ids("") == [] and ids("،،") == []
    assert ids("هجوم", limit=1) and len(ids("هجوم", limit=1)) == 1
    assert ids("هجوم", filters={"source": "outlet-a"}) == ["a1", "a3"]
    assert ids("هجوم", filters={"since": "2019"}) == ["a3", "enab-baladi-2019-11-26"]
    assert ids("هجوم", filters={"until": "2018-04"}) == ["a1"]
    with pytest.raises(ValueError):
        store.search("هجوم", filters={"colour": "red"})
    hit = store.search("ادلب", filters={"source": "outlet-b"})[0]
    rec = records["a2"]
    assert rec["text"][hit["match"]["start"]:hit["match"]["end"]] == "إدلب" == hit["match"]["text"]
    assert "إدلب" in hit["snippet"] and hit["published"] == "2018-04-14" and hit["article"] == 2


def test_claims_filters(store, records):
    fill(store, records)
    ex = "enab-baladi-2019-11-26"
    assert len(store.claims(limit=1000)) == sum(len(r["claims"]) for r in records.values())
    assert refs(store.claims(speaker="لافروف")) == ["a2:C1"]
    assert refs(store.claims(speaker="سيرغي لافروف")) == ["a2:C1"]
    assert refs(store.claims(speaker="Sergey Lavrov")) == ["a2:C1"]                 # English KB name
    assert refs(store.claims(speaker="الخوذ البيضاء")) == ["a1:C2", "a1:C3"]          # alias of the entity
    assert refs(store.claims(speaker="الامم المتحده")) == ["a3:C2"]                  # hamza/ta marbuta folded
    assert refs(store.claims(about="الخوذ البيضاء")) == ["a1:C1", f"{ex}:C1", f"{ex}:C2"]
    assert refs(store.claims(about="دوما")) == ["a1:C1", "a3:C1"] + [f"{ex}:{c['id']}" for c in records["example"]["claims"]
                                                                    if _targets_named(records["example"], c, "Duma")]
    assert refs(store.claims(stance="deny")) == ["a1:C2"] + [f"{ex}:{c['id']}" for c in records["example"]["claims"]
                                                             if c["stance"] == "deny"]
    assert refs(store.claims(stance="demand")) == ["a3:C2"]
    assert refs(store.claims(place="حلب")) == ["a3:C2"]
    assert refs(store.claims(place="Aleppo")) == ["a3:C2"]
    assert "a2:C2" in refs(store.claims(place="إدلب")) and "a2:C2" in refs(store.claims(place="Idleb"))
    assert refs(store.claims(since="2018-04-10", until="2018-12-31")) == ["a2:C1", "a2:C2"]
    assert refs(store.claims(since="2019-01", until="2019-01")) == ["a3:C1", "a3:C2"]
    assert refs(store.claims(about="دوما", stance="assert", since="2019")) == ["a3:C1"]
    assert refs(store.claims(speaker="لافروف", stance="deny")) == []
    assert store.claims(speaker="أحد لا يعرفه أحد") == [] and store.claims(about="لا شيء") == []
    assert store.claims(place="مكان غير موجود") == []
    c = store.claims(speaker="لافروف")[0]
    rec = records["a2"]
    assert rec["text"][c["content"]["start"]:c["content"]["end"]] == c["content"]["text"]
    assert c["speaker"]["kb"] == "per:sergey-lavrov" and c["published"] == "2018-04-14"
    assert {t["name"] for t in c["targets"]} == {"سوريا"}
    dates = [c["published"][:10] for c in store.claims(limit=1000)]
    assert dates == sorted(dates)                                    # oldest first
    assert len(store.claims(limit=2)) == 2
    with pytest.raises(ValueError):
        store.claims(since="last week")


def _targets_named(rec, claim, name_en):
    ents = {e["id"]: e for e in rec["entities"]}
    return any(ents[t].get("name_en") == name_en for t in claim["targets"])


def test_via_is_kept(store, records):
    fill(store, records, "example")
    c1 = [c for c in store.claims() if c["claim"] == "C1"][0]
    assert [v["text"] for v in c1["via"]] == [v["text"] for v in records["example"]["claims"][0]["via"]]


def test_entity_over_time(store, records):
    fill(store, records)
    e = store.entity("دوما")
    assert e["found"] and e["names"][0]["name"] == "دوما" and e["names"][0]["articles"] == 3
    assert refs(e["received"])[:2] == ["a1:C1", "a3:C1"]
    assert e["made"] == []
    months = {t["period"]: t for t in e["timeline"]}
    assert months["2018-04"]["articles"] == 1 and months["2018-04"]["received"] == 1
    assert months["2019-01"]["received"] == 1
    assert [t["period"] for t in e["timeline"]] == sorted(months)
    wh = store.entity("الخوذ البيضاء")
    assert {n["kb"] for n in wh["names"]} == {"org:white-helmets"}
    assert refs(wh["made"]) == ["a1:C2", "a1:C3"]
    assert len(wh["records"]) == 2 and {r["article_id"] for r in wh["records"]} == {"a1", "enab-baladi-2019-11-26"}
    assert store.entity("لافروف")["names"][0]["kb"] == "per:sergey-lavrov"
    assert store.entity("غير موجود") == {"query": "غير موجود", "found": False, "names": [], "records": [],
                                         "made": [], "received": [], "timeline": []}


def test_stats(store, records):
    fill(store, records)
    s = store.stats()
    assert s["articles"] == 4 and s["first_published"] == "2018-04-09" and s["last_published"] == "2019-11-26"
    assert s["sources"]["outlet-a"] == 2
    assert sum(s["stances"].values()) == s["claims"]


def test_injection_looking_inputs_are_just_text(store, records):
    fill(store, records)
    before = counts(store)
    for x in NASTY:
        assert isinstance(store.search(x), list)
        assert store.search(x, filters={"source": x}) == []
        assert store.claims(speaker=x) == []
        assert store.claims(about=x) == []
        assert store.claims(place=x) == []
        assert store.claims(stance=x) == []
        assert store.entity(x)["found"] is False
        assert store.get_article(x) is None
        assert not store.has(x)
    # punctuation is not part of a name: only the words count
    assert refs(store.claims(about="سوريا' --")) == refs(store.claims(about="سوريا"))
    assert "a2:C1" in refs(store.claims(about="سوريا"))
    assert counts(store) == before
    assert len(store.claims(limit=1000)) == before["claims"]
