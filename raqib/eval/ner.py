"""CoNLL scorer for the name tagger: exact-span precision / recall / F1 per type (PER, ORG, LOC).

A CoNLL file has one `token TAG [TAG …]` line per token (tab or space separated; the first tag
column is read, extra columns ignored), IOB2 tags, blank lines between sentences. Tolerated: a BOM,
CR line ends, U+200E marks before tokens and tab-only separator lines (NewsFANE), the `$#$` sentence
marker tokens (Wojood). Source types are mapped to PER/ORG/LOC by `TYPE_MAP`, anything else is O.

NewsFANE splits clitics into their own tokens (و الصين، ان ه); `read_conll` joins them back
(`rejoin=None` does so when the file carries the NewsFANE marks), so that the tokens look like running
text, as the tagger sees it.

`tag_conll(sentences)` tags a file's tokens with the model: each sentence is joined with spaces into a
pseudo-text, tokenised by `segment.tokenize`, tagged, and the predicted names mapped back onto the
CoNLL tokens. `score_conll(path)` does both and scores.

Documents: a line whose first field is `-DOCSTART-` (CoNLL-2003 style) starts a new document; the tagger's
document features (the same word elsewhere in the document) look at the sentences of one document. A file
without such lines is taken as independent sentences (each its own document).
"""
from __future__ import annotations

# fine or foreign types → PER / ORG / LOC (missing = O)
_PER = ("PER", "PERS", "PERSON", "Politician", "Athlete", "Artist", "Other_PER", "Religious_PER",
        "Scientist", "Businessperson", "Lawyer", "Engineer", "Police")
_ORG = ("ORG", "ORGANIZATION", "Non-Governmental", "Sports", "Media", "Government", "Commercial",
        "Educational", "Religious_ORG", "Medical-Science", "Entertainment")
_LOC = ("LOC", "GPE", "LOCATION", "Nation", "Population-Center", "State-or-Province", "County-or-District",
        "Continent", "GPE-Cluster", "Land-Region-Natural", "Water-Body", "Celestial", "Airport")
TYPE_MAP = {**{t: "PER" for t in _PER}, **{t: "ORG" for t in _ORG}, **{t: "LOC" for t in _LOC}}
TYPES = ("PER", "ORG", "LOC")

_PRO = {"و", "ف", "ب", "ل", "ك"}
_SUF = {"ه", "ها", "هم", "هما", "هن", "كم", "كما", "كن", "نا", "ني", "ي", "ك"}


def map_tags(tags: list) -> list:
    """Raw IOB2 tags → PER/ORG/LOC IOB2 (unmapped types → O; an I- after another type → B-)."""
    out = []
    prev = "O"
    for t in tags:
        if t in ("O", "", None) or len(t) < 3 or t[1] != "-":
            out.append("O")
            prev = "O"
            continue
        typ = TYPE_MAP.get(t[2:])
        if typ is None:
            out.append("O")
            prev = "O"
            continue
        bi = t[0].upper()
        if bi != "B" and prev != typ:
            bi = "B"
        out.append(bi + "-" + typ)
        prev = typ
    return out


def _is_ar(s: str) -> bool:
    return bool(s) and "\u0621" <= s[0] <= "\u06ff"


def rejoin_clitics(tokens: list, tags: list) -> tuple:
    """Join NewsFANE's split proclitics (و الصين → والصين) and pronoun suffixes (ان ه → انه)."""
    toks, tgs = [], []
    i, n = 0, len(tokens)
    while i < n:
        t, g = tokens[i], tags[i]
        if (t in _PRO and i + 1 < n and _is_ar(tokens[i + 1]) and tokens[i + 1] not in _PRO
                and not (t == "ك" and toks and _is_ar(toks[-1]) and tokens[i + 1] != "ما")):
            g2 = tags[i + 1]
            if g == "O" or (g != "O" and g2 == "I-" + g[2:]):
                # و الصين → والصين; a letter split off inside a name: ب عقوبة → بعقوبة, و العلوم → والعلوم
                toks.append(t + tokens[i + 1])
                tgs.append(g2 if g == "O" else g)
                i += 2
                continue
        if (t in _SUF and toks and _is_ar(toks[-1]) and toks[-1] not in _PRO
                and (g == "O" or (g[:2] == "I-" and tgs[-1][2:] == g[2:]))):
            toks[-1] += t  # ان ه → انه; inside a name: بن ها → بنها, جوزي ه → جوزيه
            i += 1
            continue
        toks.append(t)
        tgs.append(g)
        i += 1
    return toks, tgs


