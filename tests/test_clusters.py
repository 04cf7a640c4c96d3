"""Claims across articles: clusters, relay chains, contradictions (raqib.link), on both back ends.

Fixture: tests/fixtures/clusters/douma.jsonl, made-up articles — the Russian defence ministry's
"staged attack" claim and two outlets relaying it, the civil defence's denial, the OPCW confirming
chlorine use, and an unrelated oil-price statement.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from raqib.article import Article
from raqib.link.lexical import polarity, view
from raqib.pipeline import analyze

FIX = Path(__file__).resolve().parent / "fixtures" / "clusters"
ARTICLES = [json.loads(line) for line in (FIX / "douma.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def douma_records():
    return {a["id"]: analyze(Article(text=a["text"], id=a["id"], title=a["title"], published=a["published"],
                                     source=a["source"])).to_dict() for a in ARTICLES}


def _fill(store, records, ids):
    for i in ids:
        assert store.add_article(json.loads(json.dumps(records[i]))) == "stored"


def _by_article(clusters):
    out = {}
    for c in clusters:
        for m in c["claims"]:
            out.setdefault(m["article"], []).append(c)
    return out


def test_polarity_of_staged_denied_and_confirmed():
    assert polarity("deny", view("الهجوم الكيماوي في دوما مسرحية مفبركة"), "قالت") == -1
    assert polarity("deny", view("الاتهامات الروسية بفبركة الهجوم"), "نفى") == 1
    assert polarity("confirm", view("غاز الكلور استخدم في دوما"), "أكدت") == 1
    assert polarity("deny", view("استخدام السلاح الكيماوي"), "نفت") == -1
    assert polarity(None, view("هذه الأنباء لا أساس لها من الصحة")) == -1


def test_clusters_relays_and_contradictions(store, douma_records):
    from raqib.link.cluster import claim_view, cluster_store, export

    _fill(store, douma_records, [a["id"] for a in ARTICLES])
    info = cluster_store(store, workers=1)
    assert info["claims"] == sum(len(r["claims"]) for r in douma_records.values())
    clusters = export(store)
    by_art = _by_article(clusters)
    ru = by_art["ru-mod-1"][0]
    # the ministry's claim and both relays: one cluster, first appearance the ministry's own statement
    assert {m["article"] for m in ru["claims"]} == {"ru-mod-1", "relay-sputnik-2", "relay-rt-3"}
    assert ru["claims"][0]["article"] == "ru-mod-1"
    vias = {m["article"]: m["via"] for m in ru["claims"]}
    assert vias["relay-sputnik-2"] == ["وكالة سبوتنيك"] and vias["relay-rt-3"] == ["قناة روسيا اليوم"]
    for m in ru["claims"]:     # offsets are into each article's text
        text = douma_records[m["article"]]["text"]
        assert "مسرحية" in text[m["content"]["start"]:m["content"]["end"]]
    opcw = by_art["opcw-5"][0]
    denial = next(c for c in by_art["wh-denial-4"] if "بفبركة" in c["label"])
    assert opcw["id"] != ru["id"] and denial["id"] != ru["id"]
    contra = {r["cluster"] for r in ru["relations"] if r["type"] == "contradicts"}
    assert opcw["id"] in contra and denial["id"] in contra
    assert {"type": "contradicts", "cluster": ru["id"]} in opcw["relations"]
    oil = by_art["oil-6"][0]
    assert oil["size"] == 1 and not any(r["type"] == "contradicts" for r in oil["relations"])
    # raqib claim: the relay chain, the first appearance, what contradicts it
    v = claim_view(store, "relay-rt-3:C1")
    assert v["cluster"]["id"] == ru["id"]
    assert [s["article"] for s in v["chain"]] == ["ru-mod-1", "relay-sputnik-2", "relay-rt-3"]
    assert v["first"]["article"] == "ru-mod-1"
    assert {r["cluster"] for r in v["contradicted_by"]} >= {opcw["id"], denial["id"]}


def test_incremental_clustering_extends_clusters(store, douma_records):
    from raqib.link.cluster import cluster_store, export

    _fill(store, douma_records, ["ru-mod-1", "opcw-5"])
    first = cluster_store(store, workers=1)
    ru_id = _by_article(export(store))["ru-mod-1"][0]["id"]
    _fill(store, douma_records, ["relay-sputnik-2", "relay-rt-3", "oil-6"])
    second = cluster_store(store, workers=1)
    assert second["embedded"] == second["claims"] - first["claims"]       # only the new claims
    assert second["new_members"] == second["claims"] - first["claims"]
    ru = _by_article(export(store))["ru-mod-1"][0]
    assert ru["id"] == ru_id and ru["size"] == 3
    again = cluster_store(store, workers=1)
    assert again["embedded"] == 0 and again["new_members"] == 0
    rebuilt = cluster_store(store, workers=1, rebuild=True)
    assert rebuilt["embedded"] == 0 and rebuilt["new_members"] == rebuilt["claims"]
    assert _by_article(export(store))["ru-mod-1"][0]["size"] == 3


def test_lexical_fallback_runs(store, douma_records):
    from raqib.link.cluster import cluster_store, export

    _fill(store, douma_records, [a["id"] for a in ARTICLES])
    info = cluster_store(store, workers=1, backend="lexical")
    assert info["embedder"] == "lexical"
    assert sum(c["size"] for c in export(store)) == info["claims"]


def test_cli_clusters_claim_and_eval_pairs(store_url, douma_records, cli):
    from click.testing import CliRunner

    from raqib.cli_clusters import register
    from raqib.store import open_store

    register(cli)
    with open_store(store_url) as s:
        _fill(s, douma_records, [a["id"] for a in ARTICLES])
    r = CliRunner().invoke(cli, ["clusters", "--db", store_url, "--json", "--workers", "1"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert lines and all({"id", "label", "claims", "relations"} <= set(x) for x in lines)
    for x in lines:
        for m in x["claims"]:
            assert {"article", "content", "speaker", "stance"} <= set(m)
            assert {"start", "end"} <= set(m["content"])
        for rel in x["relations"]:
            assert rel["type"] in ("contradicts", "corroborates")
    r = CliRunner().invoke(cli, ["claim", "relay-sputnik-2:C1", "--db", store_url])
    assert r.exit_code == 0, r.output
    assert "CONTRADICTED BY" in r.stdout and "outlet-c" in r.stdout
    r = CliRunner().invoke(cli, ["claim", "999999", "--db", store_url])
    assert r.exit_code != 0
    r = CliRunner().invoke(cli, ["eval-pairs", str(FIX / "pairs.csv"), "--workers", "1"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["n"] == 4 and 0.0 <= out["macro_f1"] <= 1.0
