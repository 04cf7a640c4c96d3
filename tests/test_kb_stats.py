"""raqib kb stats: sizes of the knowledge base and the gazetteer."""
from raqib.kb.stats import format_stats, kb_stats


def test_kb_stats_counts():
    d = kb_stats()
    assert d["entities"] > 1000
    assert d["entities_by_type"].get("PER", 0) > 400 and d["entities_by_type"].get("ORG", 0) > 400
    assert d["names_ar"] > d["entities"] and d["aliases_ar"] > 1000 and d["names_latin"] > 1000
    assert d["roles"] > 500 and d["role_holders"] > 100
    assert d["places"] > 12000
    assert d["syria_places"] > 7000 and d["syria_places_ar"] > 7000
    assert d["syria_by_kind"]["governorate"] == 14 and d["syria_by_kind"]["district"] == 62
    assert d["countries"] >= 190
    assert d["place_names_ar"] >= d["places"]
    assert d["arabic_names_total"] == d["names_ar"] + d["place_names_ar"]
    assert sum(d["places_by_kind"].values()) == d["places"]


def test_format_stats():
    out = format_stats(kb_stats())
    for word in ("entities", "Syrian places", "countries", "Arabic place names", "roles"):
        assert word in out


def test_cli_kb_stats():
    from click.testing import CliRunner

    from raqib.cli import main
    res = CliRunner().invoke(main, ["kb", "stats"])
    assert res.exit_code == 0, res.output
    assert "Syrian places" in res.output
