"""Events: per-article extraction on made-up fixtures, and merging across articles in the store."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parent / "fixtures" / "events"


def _items():
    return [json.loads(l) for l in (FIX / "douma.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]


@pytest.fixture(scope="module")
def analysed():
    from raqib.article import Article
    from raqib.pipeline import analyze

    out = {}
    for d in _items():
        a = Article(text=d["text"], id=d["id"], published=d["published"], source=d["source"], title=d.get("title"))
        out[d["id"]] = analyze(a).to_dict()
    return out


def _ent(rec, eid):
    return next((e["name"] for e in rec["entities"] if e["id"] == eid), None)


def _check_span(rec, span):
    assert rec["text"][span["start"]:span["end"]] == span["text"]


def test_chemical_attack_extracted(analysed):
    rec = analysed["douma-a"]
    evs = [e for e in rec["events"] if e["type"] == "chemical_attack"]
    assert len(evs) == 1
    ev = evs[0]
    assert ev["trigger"]["text"] == "هجوم كيماوي"
    for t in ev["triggers"]:
        _check_span(rec, t)
    assert _ent(rec, ev["place"]) == "دوما" and ev["geo_precision"] == "exact"
    assert ev["date"] == "2018-04-07" and ev["time_precision"] == "day"
    k = ev["killed"]
    assert k["value"] == 42 and rec["text"][k["start"]:k["end"]] == k["text"] == "42 شخصا"
    assert k["claim"] is not None
    claim = next(c for c in rec["claims"] if c["id"] == k["claim"])
    assert claim["content"]["start"] <= k["start"] < claim["content"]["end"]
    assert ev["injured"]["value"] == 500
    # the speaker of the claim is not the actor
    assert ev["actor"] is None


def test_date_from_text_and_published(analysed):
    b = analysed["douma-b"]["events"][0]
    assert (b["type"], b["date"], b["time_precision"]) == ("chemical_attack", "2018-04-07", "day")
    assert b["killed"]["value"] == 43
    c = analysed["douma-c"]["events"][0]
    assert (c["type"], c["date"], c["time_precision"]) == ("chemical_attack", "2018-04-09", "published")
    assert c["actor"] is None          # وزارة الخارجية الروسية denies, it did not attack


def test_air_strike_and_clash_roles(analysed):
    s = analysed["saraqib"]
    [ev] = s["events"]
    assert ev["type"] == "air_strike" and _ent(s, ev["place"]) == "سراقب"
    assert ev["date"] == "2018-04-08"
    assert ev["killed"]["value"] == 12 and ev["injured"]["value"] == 20   # injured from the next sentence
    r = analysed["raqqa"]
    types = {e["type"]: e for e in r["events"]}
    assert set(types) == {"clash", "air_strike"}
    assert _ent(r, types["clash"]["actor"]) == "قوات سوريا الديمقراطية"
    assert _ent(r, types["clash"]["target"]) == "تنظيم الدولة الإسلامية"
    assert _ent(r, types["air_strike"]["actor"]) == "التحالف الدولي"
    assert _ent(r, types["air_strike"]["target"]) == "تنظيم الدولة الإسلامية"


@pytest.mark.parametrize("text,typ", [
    ("وقتل ثلاثة أشخاص في انفجار سيارة مفخخة في مدينة إعزاز يوم الجمعة.", "explosion"),
    ("شنت قوات الأمن حملة اعتقالات في مدينة درعا أمس.", "arrest_abduction"),
    ("خرجت تظاهرة في مدينة إدلب ضد هيئة تحرير الشام.", "protest"),
    ("أعلنت الفصائل التوصل إلى اتفاق لوقف إطلاق النار في درعا.", "agreement"),
    ("قصفت المدفعية بلدة كفرنبل بعشرات القذائف.", "shelling"),
    ("قصف الطيران الحربي مدينة خان شيخون.", "air_strike"),
    ("أسقطت الفصائل طائرة حربية فوق ريف إدلب.", "aircraft_downed"),
    ("تواصلت موجة نزوح آلاف المدنيين من ريف حماة.", "displacement"),
])
def test_types(text, typ):
    from raqib.article import Article
    from raqib.pipeline import analyze

    rec = analyze(Article(text=text, published="2018-04-09")).to_dict()
    assert typ in {e["type"] for e in rec["events"]}, rec["events"]


def test_organisation_name_is_not_a_trigger():
    from raqib.article import Article
    from raqib.pipeline import analyze

    rec = analyze(Article(text="قالت منظمة حظر الأسلحة الكيميائية إن فريقها وصل إلى دمشق.",
                          published="2018-04-14")).to_dict()
    assert rec["events"] == []


def _ingest(url):
    from raqib.ingest import ingest
    from raqib.store import open_store

    with open_store(url) as store:
        out = ingest([str(FIX / "douma.jsonl")], store)
        assert out.stored == 5 and out.failed == 0
        out = ingest([str(FIX / "douma.jsonl")], store)      # idempotent: no new mentions
        assert out.stored == 0


def test_merge_across_articles(store_url, cli):
    from click.testing import CliRunner

    from raqib.cli_events import register

    _ingest(store_url)
    register(cli)
    res = CliRunner().invoke(cli, ["events", "--db", store_url, "--json"])
    assert res.exit_code == 0, res.output
    evs = [json.loads(l) for l in res.output.splitlines() if l.strip()]
    chem = [e for e in evs if e["type"] == "chemical_attack"]
    assert len(chem) == 1
    d = chem[0]
    # every span that reports it (one article names it in two sentences), from three articles
    assert sorted({m["article"] for m in d["mentions"]}) == ["douma-a", "douma-b", "douma-c"]
    assert len(d["mentions"]) > 3
    assert d["date"] == "2018-04-07" and d["place"]["name"] == "دوما" and d["place"]["country"] == "SY"
    assert abs(d["place"]["lat"] - 33.57) < 0.1 and abs(d["place"]["lon"] - 36.40) < 0.1
    assert d["killed"] == 42 and d["injured"] == 500          # median of the reports (42, 43)
    texts = {i["id"]: i["text"] for i in _items()}
    for m in d["mentions"]:
        assert texts[m["article"]][m["start"]:m["end"]] == m["text"]
    assert set(d) >= {"id", "type", "date", "place", "actor", "target", "killed", "injured", "mentions"}
    air = [e for e in evs if e["type"] == "air_strike"]
    assert len(air) == 2                                   # Saraqib (April) and Hajin (May): not merged
    sar = next(e for e in air if e["place"]["name"] == "سراقب")
    assert {m["article"] for m in sar["mentions"]} == {"saraqib"} and sar["killed"] == 12
    # filters
    res = CliRunner().invoke(cli, ["events", "--db", store_url, "--json", "--type", "air_strike",
                                   "--since", "2018-05"])
    assert [json.loads(l)["place"]["name"] for l in res.output.splitlines()] == ["هجين"]
    res = CliRunner().invoke(cli, ["events", "--db", store_url, "--until", "2018-04-30"])
    assert res.exit_code == 0 and "chemical_attack" in res.output and "clash" not in res.output


def test_far_places_do_not_merge(store):
    from raqib.article import Article
    from raqib.pipeline import analyze
    from raqib.store.events import list_events

    for i, town in enumerate(("مدينة دوما", "مدينة حلب")):
        a = Article(text=f"قتل 5 مدنيين في غارات جوية على {town} يوم السبت.", id=f"x{i}", published="2018-04-08")
        store.add_article(analyze(a).to_dict())
    evs = list_events(store, type="air_strike")
    assert len(evs) == 2 and all(len(e["mentions"]) == 1 for e in evs)


def test_eval_scorer_on_gold():
    from raqib.eval.events import _read_jsonl, predict, score

    root = Path(__file__).resolve().parent.parent / "eval" / "events"
    gold = _read_jsonl(root / "gold.jsonl")
    texts = {a["id"]: a["text"] for a in _read_jsonl(root / "articles.jsonl")}
    perfect = score(gold, [dict(g) for g in gold], texts)
    assert perfect["mention_recall"] == 1.0 and perfect["merge"]["f1"] == 1.0
    assert perfect["type_accuracy"] == perfect["date_accuracy"] == perfect["place_accuracy"] == 1.0
    s = score(gold, predict(root / "articles.jsonl"), texts)
    assert s["mention_recall"] >= 0.8 and s["merge"]["f1"] >= 0.8 and s["type_accuracy"] >= 0.8
    # everything in one event: merge precision drops
    lumped = [{"type": "air_strike", "date": None, "place": None,
               "mentions": [m for g in gold for m in g["mentions"]]}]
    assert score(gold, lumped, texts)["merge"]["precision"] < 0.5


def test_a_foreign_state_named_beside_an_attack_is_an_actor_not_the_scene():
    from raqib.article import Article
    from raqib.pipeline import analyze
    text = ("قتل 40 مدنيا في هجوم كيماوي على مدينة دوما في الغوطة الشرقية. "
            "وفي موسكو، نفى الكرملين الهجوم الكيماوي.")
    a = analyze(Article(text=text, published="2018-04-09"))
    ents = {e["id"]: e for e in a.entities}
    places = {ents[e["place"]]["name"] for e in a.events if e["type"] == "chemical_attack" and e["place"]}
    assert places == {"دوما"}


def test_missiles_told_as_strike_and_as_shelling_are_one_event(tmp_path):
    """One outlet calls it an air strike, another shelling: same place, same day, one event, of
    the type most reports give."""
    from raqib.ingest import ingest
    from raqib.store import open_store
    from raqib.store.events import list_events
    items = [
        {"id": "t4-a", "published": "2018-04-09", "source": "a",
         "text": "قتل 14 شخصا في غارة جوية استهدفت مطار التيفور العسكري في ريف حمص فجر الاثنين."},
        {"id": "t4-b", "published": "2018-04-09", "source": "b",
         "text": "استهدف قصف صاروخي مطار التيفور العسكري في ريف حمص فجر الاثنين."},
        {"id": "t4-c", "published": "2018-04-09", "source": "c",
         "text": "أعلنت وسائل إعلام رسمية أن غارات جوية استهدفت مطار التيفور في ريف حمص فجر الاثنين."},
    ]
    src = tmp_path / "t4.jsonl"
    src.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    with open_store(str(tmp_path / "t4.db")) as s:
        ingest([str(src)], s)
        evs = [e for e in list_events(s) if e["type"] in ("air_strike", "shelling")]
    assert len(evs) == 1 and evs[0]["type"] == "air_strike"
    assert {m["article"] for m in evs[0]["mentions"]} == {"t4-a", "t4-b", "t4-c"}