class Sentences(list):
    """[(tokens, tags)] per sentence, with `docs`: the document number of every sentence."""

    docs: list


def read_conll(path: str, rejoin: bool | None = None, raw_types: bool = False, nested: bool = False) -> list:
    """[(tokens, tags)] per sentence (a `Sentences` list: `.docs` numbers their documents); tags mapped to
    PER/ORG/LOC unless raw_types.

    The first tag column is read; `nested=True` reads every column instead and keeps the outermost
    PER/ORG/LOC span (Wojood: a GPE inside an OCC span, which the first column hides)."""
    with open(path, encoding="utf-8-sig") as f:
        data = f.read()
    newsfane = "\u200e" in data[:5000]
    data = data.replace("\u200e", "").replace("\r", "")
    sents, toks, tags = [], [], []
    docs, doc, marked = [], 0, False
    for line in data.split("\n"):
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if toks:
                sents.append((toks, tags))
                docs.append(doc)
                toks, tags = [], []
            if parts:
                doc += 1
                marked = True
            elif not marked:
                doc += 1
            continue
        if parts[0] == "$#$":
            continue
        toks.append(parts[0])
        tags.append((parts[1:] or ["O"]) if nested else (parts[1] if len(parts) > 1 else "O"))
    if toks:
        sents.append((toks, tags))
        docs.append(doc)
    if nested:
        sents = [(t, _outermost(g)) for t, g in sents]
    elif not raw_types:
        sents = [(t, map_tags(g)) for t, g in sents]
    if rejoin or (rejoin is None and newsfane):
        sents = [rejoin_clitics(t, g) for t, g in sents]
    out = Sentences(sents)
    out.docs = docs
    return out


def _outermost(cols: list) -> list:
    """IOB2 tags of the outermost PER/ORG/LOC spans over all tag columns of a sentence."""
    width = max(len(c) for c in cols)
    found = set()
    for k in range(width):
        found |= spans(map_tags([c[k] if k < len(c) else "O" for c in cols]))
    keep = [s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found)]
    out = ["O"] * len(cols)
    for a, b, typ in sorted(keep, key=lambda s: (s[0], -s[1])):
        if any(out[i] != "O" for i in range(a, b)):
            continue
        out[a] = "B-" + typ
        for i in range(a + 1, b):
            out[i] = "I-" + typ
    return out


def spans(tags: list) -> set:
    """{(first, last + 1, type)} from IOB2 tags (an I- without a B- opens a span)."""
    out, cur = set(), None
    for i, t in enumerate(list(tags) + ["O"]):
        if t == "O" or t.startswith("B-") or (cur and t[2:] != cur[2]):
            if cur:
                out.add(tuple(cur))
                cur = None
            if t != "O":
                cur = [i, i + 1, t[2:]]
        elif cur is None:
            cur = [i, i + 1, t[2:]]
        else:
            cur[1] = i + 1
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": npred, "gold": ngold}


def score_tags(gold_tags: list, pred_tags: list) -> dict:
    """Exact-span P/R/F1 per type and overall ('all') over aligned sentences of IOB2 tags."""
    c = {t: [0, 0, 0] for t in TYPES}
    for g, p in zip(gold_tags, pred_tags):
        gs, ps = spans(g), spans(p)
        for s in gs:
            if s[2] in c:
                c[s[2]][2] += 1
        for s in ps:
            if s[2] in c:
                c[s[2]][1] += 1
                if s in gs:
                    c[s[2]][0] += 1
    out = {t: _prf(*c[t]) for t in TYPES}
    out["all"] = _prf(*(sum(c[t][k] for t in TYPES) for k in range(3)))
    return out


