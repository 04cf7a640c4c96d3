"""Readers: encodings, error messages, .txt headline/boilerplate, HTML body, JSON(L) records.

Fixtures are made-up texts in tests/fixtures/read/ (regenerate with make_fixtures.py there).
"""
from __future__ import annotations

import codecs
import io
import json
import sys
from pathlib import Path

import pytest

from raqib.article import Article
from raqib.read import MAX_FILE_BYTES, ReadError, read_bytes, read_path, sniff
from raqib.read.boilerplate import cut_trailing, load_patterns
from raqib.read.decode import declared_charset, decode, is_arabic

FIX = Path(__file__).parent / "fixtures" / "read"
EXAMPLE = Path(__file__).parent.parent / "raqib" / "data" / "examples" / "enab-baladi-2019-11-26.txt"
ORIGINAL = (FIX / "article.txt").read_text(encoding="utf-8")
TITLE, BODY = ORIGINAL.strip().split("\n", 1)


def one(path, **kw):
    items = list(read_path(str(path), **kw))
    assert len(items) == 1, items
    return items[0]


def error_of(path, **kw) -> str:
    item = one(path, **kw)
    assert isinstance(item, ReadError), item
    return str(item)


# --- encodings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "article.txt", "article.utf8-bom.txt", "article.cp1256.txt", "article.iso-8859-6.txt",
    "article.utf16le-bom.txt", "article.utf16be-bom.txt",
    "article.utf16le-nobom.txt", "article.utf16be-nobom.txt",
])
def test_each_encoding_decodes_to_the_original(name):
    assert decode((FIX / name).read_bytes(), name) == ORIGINAL
    a = one(FIX / name)
    assert isinstance(a, Article)
    assert (a.title, a.text) == (TITLE, BODY)


def test_cp1256_and_iso_8859_6_are_told_apart():
    # the same Arabic bytes mean different letters in the two code pages
    assert (FIX / "article.cp1256.txt").read_bytes() != (FIX / "article.iso-8859-6.txt").read_bytes()
    # typographic quotes, the ellipsis and Persian letters exist only in cp1256
    longer = (ORIGINAL * 3).replace("مستشفى جديد", "“مستشفى” جديد…").replace("حمص", "حمص (گ پ)")
    assert decode(longer.encode("cp1256"), "x") == longer
    assert decode(ORIGINAL.encode("iso8859_6"), "x") == ORIGINAL


def test_bom_stripped_and_newlines_normalised_but_no_nfc():
    s = "قال الوزير\r\nإن ا\u0644\u0651\u064e\u062c\u0646\u0629\rستجتمع"  # shadda before fatha: not NFC order
    out = decode(codecs.BOM_UTF8 + s.encode("utf-8"), "x")
    assert out == s.replace("\r\n", "\n").replace("\r", "\n")


def test_declared_charset_is_honoured():
    data = (FIX / "page.cp1256.html").read_bytes()
    assert declared_charset(data) == "cp1256"
    a = one(FIX / "page.cp1256.html")
    assert a.title == TITLE and a.text == BODY


def test_wrong_declared_charset_is_ignored():
    html = f'<html><head><meta charset="utf-8"></head><body><p>{BODY}</p></body></html>'
    text = decode(html.encode("cp1256"), "x.html", declared="utf-8")
    assert BODY.split("\n")[0] in text


def test_stray_invalid_byte_in_utf8():
    data = (ORIGINAL * 2).encode("utf-8") + b"\xff" + ORIGINAL.encode("utf-8")
    assert decode(data, "x").count("\ufffd") == 1


# --- errors ------------------------------------------------------------------------------------

def test_empty_and_blank_files():
    assert error_of(FIX / "empty.txt").endswith("empty.txt: empty file")
    assert error_of(FIX / "blank.txt").endswith("blank.txt: empty file")


def test_binary_file():
    assert error_of(FIX / "binary.bin").endswith("binary.bin: binary file, not text")
    items = list(read_bytes(b"abc\x01\x02\x03\x04\x05def\x06\x07" * 20, "x.txt"))
    assert str(items[0]) == "x.txt: binary file, not text"


def test_no_arabic():
    assert error_of(FIX / "english.txt").endswith("english.txt: no Arabic text (raqib analyses Arabic news)")
    html = b"<html><body><p>" + b"English only page about Syria. " * 20 + b"</p></body></html>"
    assert str(next(read_bytes(html, "en.html"))) == "en.html: no Arabic text (raqib analyses Arabic news)"
    assert not is_arabic("سوريا " + "Syria and the war in the north " * 20)


