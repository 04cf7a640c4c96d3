"""Normalisation with an offset map, sentences, tokens and proclitics."""
from raqib.text.normalize import Normalized, normalize, normalize_key
from raqib.text.segment import sentences, stems_of, tokenize


def test_normalize_folds_letters_digits_quotes_and_drops_marks():
    assert normalize("إدلب") == "ادلب"
    assert normalize("أكّدَ") == "اكد"
    assert normalize("مستشفى") == "مستشفي"
    assert normalize("الغوطة") == "الغوطه"
    assert normalize("مسـؤول") == "مسوول"
    assert normalize("٢٠١٨") == "2018"
    assert normalize("«الخوذ» “البيضاء”") == '"الخوذ" "البيضاء"'
    assert normalize_key("  “الدفاع”   الروسية ") == "الدفاع الروسيه"


def test_offset_map_points_back_into_the_original_text():
    text = "قالت الوزارةُ إنّ «الهجوم» وقع"
    n = Normalized(text)
    i = n.norm.index("الهجوم")
    s, e = n.orig(i, i + len("الهجوم"))
    assert text[s:e] == "الهجوم"
    i = n.norm.index("ان")
    s, e = n.orig(i, i + 2)
    assert text[s:e] == "إنّ"


def test_tokens_keep_arabic_punctuation_apart():
    toks = [t.text for t in tokenize("قال البريطاني، ساجد؟ 98٪ «الدفاع» لـ“الخوذ")]
    assert toks == ["قال", "البريطاني", "،", "ساجد", "؟", "98", "٪", "«", "الدفاع", "»", "لـ", "“", "الخوذ"]


def test_token_offsets_slice_to_text():
    text = "وأكدت منظمة “حظر الأسلحة الكيماوية”، استخدام غاز الكلور."
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text


def test_proclitic_readings():
    assert (2, "ادلب") in stems_of("وبادلب")
    assert (1, "الدفاع") in stems_of("والدفاع")
    assert (3, "الامم") in stems_of("وللامم")
    assert stems_of("روسيا")[0] == (0, "روسيا")


def test_sentences_split_at_stops_and_newlines_not_abbreviations():
    text = "قال د. أحمد إن الوضع خطير. وأضاف أن المساعدات توقفت!\nسطر جديد"
    spans = sentences(text)
    got = [text[s:e] for s, e in spans]
    assert got == ["قال د. أحمد إن الوضع خطير.", "وأضاف أن المساعدات توقفت!", "سطر جديد"]


def test_a_full_stop_glued_to_the_next_word_ends_a_sentence_but_not_an_acronym():
    from raqib.text.segment import sentences
    t = "قال المرصد إن قصفا استهدف إدلب.وقال الدفاع المدني إن"
    assert [t[s:e] for s, e in sentences(t)] == ["قال المرصد إن قصفا استهدف إدلب.", "وقال الدفاع المدني إن"]
    for t in ("نقلت (أ.ف.ب) عن مصدر", "شبكة (سي.بي.إس) الأمريكية", "طائرات إيه.إتش-64", "بلغت 3.5 مليون",
              "موقع العربية.نت"):
        assert len(sentences(t)) == 1, t


def test_text_without_spaces_after_full_stops_stays_linear():
    """A pasted text whose sentences are glued together: 1,000 sentences are analysed as 1,000
    sentences (it used to be one 58,000-character sentence, quadratic in the claim stage)."""
    from raqib.article import Article
    from raqib.pipeline import analyze
    s = "قال المرصد السوري لحقوق الإنسان إن قصفا استهدف مدينة إدلب."
    a = analyze(Article(text=s * 1000, published="2019-11-26"))
    assert len(a.sentences) == 1000 and len(a.claims) == 1000
    assert all(c["content"]["end"] - c["content"]["start"] < len(s) for c in a.claims)
