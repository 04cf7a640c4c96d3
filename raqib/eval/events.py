"""Score merged events (`raqib events --json`) against hand-made gold.

Gold (`eval/events/gold.jsonl`): one incident per line, `{"id", "type", "date", "place": {"name",
"lat", "lon", "country"}, "mentions": [{"article", "start", "end"}]}` over the articles of
`eval/events/articles.jsonl` (made-up reports, several outlets per incident).

A predicted mention matches a gold mention of the same article when their spans overlap or lie in
the same sentence (different words of one sentence report the same incident: غارات / طائرات حربية);
each gold mention matches at most one predicted mention, the nearest.

Reported:
  mentions    gold mentions, found (matched), recall; predicted mentions, precision
  merge       pairwise F1 over the matched mentions: two mentions are a pair when they are in the
              same gold event; predicted pairs when they are in the same predicted event
  type        share of matched gold mentions whose predicted event has the gold type
  date        ... whose predicted event date agrees with the gold date (the gold's precision:
              2019-12 accepts any day of December 2019)
  place       ... whose predicted event place is within 25 km of the gold place

    python -m raqib.eval.events eval/events/gold.jsonl                # ingest articles.jsonl next to it
    python -m raqib.eval.events eval/events/gold.jsonl --pred events.jsonl --articles articles.jsonl
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from itertools import combinations
from pathlib import Path

PLACE_KM = 25.0


def _read_jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def predict(articles_path, ids: set | None = None) -> list[dict]:
    """Ingest the articles (only those in `ids` when given) into a throwaway SQLite store and
    export its events."""
    from ..ingest import ingest
    from ..store import open_store
    from ..store.events import list_events
    from .clusters import gold_articles

    with tempfile.TemporaryDirectory() as d:
        src = str(articles_path)
        if ids is not None:
            src = str(Path(d) / "articles.jsonl")
            gold_articles(articles_path, ids, src)
        with open_store(str(Path(d) / "events.db")) as store:
            ingest([src], store)
            return list_events(store, spans="all")


def evaluate(gold_path, articles_path=None, pred_path=None) -> dict:
    """Score `raqib events --json` output (or a fresh ingest of the gold's articles)."""
    gold = _read_jsonl(gold_path)
    arts_path = articles_path or str(Path(gold_path).with_name("articles.jsonl"))
    ids = {str(m["article"]) for g in gold for m in g["mentions"]}
    texts = {}
    with open(arts_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                x = json.loads(line)
                if str(x.get("id")) in ids:
                    texts[str(x["id"])] = x["text"]
    pred = _read_jsonl(pred_path) if pred_path else predict(arts_path, ids)
    if pred_path:      # an export of a bigger store: keep the mentions of the gold's articles
        for e in pred:
            e["mentions"] = [m for m in e.get("mentions") or [] if str(m["article"]) in ids]
        pred = [e for e in pred if e["mentions"]]
    return score(gold, pred, texts)


def score(gold: list[dict], pred: list[dict], texts: dict) -> dict:
    from ..kb.gazetteer import haversine
    from ..text.segment import sentences

    sent_of: dict = {}

    def sentence(article, pos):
        if article not in sent_of:
            sent_of[article] = sentences(texts.get(article, ""))
        for i, (s, e) in enumerate(sent_of[article]):
            if s <= pos < e:
                return i
        return -1

    pm = [(pi, m) for pi, e in enumerate(pred) for m in e.get("mentions") or []]
    used = set()
    matched = []          # (gold event index, predicted event index)
    n_gold = 0
    for gi, g in enumerate(gold):
        for m in g["mentions"]:
            n_gold += 1
            best = None
            for k, (pi, p) in enumerate(pm):
                if k in used or str(p["article"]) != str(m["article"]):
                    continue
                overlap = p["start"] < m["end"] and m["start"] < p["end"]
                same = sentence(m["article"], m["start"]) == sentence(m["article"], p["start"]) != -1
                if overlap or same:
                    d = 0 if overlap else abs(p["start"] - m["start"])
                    if best is None or d < best[0]:
                        best = (d, k, pi)
            if best is not None:
                used.add(best[1])
                matched.append((gi, best[2]))
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in combinations(matched, 2):
        same_g, same_p = g1 == g2, p1 == p2
        tp += same_g and same_p
        fp += same_p and not same_g
        fn += same_g and not same_p
    # gold pairs whose mentions were not found count as missed pairs
    n_gold_pairs = sum(len(g["mentions"]) * (len(g["mentions"]) - 1) // 2 for g in gold)
    fn_all = n_gold_pairs - tp
    prec = tp / (tp + fp) if tp + fp else (1.0 if n_gold_pairs == 0 else 0.0)
    rec = tp / n_gold_pairs if n_gold_pairs else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    ok = {"type": 0, "date": 0, "place": 0}
    for gi, pi in matched:
        g, p = gold[gi], pred[pi]
        ok["type"] += g["type"] == p["type"]
        gd, pd = str(g.get("date") or ""), str(p.get("date") or "")
        ok["date"] += bool(gd) and pd.startswith(gd) if len(gd) < 10 else gd == pd
        gp, pp = g.get("place") or {}, p.get("place") or {}
        if None not in (gp.get("lat"), gp.get("lon"), pp.get("lat"), pp.get("lon")):
            ok["place"] += haversine(gp["lat"], gp["lon"], pp["lat"], pp["lon"]) <= PLACE_KM
    n = len(matched)
    return {
        "gold_events": len(gold), "pred_events": len(pred),
        "gold_mentions": n_gold, "found": n, "mention_recall": _r(n / n_gold if n_gold else 0),
        "pred_mentions": len(pm), "mention_precision": _r(n / len(pm) if pm else 0),
        "merge": {"pairs_gold": n_gold_pairs, "tp": tp, "fp": fp, "fn": fn_all, "precision": _r(prec),
                  "recall": _r(rec), "f1": _r(f1)},
        "type_accuracy": _r(ok["type"] / n if n else 0), "date_accuracy": _r(ok["date"] / n if n else 0),
        "place_accuracy": _r(ok["place"] / n if n else 0),
    }


def _r(x):
    return round(float(x), 3)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m raqib.eval.events", description=__doc__.split("\n")[0])
    ap.add_argument("gold")
    ap.add_argument("--articles", help="the articles the gold is about (default: articles.jsonl next to gold)")
    ap.add_argument("--pred", help="`raqib events --json` output (default: ingest the articles and export)")
    a = ap.parse_args(argv)
    json.dump(evaluate(a.gold, a.articles, a.pred), sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
