#!/usr/bin/env python3
"""Build raqib/lang/ar/word_clusters.tsv: unsupervised word classes for the name tagger.

Learnt from unlabelled Arabic news (the ANT corpus sample, shared `data/news-ant-2018-dev.jsonl`, titles and
texts), no labels and no download:
  1. every text is tokenised by `segment.tokenize`; a token's form is its normalised form (Latin lower-cased,
     digits → 0);
  2. the words seen at least `--min-count` times are the vocabulary; their contexts are the forms at positions
     −2, −1, +1, +2 among the `--contexts` most frequent forms (one dimension per position and form);
  3. the word × context counts are weighted by positive PMI (context counts smoothed by ^0.75) and reduced to
     `--dim` dimensions by truncated SVD (scipy), rows scaled to unit length;
  4. spherical k-means (numpy, k-means++ seeding, fixed seed) gives three independent partitions of 64, 256
     and 1024 classes.
Output: `form<TAB>c64<TAB>c256<TAB>c1024` per word, most frequent first.

    python3 scripts/build_word_clusters.py            # ≈ 2 minutes
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from raqib.text.segment import tokenize  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared")
OUT = os.path.join(ROOT, "raqib", "lang", "ar", "word_clusters.tsv")
_DIG = re.compile(r"[0-9]")


def form(tok) -> str:
    """The form a token is clustered (and looked up) by."""
    s = tok.norm
    if s and "a" <= s[0].lower() <= "z":
        s = s.lower()
    return _DIG.sub("0", s)


def kmeans(x: np.ndarray, k: int, seed: int, iters: int = 25) -> np.ndarray:
    """Spherical k-means over unit rows of x (k-means++ seeding); the class of every row."""
    rng = np.random.default_rng(seed)
    n = len(x)
    cent = [x[rng.integers(n)]]
    d = 1 - x @ cent[0]
    for _ in range(1, k):  # k-means++ on cosine distance
        p = np.maximum(d, 0) ** 2
        c = x[rng.choice(n, p=p / p.sum())]
        cent.append(c)
        d = np.minimum(d, 1 - x @ c)
    cent = np.array(cent)
    lab = None
    for _ in range(iters):
        new = np.argmax(x @ cent.T, axis=1)
        if lab is not None and (new == lab).mean() > 0.999:
            lab = new
            break
        lab = new
        for j in range(k):
            m = lab == j
            if m.any():
                v = x[m].sum(0)
                cent[j] = v / (np.linalg.norm(v) or 1)
    return lab


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="+", default=[os.path.join(SHARED, "data/news-ant-2018-dev.jsonl")])
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--contexts", type=int, default=3000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args(argv)
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import svds

    t0 = time.time()
    seqs = []
    for path in a.corpus:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                for txt in (d.get("title") or "", d.get("text") or ""):
                    if txt:
                        seqs.append([form(t) for t in tokenize(txt)])
    cnt = Counter(w for s in seqs for w in s)
    vocab = [w for w, c in cnt.most_common() if c >= a.min_count and any(ch.isalpha() for ch in w)]
    vid = {w: i for i, w in enumerate(vocab)}
    ctx = [w for w, _ in cnt.most_common(a.contexts)]
    cid = {w: i for i, w in enumerate(ctx)}
    nc = len(ctx)
    rows, cols = [], []
    for s in seqs:
        ids = [vid.get(w, -1) for w in s]
        cs = [cid.get(w, -1) for w in s]
        n = len(s)
        for i, v in enumerate(ids):
            if v < 0:
                continue
            for slot, off in enumerate((-2, -1, 1, 2)):
                j = i + off
                c = cs[j] if 0 <= j < n else -1
                if c >= 0:
                    rows.append(v)
                    cols.append(slot * nc + c)
    m = coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(len(vocab), 4 * nc)).tocsr()
    m.sum_duplicates()
    print(f"{sum(map(len, seqs))} tokens, {len(vocab)} words, {m.nnz} cells in {time.time() - t0:.0f}s", flush=True)
    total = m.sum()
    rs = np.asarray(m.sum(1)).ravel()
    cs = np.asarray(m.sum(0)).ravel() ** 0.75
    cs = cs / cs.sum()
    m = m.tocoo()
    pmi = np.log(m.data / total / (rs[m.row] / total) / np.maximum(cs[m.col], 1e-12))
    keep = pmi > 0
    ppmi = coo_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape).tocsr()
    u, sv, _ = svds(ppmi, k=a.dim, random_state=a.seed)
    x = u * np.sqrt(sv)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    x = x.astype(np.float32)
    labs = [kmeans(x, k, a.seed + k) for k in (64, 256, 1024)]
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Word classes for the name tagger, learnt without labels from the ANT news corpus sample "
                "(scripts/build_word_clusters.py).\n# form<TAB>class of 64<TAB>class of 256<TAB>class of 1024\n")
        for i, w in enumerate(vocab):
            f.write(f"{w}\t{labs[0][i]}\t{labs[1][i]}\t{labs[2][i]}\n")
    print(f"{len(vocab)} words → {a.out} ({os.path.getsize(a.out) / 1e6:.2f} MB) in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
