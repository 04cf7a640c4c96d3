"""The bundled example (Enab Baladi, 26 Nov 2019) end to end: each line of the issue's list."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from raqib.pipeline import analyze
from raqib.read import read_path

EXAMPLE = Path(__file__).resolve().parent.parent / "raqib" / "data" / "examples" / "enab-baladi-2019-11-26.txt"


@pytest.fixture(scope="module")
def rec():
    (article,) = list(read_path(str(EXAMPLE), published="2019-11-26"))
    return analyze(article).to_dict()


def _t(rec, d):
    return rec["text"][d["start"]:d["end"]] if d else ""


def _ents(rec):
    return {e["id"]: e for e in rec["entities"]}


def _forms(rec, e):
    return [_t(rec, m) for m in e["mentions"]]


def _entity_with(rec, *subs):
    return [e["id"] for e in rec["entities"] if all(any(s in m for m in _forms(rec, e)) for s in subs)]


def test_offsets_slice_to_their_text(rec):
    for layer in ("times", "quantities"):
        for x in rec[layer]:
            assert rec["text"][x["start"]:x["end"]] == x["text"]
    for e in rec["entities"]:
        for m in e["mentions"]:
            assert rec["text"][m["start"]:m["end"]] == m["text"]
    for c in rec["claims"]:
        for k in ("cue", "content"):
            assert _t(rec, c[k]) == c[k]["text"]
        if c["speaker"]:
            assert _t(rec, c["speaker"]) == c["speaker"]["text"]


def test_ministry_accuses_white_helmets_and_hts(rec):
    wh = _entity_with(rec, "الدفاع المدني السوري", "الخوذ البيضاء")
    hts = _entity_with(rec, "هيئة تحرير الشام")
    assert len(wh) == 1 and len(hts) == 1
    acc = [c for c in rec["claims"] if c["stance"] == "accuse" and "وزارة الدفاع" in _t(rec, c["speaker"])]
    assert acc, "the ministry's accusation"
    assert acc[0]["cue"]["text"] == "اتهمت"
    assert wh[0] in acc[0]["targets"] and hts[0] in acc[0]["targets"]


def test_quote_is_direct_by_the_ministry_via_tass(rec):
    acc = [c for c in rec["claims"] if c["stance"] == "accuse" and "وزارة الدفاع" in _t(rec, c["speaker"])]
    ministry = acc[0]["speaker"]["entity"]
    assert ministry is not None
    q = [c for c in rec["claims"] if "تلقينا معلومات" in c["content"]["text"]]
    assert len(q) == 1
    assert q[0]["direct_quote"] is True
    assert q[0]["speaker"]["entity"] == ministry
    assert [v["text"] for v in q[0]["via"]] == ["تاس"]


def test_ministry_alias_in_quotes_resolves(rec):
    acc = [c for c in rec["claims"] if c["stance"] == "accuse" and "وزارة الدفاع" in _t(rec, c["speaker"])]
    ministry = acc[0]["speaker"]["entity"]
    forms = _forms(rec, _ents(rec)[ministry])
    assert any("الدفاع” الروسية" in f for f in forms)


def test_opcw_confirms_chlorine(rec):
    c = [c for c in rec["claims"] if "حظر الأسلحة الكيماوية" in _t(rec, c["speaker"])]
    assert c and c[0]["stance"] == "confirm" and "غاز الكلور" in c[0]["content"]["text"]


def test_gppi_and_response_coordinators_are_speakers(rec):
    speakers = [_t(rec, c["speaker"]) for c in rec["claims"]]
    assert any("غلوبال بوبليك بولسي" in s for s in speakers)
    assert any("منسقو الاستجابة" in s for s in speakers)


def test_russia_denies(rec):
    d = [c for c in rec["claims"] if c["stance"] == "deny"]
    assert any(c["cue"]["text"] == "نافية" and "روسيا" in _t(rec, c["speaker"]) for c in d)


@pytest.mark.parametrize("sub,value", [
    ("الثلاثاء 26 من تشرين الثاني", "2019-11-26"),
    ("بداية تشرين الثاني الحالي", "2019-11"),
    ("شباط الماضي", "2019-02"),
    ("حزيران من العام الماضي", "2018-06"),
    ("نيسان عام 2018", "2018-04"),
    ("عام 2013", "2013"),
])
def test_times(rec, sub, value):
    hits = [t for t in rec["times"] if sub in t["text"] or (t["text"] in sub and len(t["text"]) > 3)]
    assert hits and hits[0]["value"] == value


@pytest.mark.parametrize("sub,value,approx", [
    ("ثلاث", 3, False), ("336", 336, False), ("98%", 98, False), ("2%", 2, False),
    ("مليون", 1_000_000, True), ("المئات", 100, True),
])
def test_quantities(rec, sub, value, approx):
    hits = [q for q in rec["quantities"] if sub in q["text"]]
    assert hits and hits[0]["value"] == value and hits[0]["approx"] is approx


def _km(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(d - b) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("sub,lat,lon", [
    ("إدلب", 35.93, 36.63), ("سرمدا", 36.18, 36.72), ("خان سيخون", 35.44, 36.65),
    ("دوما", 33.57, 36.40), ("الغوطة الشرقية", 33.55, 36.45),
])
def test_places(rec, sub, lat, lon):
    ents = _ents(rec)
    ok = [p for p in rec["places"] if any(sub in f for f in _forms(rec, ents[p["entity"]]))]
    assert ok and min(_km(p["lat"], p["lon"], lat, lon) for p in ok) <= 25


def test_footer_is_boilerplate_not_text(rec):
    assert "تابعنا على" not in rec["text"]
    assert any("تابعنا" in b for b in rec["boilerplate"])
    assert rec["title"].startswith("روسيا تتهم")
