"""Hypothesis strategies for hostile reader inputs: (file name, bytes) pairs.

Shared by the suite's property tests (tests/test_fuzz.py, a few hundred examples) and the long run
(fuzz/run_readers.py, 100,000+ examples with a fixed seed). Every strategy builds a file name whose
extension picks the reader (.txt, .md, .html, .json, .jsonl, .gz, or none: sniffed) and its bytes:

- random bytes, and seed documents (Arabic text, HTML page, JSON record, JSON lines) mutated byte
  by byte (flips, inserts, deletes, repeats, splices, truncation);
- mixed encodings: pieces of Arabic in UTF-8, Windows-1256, ISO-8859-6 and UTF-16 glued together;
- text salted with control characters, bidi marks (U+200E/F, U+202A-E, U+2066-9), lone
  surrogates (as JSON \\ud800 escapes or HTML &#xD800;), unbalanced quotes and brackets;
- very long lines (100k+ characters without a newline);
- HTML nested 10,000 deep, unclosed tags, script/style floods, broken attributes and entities;
- JSON lines with wrong types (text as number/list/null/object, id as object, missing fields).
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
_EXAMPLE = ROOT / "raqib" / "data" / "examples" / "enab-baladi-2019-11-26.txt"

SENTENCES = [
    "اتهمت وزارة الخارجية الروسية الخوذ البيضاء بفبركة الهجوم الكيماوي على مدينة دوما.",
    "ونفى الدفاع المدني السوري هذه الاتهامات، مؤكدا أن الهجوم أسفر عن مقتل 40 مدنيا.",
    "قال وزير الخارجية الروسي سيرغي لافروف إن الضربات الأمريكية على سوريا انتهاك للقانون الدولي.",
    "وحذر المرصد السوري لحقوق الإنسان من تصعيد جديد في إدلب يوم الثلاثاء الماضي.",
    "أكدت منظمة حظر الأسلحة الكيميائية أن غاز الكلور استخدم في هجوم دوما في 7 نيسان/أبريل 2018.",
    "وطالبت الأمم المتحدة بمحاسبة المسؤولين عن هجمات حلب، بحسب ما نقلت وكالة رويترز عن مصدر.",
    "وقال المتحدث: «لن نسمح بتكرار ما جرى»، مضيفا أن نحو ثلاثة آلاف شخص نزحوا من المنطقة.",
    "تابعنا على تويتر وفيسبوك",
]
TITLE = "وزارة الصحة تعلن افتتاح مستشفى جديد في مدينة حمص"


def _example() -> str:
    try:
        return _EXAMPLE.read_text(encoding="utf-8")
    except OSError:  # a checkout without package data: the made-up sentences do
        return TITLE + "\n" + "\n".join(SENTENCES)


EXAMPLE_TEXT = _example()
ARTICLE_TEXT = TITLE + "\n" + "\n".join(SENTENCES[:6]) + "\n" + SENTENCES[7]
HTML_PAGE = (
    '<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
    f"<title>{TITLE} - جريدة المثال</title>"
    f'<meta property="og:title" content="{TITLE}"><meta property="og:site_name" content="جريدة المثال">'
    '<meta property="article:published_time" content="2021-03-14T09:30:00+02:00">'
    '<link rel="canonical" href="https://example.org/news/2021/03/14/x"></head><body>'
    '<nav class="main-menu"><ul><li><a href="/p">سياسة</a></li></ul></nav><main><article>'
    f"<h1>{TITLE}</h1>" + "".join(f"<p>{s}</p>" for s in SENTENCES[:6])
    + '</article><aside class="related"><h3>أخبار ذات صلة</h3></aside></main>'
    '<footer><p>جميع الحقوق محفوظة</p></footer><script>var x = "لا";</script></body></html>'
)
JSON_RECORD = {"id": "a1", "title": TITLE, "published": "2021-03-14", "source": "مثال",
               "url": "https://example.org/a1", "text": "\n".join(SENTENCES[:4])}
JSONL_TEXT = "".join(json.dumps({**JSON_RECORD, "id": f"a{i}", "text": s}, ensure_ascii=False) + "\n"
                     for i, s in enumerate(SENTENCES[:5]))

SEEDS = [  # (extension, bytes)
    (".txt", ARTICLE_TEXT.encode("utf-8")),
    (".txt", EXAMPLE_TEXT.encode("utf-8")),
    (".txt", ARTICLE_TEXT.encode("cp1256", "replace")),
    (".txt", ARTICLE_TEXT.encode("utf-16")),
    (".html", HTML_PAGE.encode("utf-8")),
    (".json", json.dumps(JSON_RECORD, ensure_ascii=False).encode("utf-8")),
    (".json", json.dumps([JSON_RECORD, JSON_RECORD], ensure_ascii=True).encode("ascii")),
    (".jsonl", JSONL_TEXT.encode("utf-8")),
]

EXTENSIONS = [".txt", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", "", ".dat", ".txt.gz",
              ".jsonl.gz", ".html.gz"]
ENCODINGS = ["utf-8", "cp1256", "iso8859_6", "utf-16-le", "utf-16-be", "utf-16", "utf-8-sig"]
CONTROLS = [chr(c) for c in range(0, 32) if c not in (9, 10, 13)] + ["\x7f", "\x85", "\x9b"]
BIDI = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
        "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff", "\u200b", "\u200c", "\u200d"]
ODD = CONTROLS + BIDI + ['"', "'", "«", "»", "“", "”", "(", "[", "{", "}", "<", ">", "&", "\\", "\n", "\r",
                        "\u2028", "\u2029", "\ufffd", "\U0001f600", "\u0640", "\u064b", "\u0651", "٠", "٩", "\t"]


def _name(ext: str) -> str:
    return "fuzz" + ext


def _finish(ext: str, data: bytes) -> tuple[str, bytes]:
    """Compress for a .gz name; the pair the readers get."""
    if ext.endswith(".gz"):
        data = gzip.compress(data, compresslevel=1, mtime=0)
    return _name(ext), data


# -- byte mutations ----------------------------------------------------------------------------------

_MUTATION = st.tuples(st.sampled_from(["flip", "insert", "delete", "repeat", "splice", "truncate", "odd"]),
                      st.floats(0, 1, allow_nan=False), st.binary(min_size=1, max_size=16),
                      st.integers(1, 64))


def mutate(data: bytes, ops) -> bytes:
    """Apply byte-level mutations (from the `_MUTATION` strategy) to `data`."""
    b = bytearray(data)
    for op, where, payload, n in ops:
        i = int(where * len(b)) if b else 0
        if op == "flip" and b:
            b[min(i, len(b) - 1)] ^= payload[0] or 0x80
        elif op == "insert":
            b[i:i] = payload
        elif op == "delete":
            del b[i:i + n]
        elif op == "repeat":
            b[i:i] = bytes(b[i:i + n]) * min(n, 8)
        elif op == "splice":
            other = SEEDS[payload[0] % len(SEEDS)][1]
            j = int(where * len(other))
            b[i:] = other[j:j + 64 * n]
        elif op == "truncate":
            del b[i:]
        elif op == "odd":
            b[i:i] = ODD[payload[0] % len(ODD)].encode("utf-8", "surrogatepass")
    return bytes(b)


@st.composite
def mutated_seeds(draw):
    ext, data = draw(st.sampled_from(SEEDS))
    ops = draw(st.lists(_MUTATION, min_size=1, max_size=8))
    if draw(st.booleans()):
        ext = draw(st.sampled_from(EXTENSIONS))
    return _finish(ext, mutate(data, ops))


random_bytes = st.tuples(st.sampled_from(EXTENSIONS), st.binary(max_size=2048)).map(lambda t: _finish(*t))


# -- text-level hostility --------------------------------------------------------------------------

def _salt(text: str, draw, odd=ODD) -> str:
    """Insert odd characters at random places of `text`."""
    chars = list(text)
    for _ in range(draw(st.integers(0, 12))):
        i = draw(st.integers(0, len(chars)))
        chars.insert(i, draw(st.sampled_from(odd)) * draw(st.integers(1, 4)))
    return "".join(chars)


@st.composite
def arabic_text(draw, min_sentences=1, max_sentences=8) -> str:
    """Made-up Arabic news text built from the seed sentences, salted with odd characters."""
    sents = draw(st.lists(st.sampled_from(SENTENCES), min_size=min_sentences, max_size=max_sentences))
    sep = draw(st.sampled_from(["\n", " ", "\n\n", "\r\n", "\u2029"]))
    text = sep.join(sents)
    if draw(st.booleans()):
        text = _salt(text, draw)
    return text


@st.composite
def salted_text(draw):
    text = draw(arabic_text())
    ext = draw(st.sampled_from([".txt", ".md", "", ".html", ".txt.gz"]))
    enc = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]))
    return _finish(ext, text.encode(enc, "surrogatepass"))


@st.composite
def mixed_encodings(draw):
    """Pieces of Arabic text, each in its own encoding, glued together."""
    pieces = draw(st.lists(st.tuples(st.sampled_from(SENTENCES), st.sampled_from(ENCODINGS)),
                           min_size=2, max_size=8))
    data = b"".join(s.encode(enc, "replace") + draw(st.sampled_from([b"\n", b" ", b"", b"\r\n"]))
                    for s, enc in pieces)
    return _finish(draw(st.sampled_from([".txt", "", ".html", ".jsonl"])), data)


@st.composite
def long_lines(draw):
    """One line of 100k+ characters (no newline), optionally after a headline."""
    unit = draw(st.sampled_from(SENTENCES + ["ا", "ـ", "،", "\u200f", " ", "x", "«"])) \
        + draw(st.sampled_from(["", " ", "،", "\u200f"]))
    n = 100_000 // len(unit) + draw(st.integers(1, 2000))
    head = draw(st.sampled_from(["", TITLE + "\n"]))
    kind = draw(st.sampled_from([".txt", ".jsonl", ".html", ""]))
    body = unit * n
    if kind == ".jsonl":
        data = json.dumps({"id": "long", "text": body}, ensure_ascii=draw(st.booleans()))
    elif kind == ".html":
        data = f"<html><body><p>{head}{body}</p></body></html>"
    else:
        data = head + body
    return _finish(kind, data.encode("utf-8"))


# -- HTML -----------------------------------------------------------------------------------------

@st.composite
def broken_html(draw):
    body = "".join(f"<p>{s}</p>" for s in draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6)))
    kind = draw(st.sampled_from(["nested", "unclosed", "script", "style", "attrs", "entities", "comment",
                                 "mutated", "frames"]))
    depth = draw(st.sampled_from([10, 500, 3000, 10_000]))
    if kind == "nested":
        tag = draw(st.sampled_from(["div", "span", "b", "article", "table", "ul", "p"]))
        html = f"<html><body>{('<' + tag + '>') * depth}{body}" \
            + (f"</{tag}>" * depth if draw(st.booleans()) else "") + "</body></html>"
    elif kind == "unclosed":
        tags = draw(st.lists(st.sampled_from(["<div", "<p", "<a href='", '<img src="', "<table><tr><td", "<li",
                                              "</div>", "</p>", "<br", "<!--", "<![CDATA[", "<?xml", "<html",
                                              "<body", "<head>", "<title>", "<meta charset=", "<script>"]),
                             max_size=40))
        html = "".join(t + draw(st.sampled_from(["", ">", " ", SENTENCES[0]])) for t in tags) + body
    elif kind == "script":
        html = "<html><body>" + "<script>var a='«';</script>" * depth + body + "<script>" * 3
    elif kind == "style":
        html = "<html><head>" + "<style>p{color:red}</style>" * depth + "</head><body>" + body + "<style>"
    elif kind == "attrs":
        html = "<html><body><div class=\"" + "x" * depth + ' id=\'a "b>' + body + "<p =\"\"\" '''>"
    elif kind == "entities":
        ents = draw(st.lists(st.sampled_from(["&#xD800;", "&#0;", "&#x110000;", "&#65;", "&amp", "&#;", "&#x;",
                                              "&nbsp;", "&#1575;", "&#x202E;", "&rlm;", "&bogus;",
                                              "&#99999999999;"]), min_size=1, max_size=30))
        html = "<html><body><p>" + "".join(ents) + "</p>" + body + "</body></html>"
    elif kind == "comment":
        html = "<html><body><!-- " + body + " <p>" + SENTENCES[1] + "</p>"
    elif kind == "frames":
        html = "<frameset><frame src=x><noframes>" + body + "</noframes></frameset>" \
            + "<svg><foreignObject>" + body + "</foreignObject></svg><math><mi>" + body
    else:
        html = HTML_PAGE
    if kind == "mutated" or draw(st.integers(0, 4)) == 0:
        html = _salt(html, draw)
    enc = draw(st.sampled_from(["utf-8", "utf-8", "cp1256", "utf-16"]))
    if enc == "cp1256" and draw(st.booleans()):
        html = html.replace("<html>", '<html><head><meta charset="windows-1256"></head>', 1)
    data = html.encode(enc, "replace") if enc != "utf-8" else html.encode("utf-8", "surrogatepass")
    return _finish(draw(st.sampled_from([".html", ".htm", "", ".html.gz", ".txt"])), data)


# -- JSON -----------------------------------------------------------------------------------------

_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70),
                     st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                     st.sampled_from(SENTENCES))
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)
_RAW_LINES = ['{"text": "\\ud800' + SENTENCES[0] + '"}', '{"text": "' + SENTENCES[1] + '\\udfff\\ud800"}',
              '{"id": "\\udc00", "text": "' + SENTENCES[2] + '"}',
              '{"text": "' + SENTENCES[0], '{"text": ' + SENTENCES[0] + '"}', '{"text": "\'' + SENTENCES[3] + '}',
              '{"text": "' + SENTENCES[0] + '", }', "[", "]", "{}", "null", "[]", '"just a string"', "1e999",
              '{"text": "' + SENTENCES[0] + '"}{"text": "x"}', '{"text": NaN}', '{"text": "' + "\\u0627" * 50 + '"}',
              '{"text": "' + SENTENCES[4] + '", "text": 5}', '\ufeff{"text": "' + SENTENCES[5] + '"}',
              '{"text": "' + SENTENCES[0] + '\\u0000\\u202e"}', "[" * 5000 + "]" * 5000, "{" * 3000]


@st.composite
def json_record(draw):
    """An object that is nearly an article: fields missing, of the wrong type, or odd."""
    rec = {}
    for k in ("id", "title", "published", "source", "url", "text"):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            continue                     # missing
        if choice == 1:
            rec[k] = draw(_VALUES)       # wrong type (or an odd string)
        elif k == "text":
            rec[k] = draw(arabic_text())
        elif k == "id" and choice == 2:
            rec[k] = {"nested": draw(_VALUES)}
        else:
            rec[k] = draw(st.sampled_from([SENTENCES[0], "2019-11-26", "2018-04-16T10:00:00+03:00", "x", "", " ",
                                           "\u202e", "99999-99-99", "0000-00-00", "2019-02-30"]))
    return rec


@st.composite
def json_lines(draw):
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(draw(st.sampled_from(_RAW_LINES)))
        elif kind == 1:
            lines.append(json.dumps(draw(_VALUES), ensure_ascii=draw(st.booleans())))
        else:
            lines.append(json.dumps(draw(json_record()), ensure_ascii=draw(st.booleans())))
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n", "\u2028"]))
    text = sep.join(lines)
    ext = draw(st.sampled_from([".jsonl", ".json", "", ".ndjson", ".jsonl.gz"]))
    if ext == ".json" and draw(st.booleans()):
        text = "[" + ",".join(lines) + "]"
    return _finish(ext, text.encode("utf-8", "surrogatepass"))


# -- all together ---------------------------------------------------------------------------------

#: (name, strategy) pairs; the long run reports its figures per family
FAMILIES = [
    ("random-bytes", random_bytes),
    ("mutated-seed", mutated_seeds()),
    ("salted-text", salted_text()),
    ("mixed-encodings", mixed_encodings()),
    ("long-line", long_lines()),
    ("broken-html", broken_html()),
    ("json-lines", json_lines()),
]

inputs = st.one_of(*(s for _, s in FAMILIES))
