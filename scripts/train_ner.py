#!/usr/bin/env python3
"""Train the name tagger (raqib/kb/ner.crfsuite) and print held-out figures.

Training data (see raqib/kb/SOURCES.md, "Name tagger"):
  * NewsFANE Gold (CC BY-SA 3.0): all but its held-out 10% (`heldout_split`: by default one block of 20
    consecutive sentences in every 10 blocks, drawn with a fixed seed; never trained on); its 20-sentence
    blocks stand for documents (document features);
  * Wojood sample train + val (MIT repository), outermost PER/ORG/LOC layer;
  * the in-domain annotated articles (eval/train.jsonl), gold mentions projected onto tokens, repeated
    `--repeat` times; every other copy without the knowledge-base features, since the KB holds the
    names of these articles and the model must not learn to expect a KB flag on every name.
Never dev.jsonl (measured only, with --dev).

    python3 scripts/train_ner.py                       # defaults point to ../shared (≈ 2.5 min)
    python3 scripts/train_ner.py --eval-only           # figures for the shipped model
    python3 scripts/train_ner.py --eval-only --write-heldout /tmp/newsfane-heldout.conll
    raqib eval-ner /tmp/newsfane-heldout.conll         # the same held-out figures through the CLI
    python3 scripts/train_ner.py --split last --out /tmp/last.crfsuite --dev ''   # the first split's figures
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from raqib.eval import ner as ev  # noqa: E402
from raqib.extract import ner  # noqa: E402
from raqib.text.normalize import normalize  # noqa: E402
from raqib.text.segment import _PROCLITICS, tokenize  # noqa: E402

SHARED = os.path.join(os.path.dirname(ROOT), "shared")
_PRO = set(_PROCLITICS) | {""}


def project(d: dict) -> tuple:
    """(text, tokens, IOB2 labels) of an annotated article: every occurrence of every mention, longest first."""
    text = d["text"]
    toks = tokenize(text)
    starts = [t.start for t in toks]
    labels = ["O"] * len(toks)
    ments = []
    for e in d.get("entities", []):
        if e.get("type") not in ner.TYPES:
            continue
        for m in e.get("mentions", []):
            if m:
                ments.append((m, e["type"]))
    ments.sort(key=lambda x: -len(x[0]))
    for m, typ in ments:
        pos = text.find(m)
        while pos >= 0:
            end = pos + len(m)
            i = bisect.bisect_right(starts, pos) - 1
            j = bisect.bisect_right(starts, end - 1) - 1
            ok = (i >= 0 and toks[j].end == end and normalize(text[toks[i].start:pos]) in _PRO
                  and all(labels[k] == "O" for k in range(i, j + 1)))
            if ok and pos > toks[i].start and not toks[i].is_word:
                ok = False
            if ok:
                labels[i] = "B-" + typ
                for k in range(i + 1, j + 1):
                    labels[k] = "I-" + typ
            pos = text.find(m, pos + 1)
    return text, toks, labels


def conll_items(sents, docs=None, use_kb=True):
    """(document number, features, labels, Prepared) per CoNLL sentence; `docs`: a document number per
    sentence (None: each alone)."""
    out = []
    docs = ev.doc_numbers(sents, docs)
    for d, (tokens, tags), (text, toks, idx, prep, dc) in zip(docs, sents, ev.prepare_docs(sents, docs, use_kb)):
        if not toks:
            continue
        labels = ev.labels_for(tokens, tags)[2]
        out.append((d, ner.token_features(toks, text, use_kb, doc=dc, prep=prep), labels, prep))
    return out


def heldout_split(n: int, how: str = "blocks", share: float = 0.1, block: int = 20, seed: int = 2014) -> tuple:
    """(train indices, held-out indices) of n NewsFANE sentences (file order).

    "blocks" (default): the file is cut into blocks of `block` consecutive sentences (block b = sentences
    b*block … b*block+block-1, the corpus has no document marks and consecutive sentences share an article),
    the blocks into strata of round(1/share) consecutive blocks, and one block per stratum is held out, drawn
    by random.Random(seed); so the held-out part is spread over the whole corpus, and no held-out sentence's
    immediate neighbours are trained on unless they sit across a block edge.
    "random": `share` of the sentences drawn by random.Random(seed) (neighbours of a held-out sentence, from
    the same article, are trained on: names leak, figures run high).
    "last": the last `share` of the sentences (the first split; a magazine section, unrepresentative)."""
    if how == "random":
        held = set(random.Random(seed).sample(range(n), round(n * share)))
        return [i for i in range(n) if i not in held], sorted(held)
    if how == "last":
        cut = int(n * (1 - share))
        return list(range(cut)), list(range(cut, n))
    rng = random.Random(seed)
    nblocks = (n + block - 1) // block
    per = max(1, round(1 / share))
    held = set()
    for s0 in range(0, nblocks, per):
        b = s0 + rng.randrange(min(per, nblocks - s0))
        held.update(range(b * block, min(n, (b + 1) * block)))
    return [i for i in range(n) if i not in held], sorted(held)


def write_conll(path: str, sents, docs=None) -> None:
    """Sentences as CoNLL (token TAG, blank line between sentences; `-DOCSTART-` where `docs` changes)."""
    with open(path, "w", encoding="utf-8") as f:
        for k, (toks, tags) in enumerate(sents):
            if docs is not None and (k == 0 or docs[k] != docs[k - 1]):
                f.write("-DOCSTART-\tO\n\n")
            for t, g in zip(toks, tags):
                f.write(f"{t}\t{g}\n")
            f.write("\n")


def train_crf(items, path: str, params: dict) -> None:
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for x, y in items:
        tr.append(x, y)
    tr.set_params(params)
    tr.train(path)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--newsfane", default=os.path.join(SHARED, "data/ner-newsfane-gold/NewsFANE_Gold_2014_170K.txt"))
    ap.add_argument("--wojood", default=os.path.join(SHARED, "data/ner-wojood-sample"),
                    help="folder with train.txt, val.txt (trained on) and test.txt (scored)")
    ap.add_argument("--train-jsonl", default=os.path.join(SHARED, "eval/train.jsonl"))
    ap.add_argument("--dev", default=os.path.join(SHARED, "eval/dev.jsonl"), help="measured only, never trained on")
    ap.add_argument("--out", default=ner.MODEL_PATH)
    ap.add_argument("--heldout", type=float, default=0.1, help="share of NewsFANE sentences held out")
    ap.add_argument("--split", choices=("blocks", "random", "last"), default="blocks",
                    help="blocks: one 20-sentence block in every 10, seeded (default); random: sentences drawn at random; "
                         "last: the last 10%%")
    ap.add_argument("--seed", type=int, default=2014, help="seed of the block draw")
    ap.add_argument("--write-heldout", metavar="FILE.conll",
                    help="write the held-out NewsFANE sentences (PER/ORG/LOC IOB2) for `raqib eval-ner`")
    ap.add_argument("--repeat", type=int, default=4, help="copies of the in-domain articles")
    ap.add_argument("--c1", type=float, default=0.1)
    ap.add_argument("--c2", type=float, default=0.05)
    ap.add_argument("--minfreq", type=float, default=2)
    ap.add_argument("--max-iter", type=int, default=300)
    ap.add_argument("--doc-block", type=int, default=20,
                    help="NewsFANE sentences per pseudo-document (document features), also the split's block")
    ap.add_argument("--no-wojood-train", dest="wojood_train", action="store_false",
                    help="train without the Wojood sample (it is still scored)")
    ap.add_argument("--eval-only", action="store_true")
    a = ap.parse_args(argv)

    nf = ev.read_conll(a.newsfane)
    tr_idx, te_idx = heldout_split(len(nf), a.split, a.heldout, block=a.doc_block, seed=a.seed)
    nf_train, nf_test = [nf[i] for i in tr_idx], [nf[i] for i in te_idx]
    # documents: NewsFANE has no document marks; its 20-sentence blocks of consecutive text stand for them
    tr_docs, te_docs = [i // a.doc_block for i in tr_idx], [i // a.doc_block for i in te_idx]
    assert not set(tr_idx) & set(te_idx)
    if a.write_heldout:
        write_conll(a.write_heldout, nf_test, te_docs)
    wj_test = ev.read_conll(os.path.join(a.wojood, "test.txt"))

    if not a.eval_only:
        t0 = time.time()
        wj = []
        for part in (("train.txt", "val.txt") if a.wojood_train else ()):
            p = os.path.join(a.wojood, part)
            if os.path.exists(p):
                wj += ev.read_conll(p, nested=True)
        # (features, labels) per sequence
        seqs = [x[1:3] for x in conll_items(nf_train, tr_docs)] + [x[1:3] for x in conll_items(wj)]
        ind = read_jsonl(a.train_jsonl) if a.train_jsonl and os.path.exists(a.train_jsonl) else []
        proj = [project(d) for d in ind]
        for r in range(a.repeat):
            for text, toks, labels in proj:
                seqs.append((ner.token_features(toks, text, use_kb=(r % 2 == 0)), labels))
        print(f"features: {len(seqs)} sequences, {sum(len(x[1]) for x in seqs)} tokens "
              f"({len(nf_train)} NewsFANE, {len(wj)} Wojood, {len(proj)}×{a.repeat} in-domain) "
              f"in {time.time() - t0:.0f}s", flush=True)
        params = {"c1": a.c1, "c2": a.c2, "max_iterations": a.max_iter,
                  "feature.minfreq": a.minfreq, "feature.possible_transitions": True}
        t1 = time.time()
        train_crf(seqs, a.out, params)
        print(f"trained in {time.time() - t1:.0f}s → {a.out} ({os.path.getsize(a.out) / 1e6:.2f} MB)", flush=True)
        ner._tagger.cache_clear()

    for name, sents, docs in (("NewsFANE held-out", nf_test, te_docs),
                              ("NewsFANE held-out, each sentence alone", nf_test, None),
                              ("Wojood test", wj_test, None)):
        print(f"\n{name}{' (' + a.split + ' split)' if name.startswith('NewsFANE') else ''}: {len(sents)} sentences")
        print(ev.format_scores(ev.score_conll(sents, model=a.out, docs=docs)))
    if a.dev and os.path.exists(a.dev):
        for label, kw in (("tagger (KB features)", {}), ("tagger, no KB features", {"use_kb": False}),
                          ("KB matcher alone", {"tagger": False, "kb_matcher": True}),
                          ("tagger ∪ KB matcher", {"kb_matcher": True})):
            r = ev.score_articles(a.dev, model=a.out, **kw)
            print(f"\ndev, {label}: found {r['all']['found']}/{r['all']['gold']} = {r['all']['recall']:.3f}, "
                  f"spurious {r['all']['spurious']}/{r['all']['predicted']}  " +
                  "  ".join(f"{t} {r[t]['found']}/{r[t]['gold']} sp {r[t]['spurious']}" for t in ner.TYPES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
