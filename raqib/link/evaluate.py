"""Measurements of the relation layer.

`eval_pairs(path)`: the ANS stance corpus (Khouja 2020; `stance/{train,dev}.csv`, columns
s1,s2,stance with agree / disagree / other) read as paraphrase / contradiction / other; the pair
classifier (`relations.classify`) labels each dev pair; macro-F1, accuracy, per-class P/R/F1 and
the confusion matrix.

`eval_stance(path)`: Baly et al. 2018 (Syria claims with retrieved Arabic articles; stance of each
article toward the claim: agree / disagree / discuss / unrelated). The article's lines are ranked by
lexical overlap with the claim; the best lines are compared with the claim by embedding cosine and
the pair features; relatedness, then disagreement (opposition signals: polarity, dispute words,
negation) and agreement vs mere discussion (how closely the best line restates the claim) decide
the label. Macro-F1 over the four classes and over agree/disagree, per fold.
"""
from __future__ import annotations

import ast
import csv
import json
from pathlib import Path

import numpy as np

from .embed import embed_parallel, get_embedder
from .lexical import polarity, stems_of, view
from .relations import LABELS, MODEL, classify, features, fit, pair_model

ANS_MAP = {"agree": "paraphrase", "disagree": "contradiction", "other": "other"}


def _ans_file(path, split: str) -> Path:
    p = Path(path)
    if p.is_file():
        return p
    for cand in (p / "stance" / f"{split}.csv", p / f"{split}.csv"):
        if cand.exists():
            return cand
    raise FileNotFoundError(f"no ANS stance {split}.csv under {path}")


def load_ans(path, split: str = "dev") -> list[dict]:
    with open(_ans_file(path, split), encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r.get("stance") in ANS_MAP]


def _pair_matrix(rows, workers: int):
    texts = [r["s1"] for r in rows] + [r["s2"] for r in rows]
    E = embed_parallel(texts, workers=workers)
    n = len(rows)
    cos = (E[:n] * E[n:]).sum(axis=1)
    X = [features(view(r["s1"]), view(r["s2"]), float(c)) for r, c in zip(rows, cos)]
    return np.asarray(X), cos


def scores(gold: list[str], pred: list[str], labels) -> dict:
    out, f1s = {}, []
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        out[lab] = {"precision": round(pr, 4), "recall": round(rc, 4), "f1": round(f1, 4),
                    "support": sum(g == lab for g in gold)}
        f1s.append(f1)
    confusion = {g: {p: sum(x == g and y == p for x, y in zip(gold, pred)) for p in labels} for g in labels}
    return {"n": len(gold), "macro_f1": round(sum(f1s) / len(f1s), 4),
            "accuracy": round(sum(g == p for g, p in zip(gold, pred)) / (len(gold) or 1), 4),
            "per_class": out, "confusion": confusion}


def train_pair_model(path, workers: int = 2, out: Path = MODEL) -> dict:
    """Fit the pair classifier on the ANS train split, report dev, write `pair_model.json`."""
    train, dev = load_ans(path, "train"), load_ans(path, "dev")
    Xt, _ = _pair_matrix(train, workers)
    yt = [LABELS.index(ANS_MAP[r["stance"]]) for r in train]
    Xd, _ = _pair_matrix(dev, workers)
    gold = [ANS_MAP[r["stance"]] for r in dev]
    best = None
    for l2 in (1e-3, 1e-2, 1e-1):
        m = fit(Xt, yt, l2=l2)
        s = scores(gold, m.predict(Xd), LABELS)
        if best is None or s["macro_f1"] > best[1]["macro_f1"]:
            best = (m, s, l2)
    m, s, l2 = best
    Path(out).write_text(m.to_json(trained_on="ANS stance train (Khouja 2020, Apache-2.0)", l2=l2,
                                   embedder=get_embedder().name, dev_macro_f1=s["macro_f1"]), encoding="utf-8")
    pair_model.cache_clear()
    return s


