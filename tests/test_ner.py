"""The statistical name tagger (raqib/extract/ner.py) and its CoNLL scorer (raqib/eval/ner.py)."""
from __future__ import annotations

import pytest

pytest.importorskip("pycrfsuite")

from raqib.article import Article  # noqa: E402
from raqib.eval.ner import read_conll, score_conll, score_tags, spans, tag_conll  # noqa: E402
from raqib.extract.ner import clitic_len, tag_names, token_spans  # noqa: E402
from raqib.text.segment import tokenize  # noqa: E402


def _article(text: str) -> Article:
    a = Article(text=text, published="2018-04-15")
    a.tokens = tokenize(text)
    return a


def _names(text: str) -> list:
    return tag_names(_article(text))


def test_unknown_person_after_title():
    text = "قال الناشط الحقوقي سامر الخطيب إن القصف استهدف السوق الشعبي صباح اليوم."
    names = _names(text)
    per = [n for n in names if n["type"] == "PER"]
    assert per, names
    s = text.index("سامر الخطيب")
    assert (per[0]["start"], per[0]["end"]) == (s, s + len("سامر الخطيب"))
    assert per[0]["text"] == "سامر الخطيب"


def test_organisation_pattern():
    text = "وأعلنت وزارة الزراعة الأردنية في بيان أنها ستوقف استيراد الخضار."
    names = _names(text)
    org = [n for n in names if n["type"] == "ORG"]
    assert org, names
    assert org[0]["text"].startswith("وزارة الزراعة")
    assert text[org[0]["start"]:org[0]["end"]] == org[0]["text"]


def test_spans_sorted_non_overlapping_and_clitic_trimmed():
    text = "وقال الرئيس الفرنسي إيمانويل ماكرون في باريس إن فرنسا وبريطانيا ستدعمان المعارضة."
    names = _names(text)
    assert names == sorted(names, key=lambda n: n["start"])
    for a, b in zip(names, names[1:]):
        assert a["end"] <= b["start"]
    for n in names:
        assert text[n["start"]:n["end"]] == n["text"]
        assert n["type"] in ("PER", "ORG", "LOC")
    texts = {n["text"] for n in names}
    assert "بريطانيا" in texts  # وبريطانيا → بريطانيا
    assert "وبريطانيا" not in texts


def test_clitic_len():
    tok = tokenize("وسامر")[0]
    assert clitic_len(tok) == 1  # conjunction before an unknown name
    assert clitic_len(tokenize("للأمم")[0]) == 0  # li + al stays whole
    assert clitic_len(tokenize("والأسد")[0]) == 1  # keep the article
    assert clitic_len(tokenize("واشنطن")[0]) == 0  # a known name starting with و


def test_token_spans_trim_and_break_at_punctuation():
    toks = tokenize("وزارة الدفاع (البنتاغون) قالت")
    tags = ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O"]
    got = token_spans(toks, tags)
    assert got[0] == (0, 2, "ORG")
    assert (3, 4, "ORG") in got


def test_empty_article():
    assert _names("") == []
    assert _names("...") == []


CONLL = (
    "\ufeff\u200eقال\tO\r\n"
    "\u200eبشار\tB-Politician\r\n"
    "\u200eالاسد\tI-Politician\r\n"
    "\u200eفي\tO\r\n"
    "\u200eدمشق\tB-Population-Center\r\n"
    "\t\r\n"
    "\u200eو\tO\r\n"
    "\u200eاعلنت\tO\r\n"
    "\u200eوزارة\tB-Government\r\n"
    "\u200eالدفاع\tI-Government\r\n"
    "\u200eان\tO\r\n"
    "\u200eه\tO\r\n"
    "\u200eالعرب\tB-Group\r\n"
)


def test_read_conll_newsfane_quirks(tmp_path):
    p = tmp_path / "nf.txt"
    p.write_text(CONLL, encoding="utf-8")
    sents = read_conll(str(p))
    assert len(sents) == 2
    assert sents[0] == (["قال", "بشار", "الاسد", "في", "دمشق"], ["O", "B-PER", "I-PER", "O", "B-LOC"])
    # split clitics joined back, Group is not a PER/ORG/LOC name
    assert sents[1] == (["واعلنت", "وزارة", "الدفاع", "انه", "العرب"], ["O", "B-ORG", "I-ORG", "O", "O"])


def test_read_conll_wojood_columns(tmp_path):
    p = tmp_path / "wj.txt"
    p.write_text("سكرتير B-OCC\nاللجنة I-OCC B-ORG\nفي I-OCC\nنابلس I-OCC B-GPE\n$#$ O\n\n"
                 "زار O\nالأسد B-PERS\n", encoding="utf-8")
    first = read_conll(str(p))
    assert first[0] == (["سكرتير", "اللجنة", "في", "نابلس"], ["O", "O", "O", "O"])
    assert first[1][1] == ["O", "B-PER"]
    nested = read_conll(str(p), nested=True)
    assert nested[0][1] == ["O", "B-ORG", "O", "B-LOC"]


