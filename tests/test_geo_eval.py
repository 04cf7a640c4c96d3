"""raqib eval-geo: the IDRISI-format reader, the scoring, and the geoparser on a three-tweet fixture."""
import json
import os

import pytest

from raqib.eval.geo import evaluate_geo, format_geo, read_geo

HERE = os.path.dirname(os.path.abspath(__file__))
GEO = os.path.join(HERE, "fixtures", "geo")
SAMPLE = os.path.join(GEO, "idrisi_lmd_sample.jsonl")


def test_reader_takes_offsets_and_osm_coordinates():
    rows = list(read_geo(SAMPLE))
    assert len(rows) == 3
    text, gold = rows[0]
    assert [g["text"] for g in gold] == ["الزرقاء", "#الأردن"]
    assert all(text[g["start"]:g["end"]] == g["text"] for g in gold)
    assert gold[0]["lat"] == pytest.approx(32.0728) and gold[0]["type"] == "City/town"
    # the third tweet's offsets are three characters off: the mention text is found near them
    text, gold = rows[2]
    assert text[gold[1]["start"]:gold[1]["end"]] == "الرياض"


def test_scoring_with_a_stub_predictor(tmp_path):
    p = tmp_path / "g.jsonl"
    text = "مطر في عمان وفي العقبة"
    ms = []
    for t, lat, lon in (("عمان", 31.95, 35.93), ("العقبة", 29.53, 35.0)):
        s = text.index(t)
        ms.append({"text": t, "start_offset": s, "end_offset": s + len(t), "type": "City/town",
                   "osm_json": {"lat": str(lat), "lon": str(lon)}})
    ms.append({"text": "مطر", "startIdx": 0, "endIdx": 3, "type": "OTHR"})  # LMR style, no coordinates
    p.write_text(json.dumps({"text": text, "location_mentions": ms}, ensure_ascii=False) + "\n", encoding="utf-8")

    def predict(t):
        s = t.index("عمان")
        # Amman put 100 km north-east; a second predicted mention on no gold
        return [(s, s + 4, {"lat": 31.95 + 0.64, "lon": 35.93 + 0.75}), (t.index("في"), t.index("في") + 2,
                                                                           {"lat": 0.0, "lon": 0.0})]
    r = evaluate_geo(str(p), predict=predict)
    assert r["gold"] == 3 and r["with_coords"] == 2 and r["found"] == 1
    assert r["found_share"] == pytest.approx(1 / 3)
    assert r["acc161"] == pytest.approx(0.5)          # Amman within 161 km; Aqaba not found
    assert 80 < r["median_km"] < 120
    assert r["predicted"] == 2 and r["predicted_on_gold"] == 1


def test_geoparser_on_fixture_dataset():
    r = evaluate_geo(GEO)                              # a directory: every *.jsonl under it
    assert r["files"] == 1 and r["texts"] == 3
    assert r["gold"] == 5 and r["with_coords"] == 5
    # الزرقاء، #الأردن، #حفر_الباطن (hashtag with underscore), الرياض are found; the street is not
    assert r["found"] == 4
    assert r["acc161"] == pytest.approx(0.8)
    assert r["median_km"] < 50
    assert r["by_type"]["Road/street"]["found"] == 0
    out = format_geo(r)
    assert "acc@161km" in out and "median error" in out and "Road/street" in out


def test_keep_errors_lists_misses():
    r = evaluate_geo([SAMPLE], keep_errors=True)
    assert [e["gold"]["text"] for e in r["errors"]] == ["شارع الملك فهد"]
    assert r["errors"][0]["pred"] is None


def test_cli_eval_geo():
    from click.testing import CliRunner

    from raqib.cli import main
    res = CliRunner().invoke(main, ["eval-geo", SAMPLE])
    assert res.exit_code == 0, res.output
    assert "acc@161km" in res.output and "0.800" in res.output