def align(tokens: list) -> tuple:
    """Pseudo-text of CoNLL tokens, its `tokenize` tokens, and the CoNLL index of each."""
    from ..text.segment import tokenize

    text = " ".join(tokens)
    starts, pos = [], 0
    for t in tokens:
        starts.append(pos)
        pos += len(t) + 1
    toks = tokenize(text)
    idx, k = [], 0
    for t in toks:
        while k + 1 < len(starts) and starts[k + 1] <= t.start:
            k += 1
        idx.append(k)
    return text, toks, idx


def labels_for(tokens: list, tags: list) -> tuple:
    """(text, tokenize tokens, IOB2 labels on them) for one CoNLL sentence (for training)."""
    text, toks, idx = align(tokens)
    labels, prev = [], -1
    for t, k in zip(toks, idx):
        g = tags[k]
        if g == "O":
            labels.append("O")
        elif k != prev:
            labels.append(g)
        else:
            labels.append("I-" + g[2:])
        prev = k
    return text, toks, labels


def prepare_docs(sentences: list, docs: list | None = None, use_kb: bool = True) -> list:
    """Per sentence: (text, tokens, CoNLL index of each token, Prepared or None, doc_counts of its
    document). `docs`: a document number per sentence (None: `sentences.docs` if read with marks, else each
    sentence its own document)."""
    from ..extract.ner import Prepared, doc_counts

    docs = doc_numbers(sentences, docs)
    rows = []
    for s in sentences:
        tokens = s[0] if isinstance(s, tuple) else s
        text, toks, idx = align(tokens)
        rows.append((text, toks, idx, Prepared(toks, text, use_kb) if toks else None))
    groups: dict = {}
    for k, r in enumerate(rows):
        if r[3] is not None:
            groups.setdefault(docs[k], []).append(r[3])
    counts = {d: doc_counts(ps) for d, ps in groups.items()}
    return [r + (counts.get(docs[k]),) for k, r in enumerate(rows)]


def doc_numbers(sentences: list, docs: list | None = None) -> list:
    """A document number per sentence: `docs`, else `sentences.docs` (from -DOCSTART- marks), else each
    sentence its own document."""
    if docs is None:
        docs = getattr(sentences, "docs", None) or list(range(len(sentences)))
    return docs


def tag_conll(sentences: list, use_kb: bool = True, model: str | None = None, docs: list | None = None) -> list:
    """Predicted IOB2 tags on the CoNLL tokens of [(tokens, tags)] (or [tokens]) sentences; `docs`: see
    `doc_numbers` (the sentences of one document are tagged together, `extract.ner.tag_document`)."""
    from ..extract.ner import Prepared, tag_document, token_spans

    docs = doc_numbers(sentences, docs)
    rows = []
    for s in sentences:
        tokens = s[0] if isinstance(s, tuple) else s
        rows.append((tokens,) + align(tokens))
    groups: dict = {}
    for k, r in enumerate(rows):
        groups.setdefault(docs[k], []).append(k)
    tags_of: dict = {}
    for ks in groups.values():
        seqs = [(rows[k][2], rows[k][1], Prepared(rows[k][2], rows[k][1], use_kb) if rows[k][2] else None)
                for k in ks]
        for k, t in zip(ks, tag_document(seqs, use_kb, model)):
            tags_of[k] = t
    out = []
    for k, (tokens, text, toks, idx) in enumerate(rows):
        pred = ["O"] * len(tokens)
        if toks:
            for a, b, typ in token_spans(toks, tags_of[k]):
                i, j = idx[a], idx[b - 1]
                if any(pred[x] != "O" for x in range(i, j + 1)):
                    continue
                pred[i] = "B-" + typ
                for x in range(i + 1, j + 1):
                    pred[x] = "I-" + typ
        out.append(pred)
    return out


