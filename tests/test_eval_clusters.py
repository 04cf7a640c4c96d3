"""The cluster scorer (`raqib eval-clusters`) on small hand-computed cases."""
from raqib.eval.clusters import score

GOLD = [
    {"id": "P1", "claims": [{"article": "a", "start": 0, "end": 20}, {"article": "b", "start": 10, "end": 30},
                            {"article": "c", "start": 0, "end": 10}], "contradicts": ["P2"]},
    {"id": "P2", "claims": [{"article": "a", "start": 40, "end": 60}, {"article": "d", "start": 0, "end": 30}],
     "contradicts": ["P1"]},
]


def claim(article, s, e):
    return {"article": article, "content": {"start": s, "end": e}}


def test_perfect_prediction():
    pred = [{"id": 1, "claims": [claim("a", 0, 20), claim("b", 10, 30), claim("c", 0, 10)],
             "relations": [{"type": "contradicts", "cluster": 2}]},
            {"id": 2, "claims": [claim("a", 40, 60), claim("d", 0, 30)], "relations": [{"type": "contradicts", "cluster": 1}]}]
    r = score(GOLD, pred)
    assert r["claims"]["matched"] == 5
    assert r["pairs"]["f1"] == 1.0 and r["pairs"]["f1_all"] == 1.0
    assert r["contradictions"]["recall"] == 1.0 and r["contradictions"]["precision"] == 1.0


def test_split_cluster_missing_claim_and_no_relation():
    # P1 split in two clusters, c's claim not found (span overlaps too little), no contradiction
    pred = [{"id": 1, "claims": [claim("a", 0, 20)], "relations": []},
            {"id": 3, "claims": [claim("b", 12, 30), claim("c", 8, 40)], "relations": []},
            {"id": 2, "claims": [claim("a", 40, 60), claim("d", 0, 30)], "relations": []}]
    r = score(GOLD, pred)
    assert r["claims"]["matched"] == 4                 # c: overlap 2 of min(10, 32) < half
    p = r["pairs"]
    assert (p["tp"], p["fp"], p["fn"]) == (1, 0, 1)   # (a,b) missed, (a,d) found
    assert p["recall_all"] == round(1 / 4, 3)          # gold pairs: 3 in P1 + 1 in P2
    c = r["contradictions"]
    assert (c["reachable"], c["found"], c["recall"]) == (1, 0, 0.0)


def test_a_wrong_merge_is_a_false_positive():
    pred = [{"id": 1, "claims": [claim("a", 0, 20), claim("b", 10, 30), claim("c", 0, 10), claim("a", 40, 60),
                                 claim("d", 0, 30)], "relations": []}]
    p = score(GOLD, pred)["pairs"]
    assert (p["tp"], p["fp"], p["fn"]) == (4, 6, 0) and p["precision"] == 0.4