def eval_pairs(path, workers: int = 2) -> dict:
    dev = load_ans(path, "dev")
    X, cos = _pair_matrix(dev, workers)
    gold = [ANS_MAP[r["stance"]] for r in dev]
    m = pair_model()
    if m is not None:
        pred = m.predict(X)
    else:
        pred = [classify(r["s1"], r["s2"], float(c))[0] for r, c in zip(dev, cos)]
    out = scores(gold, pred, LABELS)
    out["embedder"] = get_embedder().name
    out["model"] = "pair_model.json" if m is not None else "rules"
    return out


# -- Baly et al. 2018 ------------------------------------------------------------------------------

BALY_LABELS = ("agree", "disagree", "discuss", "unrelated")


def _listish(v):
    if isinstance(v, list):
        return v
    try:
        return ast.literal_eval(v)
    except (ValueError, SyntaxError):
        return json.loads(v)


def load_baly(path) -> list[dict]:
    p = Path(path)
    files = sorted(p.glob("*.jsonl")) if p.is_dir() else [p]
    out = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                d = json.loads(line)
                arts, stances = _listish(d["article"]), _listish(d["stance"])
                for i, (a, s) in enumerate(zip(arts, stances)):
                    out.append({"claim_id": d["id"], "claim": d["claim"], "article": a or "", "stance": s,
                                "fold": d.get("fold")})
    return out


def _lines(text: str) -> list[str]:
    import re
    parts = []
    for line in (text or "").split("\n"):
        parts += [s for s in re.split(r"(?<=[.!؟?])\s+", line) if len(s.strip()) > 15]
    return parts[:200]


def baly_features(claim: str, article: str, k: int = 2):
    """The claim's view and the article's k lines closest to it by stem overlap: (overlap, line,
    view of the line), best first; and the number of lines."""
    cv = view(claim)
    lines = _lines(article)
    scored = []
    for ln in lines:
        inter = len(cv.stems & stems_of(ln))
        scored.append((inter / (len(cv.stems) or 1), ln))
    scored.sort(key=lambda t: -t[0])
    return cv, [(ov, ln, view(ln)) for ov, ln in scored[:k]], len(lines)


def eval_stance(path, workers: int = 2, relate_at: float = 0.3, agree_at: float = 0.5,
                limit: int | None = None) -> dict:
    """Baly article-vs-claim stance macro-F1 (see module docstring)."""
    pairs = load_baly(path)
    if limit:
        pairs = pairs[:limit]
    prepared = [baly_features(p["claim"], p["article"]) for p in pairs]
    # embed the claim and its best line for pairs that pass the lexical relatedness bar
    todo = [i for i, (_, best, _) in enumerate(prepared) if best and best[0][0] >= relate_at]
    texts = []
    for i in todo:
        texts += [pairs[i]["claim"], prepared[i][1][0][1]]
    E = embed_parallel(texts, workers=workers) if texts else np.zeros((0, 384))
    cos = {i: float(E[2 * j] @ E[2 * j + 1]) for j, i in enumerate(todo)}
    m = pair_model()
    pred = []
    for i, (cv, best, _) in enumerate(prepared):
        if i not in cos:
            pred.append("unrelated")
            continue
        ov, line, lv = best[0]
        c = cos[i]
        if c < 0.84:
            pred.append("unrelated")
            continue
        f = features(cv, lv, c)
        opposed = polarity(None, cv) != polarity(None, lv)
        p_con = m.proba([f])[0][1] if m is not None else 0.0
        if opposed or (p_con > 0.6 and (f[5] or f[9])):
            pred.append("disagree")
        elif ov >= agree_at and c >= 0.88:
            pred.append("agree")
        else:
            pred.append("discuss")
    gold = [p["stance"] for p in pairs]
    out = scores(gold, pred, BALY_LABELS)
    ad = scores([g for g in gold], pred, ("agree", "disagree"))
    out["macro_f1_agree_disagree"] = ad["macro_f1"]
    out["embedder"] = get_embedder().name
    out["thresholds"] = {"relate_overlap": relate_at, "agree_overlap": agree_at}
    return out