def score_conll(gold_path, pred_tags: list | None = None, use_kb: bool = True, model: str | None = None,
                docs: list | None = None) -> dict:
    """Exact-span P/R/F1 per type and overall for a CoNLL file (a path, or [(tokens, tags)] already read).

    `pred_tags`: one IOB2 tag list per sentence (PER/ORG/LOC or source types); None = tag with the model;
    `docs`: see `prepare_docs`."""
    sents = read_conll(gold_path) if isinstance(gold_path, str) else gold_path
    if pred_tags is None:
        pred_tags = tag_conll(sents, use_kb, model, docs)
    else:
        pred_tags = [map_tags(p) for p in pred_tags]
    return score_tags([g for _, g in sents], pred_tags)


def format_scores(res: dict) -> str:
    lines = [f"{'type':5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for t in TYPES + ("all",):
        r = res[t]
        lines.append(f"{t:5} {r['p']:6.3f} {r['r']:6.3f} {r['f1']:6.3f} {r['gold']:6d}")
    return "\n".join(lines)


if __name__ == "__main__":  # python3 -m raqib.eval.ner FILE.conll
    import sys

    for path in sys.argv[1:]:
        print(path)
        print(format_scores(score_conll(path)))


def _fold(s: str) -> str:
    from .scorer import fold

    return fold(s)


def score_articles(gold_jsonl: str, use_kb: bool = True, tagger: bool = True, kb_matcher: bool = False,
                   model: str | None = None) -> dict:
    """Gold PER/ORG/LOC entities of annotated articles (GOLD.md format) found by name: an entity is found
    when a predicted name of its type equals one of its mentions (folded). `spurious` counts the distinct
    predicted (name, type) per article that match no gold mention of that type.

    tagger: names from `tag_names` (with KB features unless use_kb=False); kb_matcher: add the entities of
    `extract_entities` (KB aliases and gazetteer places)."""
    import json

    from ..article import Article
    from ..extract.ner import tag_names
    from ..text.segment import sentences, tokenize

    if model:
        from ..extract import ner as _ner

        _ner.MODEL_PATH = model
    c = {t: [0, 0] for t in TYPES}
    spurious = {t: 0 for t in TYPES}
    npred = 0
    examples = []
    with open(gold_jsonl, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            a = Article(text=d["text"], published=d.get("published"))
            a.sentences = [{"start": s, "end": e} for s, e in sentences(a.text)]
            a.tokens = tokenize(a.text)
            pred = set()
            if tagger:
                for n in tag_names(a, use_kb=use_kb):
                    pred.add((_fold(n["text"]), n["type"]))
            if kb_matcher:
                from ..extract.entities import extract_entities

                extract_entities(a)
                for e in a.entities:
                    for m in e["mentions"]:
                        pred.add((_fold(m["text"]), e["type"]))
            gold_forms = {t: set() for t in TYPES}
            for ge in d.get("entities", []):
                t = ge.get("type")
                if t not in c:
                    continue
                forms = {_fold(m) for m in ge.get("mentions", [])}
                gold_forms[t] |= forms
                c[t][1] += 1
                if any((m, t) in pred for m in forms):
                    c[t][0] += 1
            for form, t in pred:
                npred += 1
                if form not in gold_forms.get(t, ()):
                    spurious[t] += 1
                    examples.append((t, form))
    out = {t: {"found": c[t][0], "gold": c[t][1], "recall": round(c[t][0] / c[t][1], 4) if c[t][1] else 0.0,
               "spurious": spurious[t]} for t in TYPES}
    tf, tg = sum(c[t][0] for t in TYPES), sum(c[t][1] for t in TYPES)
    out["all"] = {"found": tf, "gold": tg, "recall": round(tf / tg, 4) if tg else 0.0,
                  "spurious": sum(spurious.values()), "predicted": npred}
    out["spurious_examples"] = examples
    return out