def test_undecodable():
    assert error_of(FIX / "chinese.gbk.txt").endswith(
        "chinese.gbk.txt: cannot decode (not UTF-8, UTF-16, Windows-1256 or ISO-8859-6)")


def test_missing_file_and_directory(tmp_path):
    assert error_of(tmp_path / "nope.txt").endswith("nope.txt: no such file")
    assert "is a directory" in error_of(tmp_path)


def test_file_too_large(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:  # sparse: nothing is written or read
        f.truncate(MAX_FILE_BYTES + 1024 * 1024)
    assert error_of(big) == f"{big}: file too large (51 MB > 50 MB limit)"


# --- .txt --------------------------------------------------------------------------------------

def test_bundled_example_headline_and_boilerplate():
    a = one(EXAMPLE)
    assert a.title == "روسيا تتهم “الخوذ البيضاء” بالتحضير لـ “تمثيلية” هجوم كيماوي جديد في إدلب"
    assert a.text.startswith("اتهمت وزارة الدفاع الروسية اليوم")
    assert a.text.endswith("لضرب مواقع للجيش السوري.")
    assert a.id == "enab-baladi-2019-11-26" and a.published is None
    assert any(b.startswith("اذا كنت تعتقد/تعتقدين") and b.endswith("تصحيحًا") for b in a.boilerplate)
    assert any(b.startswith("إذا كنت تعتقد/تعتقدين") and b.endswith("شكوى") for b in a.boilerplate)
    assert a.boilerplate[-1] == "تابعنا على :"
    assert "تابعنا" not in a.text and "شكوى" not in a.text
    assert one(EXAMPLE, published="2019-11-26", id="enab").published == "2019-11-26"


def test_txt_footer_cut_but_middle_line_kept():
    a = one(FIX / "footer.txt")
    assert a.title == TITLE
    assert "شارك هذا المقال" in a.text  # boilerplate-looking, but in the middle
    assert a.text.endswith(BODY.split("\n")[-1])
    assert a.boilerplate == ["–", "إذا كنت تعتقد/تعتقدين أن المقال يحوي معلومات خاطئة أرسل/أرسلي تصحيحًا",
                             "اقرأ أيضًا:", "افتتاح مدرسة جديدة في حماة", "ارتفاع أسعار الخبز في دمشق",
                             "-", "تابعنا على :"]


def test_boilerplate_patterns_load_and_never_eat_the_whole_text():
    p = load_patterns()
    assert p.line and p.section and p.sep and p.lead
    text, boiler = cut_trailing("تابعنا على تويتر\nشارك هذا المقال")
    assert text == "تابعنا على تويتر" and boiler == ["شارك هذا المقال"]


def test_single_line_txt_has_no_title():
    a = next(read_bytes(BODY.replace("\n", " ").encode("utf-8"), "one.txt"))
    assert a.title is None and a.text == BODY.replace("\n", " ")


def test_markdown_heading():
    a = next(read_bytes(f"# {TITLE}\n\n{BODY}\n".encode("utf-8"), "a.md"))
    assert a.title == TITLE and a.text == BODY


# --- .html -------------------------------------------------------------------------------------

def test_html_body_without_nav_and_footer():
    a = one(FIX / "page.html")
    assert a.text == BODY
    assert a.title == TITLE  # the site name is cut from the <title>
    assert a.published == "2021-03-14"
    assert a.url == "https://example.org/news/2021/03/14/hospital"
    assert a.source == "جريدة المثال"
    for junk in ("رياضة", "جميع الحقوق", "أخبار ذات صلة", "لا تظهر", "سياسة الخصوصية"):
        assert junk not in a.text
    assert one(FIX / "page.html", published="2021-03-15").published == "2021-03-15"


def test_html_fallback_extraction(monkeypatch):
    import raqib.read.html as h
    monkeypatch.setattr(h, "_trafilatura", lambda html, **kw: {})
    a = one(FIX / "page.html")
    assert a.text == BODY and a.title == TITLE and a.source == "جريدة المثال"


def test_broken_html_does_not_crash():
    a = one(FIX / "broken.html")
    assert isinstance(a, Article) and BODY.split("\n")[0] in a.text
    for junk in (b"<html><body><p>", b"<<<<>>>", b"<div><p>\xd9\x85\xd8", b"<p>" + b"<b>" * 5000):
        assert all(isinstance(x, (Article, ReadError)) for x in read_bytes(junk, "j.html", published="2020-01-01"))


def test_sniffing_unknown_extensions():
    assert sniff("  <!DOCTYPE html><html>") == "html"
    assert sniff('{"text": "x"}') == "json" and sniff("[1]") == "json"
    assert sniff("قال الوزير <b>") == "text"
    a = one(FIX / "noext")
    assert a.text == BODY and a.id == "noext"
    html = (FIX / "page.html").read_bytes()
    assert next(read_bytes(html, "page.dat")).text == BODY


# --- .json / .jsonl ----------------------------------------------------------------------------

def test_jsonl_bad_lines_reported_good_lines_read():
    items = list(read_path(str(FIX / "articles.jsonl")))
    errors = [str(x) for x in items if isinstance(x, ReadError)]
    arts = [x for x in items if isinstance(x, Article)]
    name = str(FIX / "articles.jsonl")
    assert errors[0].startswith(f"{name}:2: invalid JSON (")
    assert errors[1] == f'{name}:4: object has no "text"'
    assert errors[2] == f"{name}:6: no Arabic text (raqib analyses Arabic news)"
    assert [a.id for a in arts] == ["a1", "articles:5"]
    a1 = arts[0]
    assert (a1.title, a1.published, a1.source, a1.url, a1.text) == (
        TITLE, "2021-03-14", "مثال", "https://example.org/a1", BODY)
    assert arts[1].text.startswith("  قال") and "\r\n" in arts[1].text  # texts exactly as given
    assert arts[1].boilerplate == []


def test_jsonl_record_fields_win_over_arguments():
    arts = [x for x in read_path(str(FIX / "articles.jsonl"), published="1999-01-01", id="batch")
            if isinstance(x, Article)]
    assert [a.published for a in arts] == ["2021-03-14", "1999-01-01"]
    assert [a.id for a in arts] == ["a1", "batch:5"]


def test_json_object_and_list():
    a = one(FIX / "one.json")
    assert (a.id, a.published, a.text) == ("own-id", "2020-01-02", BODY)
    a = one(FIX / "one.json", published="2021-01-01", id="given")  # single article: arguments win
    assert (a.id, a.published) == ("given", "2021-01-01")
    items = list(read_path(str(FIX / "list.json")))
    assert [x.id if isinstance(x, Article) else str(x) for x in items] == [
        "l1", f'{FIX / "list.json"}[2]: object has no "text"', "list:3"]


def test_json_invalid_and_json_lines_in_a_json_file():
    assert str(next(read_bytes(b'{"text": ', "bad.json"))).startswith("bad.json: invalid JSON (")
    lines = "\n".join(json.dumps({"id": f"r{i}", "text": BODY}, ensure_ascii=False) for i in range(3))
    assert [a.id for a in read_bytes(lines.encode("utf-8"), "lines.json")] == ["r0", "r1", "r2"]


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", type("S", (), {"buffer": io.BytesIO(ORIGINAL.encode("cp1256"))})())
    a = one("-")
    assert (a.title, a.text, a.id) == (TITLE, BODY, "stdin")


def test_gzip():
    import gzip
    a = next(read_bytes(gzip.compress(ORIGINAL.encode("utf-8")), "a.txt.gz"))
    assert (a.title, a.text, a.id) == (TITLE, BODY, "a")


def test_mislabelled_latin_charset_is_overridden():
    html = f'<html><head><meta charset="windows-1252"></head><body><p>{BODY}</p></body></html>'
    data = html.encode("cp1256")
    assert declared_charset(data) == "cp1252"
    assert BODY in decode(data, "x.html", declared="cp1252")


def test_html_publication_stamp_and_footer_lines_go_to_boilerplate():
    paras = ["تم نشره الجمعة 24 نيسان 2020 09:22 مساءً", *BODY.split("\n"), "شارك هذا المقال", "تابعنا على :"]
    html = ("<html><head><title>خبر</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in paras) + "</article></body></html>")
    a = next(read_bytes(html.encode("utf-8"), "s.html", published="2020-04-24"))
    assert a.text == BODY and a.published == "2020-04-24"
    assert a.boilerplate == [paras[0], "شارك هذا المقال", "تابعنا على :"]
