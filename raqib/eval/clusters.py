"""Score claim clusters (`raqib clusters --json`) against hand-made gold.

Gold (e.g. `eval/ant-gold/clusters.jsonl`): one proposition per line, `{"id", "label", "claims":
[{"article", "start", "end", "text", "speaker", "stance"}], "contradicts": [ids], "corroborates":
[ids]}`; the claims' offsets are into the `text` of the articles file (by `id`).

A predicted claim matches a gold claim of the same article when their content spans overlap by at
least half of the shorter span (as `raqib eval` matches claims); each gold claim takes the best
overlap, each predicted claim serves one gold claim.

Reported:
  claims          gold claims, matched, recall
  pairs           pairwise clustering over the matched gold claims: a pair is positive in the gold
                  when both claims state the same proposition, predicted when both are in one
                  predicted cluster: precision, recall, F1; `recall_all` counts the pairs of
                  unmatched gold claims as missed too
  contradictions  gold contradicting proposition pairs; found when a predicted `contradicts`
                  relation links clusters holding a claim of each: recall over the pairs whose two
                  propositions have a matched claim, and over all; precision of the predicted
                  contradictions between clusters that hold matched gold claims

    raqib eval-clusters eval/ant-gold/clusters.jsonl --articles ANT.jsonl   # ingest + cluster those articles
    raqib eval-clusters GOLD --articles ANT.jsonl --pred clusters.jsonl     # score an export
"""
from __future__ import annotations

import json
import tempfile
from itertools import combinations
from pathlib import Path


def read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def gold_articles(articles_path, ids: set, out_path) -> int:
    """Write the articles named by the gold to `out_path`; how many were found."""
    n = 0
    with open(articles_path, encoding="utf-8") as f, open(out_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            a = json.loads(line)
            if str(a.get("id")) in ids:
                out.write(json.dumps(a, ensure_ascii=False) + "\n")
                n += 1
    return n


def predict(articles_path, ids: set) -> list[dict]:
    """Ingest the gold's articles into a throwaway store, cluster, export."""
    from ..ingest import ingest
    from ..link.cluster import cluster_store, export
    from ..store import open_store

    with tempfile.TemporaryDirectory() as d:
        sub = Path(d) / "articles.jsonl"
        gold_articles(articles_path, ids, sub)
        with open_store(str(Path(d) / "clusters.db")) as store:
            ingest([str(sub)], store)
            cluster_store(store, workers=1)
            return export(store)


def _overlap(a0, a1, b0, b1) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def score(gold: list[dict], pred: list[dict]) -> dict:
    # predicted claims by article: (start, end, cluster id)
    by_art: dict = {}
    rel = set()
    for c in pred:
        for m in c.get("claims") or []:
            by_art.setdefault(str(m["article"]), []).append((m["content"]["start"], m["content"]["end"], c["id"]))
        for r in c.get("relations") or []:
            if r.get("type") == "contradicts":
                rel.add(frozenset((c["id"], r["cluster"])))
    gclaims = [(p["id"], c) for p in gold for c in p["claims"]]
    used, match = set(), {}            # gold claim index -> predicted cluster
    cands = []
    for gi, (_, g) in enumerate(gclaims):
        for pi, (s, e, cl) in enumerate(by_art.get(str(g["article"]), [])):
            ov = _overlap(g["start"], g["end"], s, e)
            if ov and ov * 2 >= min(g["end"] - g["start"], e - s):
                cands.append((-ov, gi, (str(g["article"]), pi), cl))
    for _, gi, pk, cl in sorted(cands, key=lambda x: (x[0], x[1])):
        if gi in match or pk in used:
            continue
        used.add(pk)
        match[gi] = cl
    tp = fp = fn = 0
    for i, j in combinations(sorted(match), 2):
        same_g = gclaims[i][0] == gclaims[j][0]
        same_p = match[i] == match[j]
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    gold_pairs = sum(len(p["claims"]) * (len(p["claims"]) - 1) // 2 for p in gold)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    rec_all = tp / gold_pairs if gold_pairs else 0.0
    # contradictions
    clusters_of: dict = {}
    for gi, cl in match.items():
        clusters_of.setdefault(gclaims[gi][0], set()).add(cl)
    gpairs = {frozenset((p["id"], q)) for p in gold for q in p.get("contradicts") or []}
    found = reachable = 0
    for pair in gpairs:
        a, b = tuple(pair)
        ca, cb = clusters_of.get(a, set()), clusters_of.get(b, set())
        if ca and cb:
            reachable += 1
            found += any(frozenset((x, y)) in rel for x in ca for y in cb)
    prop_of_cluster: dict = {}
    for prop, cls in clusters_of.items():
        for cl in cls:
            prop_of_cluster.setdefault(cl, set()).add(prop)
    pred_c = [r for r in rel if all(cl in prop_of_cluster for cl in r)]
    right = 0
    for r in pred_c:
        x, y = tuple(r)
        right += any(frozenset((p, q)) in gpairs for p in prop_of_cluster[x] for q in prop_of_cluster[y])
    n = len(gclaims)
    return {
        "claims": {"gold": n, "matched": len(match), "recall": _r(len(match) / n if n else 0)},
        "pairs": {"gold_pairs": gold_pairs, "tp": tp, "fp": fp, "fn": fn, "precision": _r(prec), "recall": _r(rec),
                  "f1": _r(2 * prec * rec / (prec + rec) if prec + rec else 0), "recall_all": _r(rec_all),
                  "f1_all": _r(2 * prec * rec_all / (prec + rec_all) if prec + rec_all else 0)},
        "contradictions": {"gold_pairs": len(gpairs), "reachable": reachable, "found": found,
                           "recall": _r(found / reachable if reachable else 0),
                           "recall_all": _r(found / len(gpairs) if gpairs else 0),
                           "predicted": len(pred_c), "correct": right,
                           "precision": _r(right / len(pred_c) if pred_c else 0)},
        "pred_clusters": len(pred),
    }


def _r(x):
    return round(float(x), 3)


def evaluate(gold_path, articles_path, pred_path=None) -> dict:
    gold = read_jsonl(gold_path)
    ids = {str(c["article"]) for p in gold for c in p["claims"]}
    pred = read_jsonl(pred_path) if pred_path else predict(articles_path, ids)
    return score(gold, pred)