def test_score_conll_exact_figures(tmp_path):
    gold = ("محمد B-PER\nعلي I-PER\nزار O\nحلب B-GPE\n\n"
            "قالت O\nالأمم B-ORG\nالمتحدة I-ORG\nإن O\nسامي B-PERS\nوصل O\n")
    p = tmp_path / "gold.conll"
    p.write_text(gold, encoding="utf-8")
    pred = [["B-PER", "O", "O", "B-LOC"],               # PER span wrong (too short), LOC right
            ["O", "B-ORG", "I-ORG", "O", "O", "B-LOC"]]  # ORG right, PER missed, LOC spurious
    res = score_conll(str(p), pred)
    assert res["LOC"] == {"p": 0.5, "r": 1.0, "f1": 0.6667, "tp": 1, "pred": 2, "gold": 1}
    assert res["ORG"]["f1"] == 1.0
    assert res["PER"] == {"p": 0.0, "r": 0.0, "f1": 0.0, "tp": 0, "pred": 1, "gold": 2}
    assert res["all"] == {"p": 0.5, "r": 0.5, "f1": 0.5, "tp": 2, "pred": 4, "gold": 4}


def test_spans_and_score_tags():
    assert spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC"]) == {
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "LOC")}
    assert score_tags([["B-PER"]], [["B-PER"]])["all"]["f1"] == 1.0


def test_tag_conll_maps_back_to_conll_tokens():
    sents = [(["قال", "الرئيس", "الفرنسي", "إيمانويل", "ماكرون", "في", "باريس", "."], ["O"] * 8)]
    pred = tag_conll(sents)
    assert len(pred[0]) == 8
    assert pred[0][3] == "B-PER" and pred[0][4] == "I-PER"
    assert pred[0][6] == "B-LOC"


def test_read_conll_rejoins_letters_split_off_inside_names(tmp_path):
    p = tmp_path / "nf.txt"
    p.write_text("\u200eفي\tO\n\u200eبن\tB-Population-Center\n\u200eها\tI-Population-Center\n"
                 "\u200eو\tO\n\u200eب\tB-Population-Center\n\u200eعقوبة\tI-Population-Center\n"
                 "\u200eكلية\tB-Educational\n\u200eالاداب\tI-Educational\n\u200eو\tI-Educational\n"
                 "\u200eالعلوم\tI-Educational\n", encoding="utf-8")
    sents = read_conll(str(p))
    assert sents[0] == (["في", "بنها", "و", "بعقوبة", "كلية", "الاداب", "والعلوم"],
                        ["O", "B-LOC", "O", "B-LOC", "B-ORG", "I-ORG", "I-ORG"])


def test_read_conll_documents(tmp_path):
    p = tmp_path / "docs.conll"
    p.write_text("-DOCSTART-\tO\n\nأ\tO\n\nب\tO\n\n-DOCSTART-\tO\n\nج\tO\n", encoding="utf-8")
    sents = read_conll(str(p))
    assert len(sents) == 3 and sents.docs[0] == sents.docs[1] != sents.docs[2]
    q = tmp_path / "plain.conll"
    q.write_text("أ\tO\n\nب\tO\n", encoding="utf-8")
    plain = read_conll(str(q))
    assert plain.docs[0] != plain.docs[1]  # no marks: every sentence stands alone


def test_document_evidence_reaches_other_occurrences():
    from raqib.extract.ner import Prepared, doc_counts, token_features

    a = tokenize("قال الرئيس كوستاريدس إن الاتفاق قريب")
    b = tokenize("وأضاف كوستاريدس أن المحادثات ستستمر")
    pa, pb = Prepared(a, None), Prepared(b, None)
    dc = doc_counts([pa, pb])
    fb = token_features(b, None, doc=dc, prep=pb)
    assert "d=cPER" in fb[1]  # the title before the name in the other sentence
    alone = token_features(b, None, prep=pb)
    assert "d=cPER" not in alone[1]
    # the evidence of a token itself does not count as "elsewhere"
    fa = token_features(a, None, doc=dc, prep=pa)
    assert "d=cPER" not in fa[2]


def test_word_classes_loaded():
    from raqib.extract.ner import lexicon, token_features

    lex = lexicon()
    assert len(lex.clusters) > 10000
    assert lex.clusters["دمشق"][1] == lex.clusters["موسكو"][1]  # capitals share a class of 256
    f = token_features(tokenize("وصل إلى دمشق"))
    assert any(x.startswith("k2=") for x in f[2])
    assert any(x.startswith("k+1=") for x in f[1])


def test_heldout_split_is_fixed_and_disjoint():
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
    from train_ner import heldout_split

    tr, te = heldout_split(4760)
    assert len(te) == 480 and not set(tr) & set(te) and len(tr) + len(te) == 4760
    assert te == heldout_split(4760)[1]  # seeded
    assert all(te[k] % 20 == 0 for k in range(0, len(te), 20))  # whole 20-sentence blocks
    assert heldout_split(4760, "last")[1][0] == 4284
