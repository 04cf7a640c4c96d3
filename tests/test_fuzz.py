"""Property-based tests of the readers and the pipeline on hostile input (Hypothesis).

Every input, whatever its bytes, ends in records or one-line ReadErrors: never another exception,
never a ReadError made by a reader's last-resort guard, never a record that cannot be written out
as UTF-8, and every offset of an analysed record slices its text. The strategies and the oracle
are shared with the long run (fuzz/run_readers.py, fuzz/README.md); here the examples are few and
derandomised, so the suite stays fast and repeatable (a few seconds).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fuzz import strategies as S  # noqa: E402
from fuzz.harness import check, offsets_problems  # noqa: E402
from raqib.article import Article  # noqa: E402
from raqib.pipeline import TimeLimitExceeded, analyze, time_limit  # noqa: E402
from raqib.read import ReadError, read_bytes  # noqa: E402

FAST = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def assert_clean(name: str, data: bytes, analyse: bool = False):
    o = check(name, data, analyse=analyse, hang_seconds=30)
    assert not o.crashes, (name, data[:200], o.crashes)
    assert not o.hang, (name, data[:200])
    assert o.records + o.errors >= 1, "an input gave neither a record nor an error"
    return o


@pytest.mark.parametrize("family", [f for f, _ in S.FAMILIES if f != "long-line"])
def test_every_input_ends_in_records_or_one_line_errors(family):
    @FAST
    @given(dict(S.FAMILIES)[family])
    def run(inp):
        assert_clean(*inp)
    run()


@settings(max_examples=6, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(S.long_lines())
def test_very_long_lines_are_read(inp):
    name, data = inp
    assert len(data) > 100_000
    assert_clean(name, data)


@settings(max_examples=60, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.one_of(S.salted_text(), S.json_lines(), S.mutated_seeds(), S.broken_html()))
def test_analysed_records_have_offsets_that_slice_the_text(inp):
    assert_clean(*inp, analyse=True)


@settings(max_examples=40, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(S.arabic_text(max_sentences=4), st.sampled_from([None, "2019-11-26", "2018-04-16T10:00:00+03:00",
                                                         "0001-01-10", "9999-12-20", "0000-00-00", "2019-02-30",
                                                         "x", "99999-99-99"]))
def test_pipeline_on_salted_text_keeps_offsets(text, published):
    rec = analyze(Article(text=text, published=published)).to_dict()
    assert rec["text"] == text
    assert offsets_problems(rec) == []


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31"])
def test_publication_day_at_the_edge_of_the_calendar(published):
    analyze(Article(text=S.SENTENCES[0] + "\n" + S.SENTENCES[0], published=published))


def test_a_pipeline_failure_is_a_one_line_error_in_analyze(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from raqib.cli import main
    from raqib.extract import times

    real = times.extract_times

    def failing(text, published):          # a stage that fails on one article only
        if published == "2001-01-01":
            raise RuntimeError("boom")
        return real(text, published)

    monkeypatch.setattr(times, "extract_times", failing)
    bad = tmp_path / "edge.jsonl"
    bad.write_text("\n".join(json.dumps({"id": i, "published": p, "text": S.SENTENCES[0] + "\n" + S.SENTENCES[0]},
                                        ensure_ascii=False) for i, p in (("e1", "2001-01-01"), ("e2", "2019-11-26"))),
                   encoding="utf-8")
    r = CliRunner().invoke(main, ["analyze", str(bad)], catch_exceptions=False)
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith(f"raqib: {bad}: article e1: analysis failed (")
    assert [json.loads(ln)["id"] for ln in r.stdout.splitlines()] == ["e2"]


# --- the crashes the fuzzers found, as regression tests ------------------------------------------

def test_lone_surrogates_in_json_become_replacement_characters():
    text = S.SENTENCES[0]
    line = '{"id": "x\\udc00", "title": "\\ud800", "text": "\\ud800' + text + '\\udfff"}'
    for name, data in (("a.jsonl", line), ("a.json", line), ("a.json", "[" + line + "]")):
        [a] = list(read_bytes(data.encode("utf-8"), name))
        assert a.text == "\ufffd" + text + "\ufffd" and a.id == "x\ufffd" and a.title == "\ufffd"
        rec = analyze(a).to_dict()
        json.dumps(rec, ensure_ascii=False).encode("utf-8")   # writable, as `raqib analyze` prints it
        assert offsets_problems(rec) == []


def test_json_nested_too_deeply_is_a_one_line_error():
    for name in ("deep.json", "deep.jsonl", "deep"):
        [e] = list(read_bytes(b"[" * 100_000 + b"]" * 100_000, name))
        assert isinstance(e, ReadError) and e.__cause__ is None
        assert "nested too deeply" in str(e) and "\n" not in str(e)
    good = json.dumps({"text": S.SENTENCES[0]}, ensure_ascii=False)
    items = list(read_bytes(("[" * 50_000 + "\n" + good + "\n").encode("utf-8"), "mixed.jsonl"))
    assert isinstance(items[0], ReadError) and str(items[0]).startswith("mixed.jsonl:1: invalid JSON (nested")
    assert isinstance(items[1], Article)


def test_json_metadata_of_any_type():
    rec = {"id": {"a": [1, 2]}, "title": ["x", None], "published": 2019, "source": True, "url": None,
           "text": S.SENTENCES[1]}
    [a] = list(read_bytes(json.dumps(rec).encode(), "m.jsonl"))
    assert (a.id, a.title, a.published, a.source, a.url) == ('{"a": [1, 2]}', '["x", null]', "2019", "True", None)
    for bad, reason in (({"text": 5}, "(a int)"), ({"text": ["x"]}, "(a list)"), ({"text": None}, 'no "text"'),
                        ({"id": "x"}, 'no "text"'), ([1], "not a JSON object"), ({"text": {"a": 1}}, "(a dict)")):
        [e] = list(read_bytes(json.dumps(bad).encode(), "m.jsonl"))
        assert isinstance(e, ReadError) and reason in str(e)


def test_html_with_control_characters_is_read():
    html = ("<html><body><script>var a='\x01';</script>\x0b<p>" + S.SENTENCES[0] + "\x02</p>"
            "<nav>x</nav><p>" + " ".join(S.SENTENCES[1:5]) + "\ufffe</p></body></html>")
    for enc in ("utf-8", "utf-16"):
        [a] = list(read_bytes(html.encode(enc), "c.html"))
        assert isinstance(a, Article), a
        assert S.SENTENCES[0] in a.text and "\x01" not in a.text


def test_ten_thousand_nested_divs_and_floods():
    body = "".join(f"<p>{s}</p>" for s in S.SENTENCES[:3])
    for html in ("<div>" * 10_000 + body + "</div>" * 10_000, "<div>" * 10_000 + body,
                 "<script>x</script>" * 10_000 + body, "<style>p{}</style>" * 10_000 + body,
                 "<b><i>" * 5_000 + body):
        t = time.monotonic()
        items = list(read_bytes(html.encode(), "n.html"))
        assert time.monotonic() - t < 20
        assert len(items) == 1 and isinstance(items[0], (Article, ReadError))
        assert getattr(items[0], "__cause__", None) is None


def test_error_messages_are_one_line_whatever_the_file_name():
    for name in ("a\nb.txt", "x\u202eslmx.txt", "c\rd.json", "e\x00f"):
        [e] = list(read_bytes(b"", name))
        assert isinstance(e, ReadError) and e.path == name
        assert "\n" not in str(e) and "\r" not in str(e) and "\u202e" not in str(e) and "\x00" not in str(e)
    assert str(ReadError("a.txt", "empty file")) == "a.txt: empty file"
    assert str(ReadError("دوما\u200f.txt", "x")) == "دوما\u200f.txt: x"      # bidi marks are ordinary


# --- limits --------------------------------------------------------------------------------------

def test_time_limit_interrupts_and_nests():
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            while True:
                pass
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.3):
            with time_limit(5):         # the inner limit gives back the outer one's time
                time.sleep(0.05)
            while True:
                pass
    with time_limit(None):
        pass
    with time_limit(1):
        time.sleep(0.01)
    time.sleep(1.1)                      # no alarm is left behind


def test_time_limit_is_not_swallowed_by_except_exception():
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.2):
            try:
                while True:
                    pass
            except Exception:            # what the readers and trafilatura do
                pass


def test_article_and_file_limits():
    big = (S.TITLE + "\n" + S.SENTENCES[0] * 200).encode()
    [e] = list(read_bytes(big, "big.txt", max_chars=1000))
    assert str(e).startswith("big.txt: article too long (") and "1,000 limit" in str(e)
    lines = "\n".join(json.dumps({"id": f"r{i}", "text": S.SENTENCES[0] * (1 + 50 * i)}, ensure_ascii=False)
                      for i in range(2))
    items = list(read_bytes(lines.encode(), "l.jsonl", max_chars=1000))
    assert isinstance(items[0], Article) and str(items[1]).startswith("l.jsonl:2: article too long")
    [e] = list(read_bytes(big, "big.txt", max_file_mb=0.001))
    assert str(e) == "big.txt: file too large (1 MB > 0.001 MB limit)"


@pytest.fixture
def slow_for_marked(monkeypatch):
    """The pipeline spins forever on texts that contain 'SLOW'."""
    import raqib.pipeline as p

    real = p.analyze

    def analyze(article):
        if "SLOW" in article.text:
            while True:
                pass
        return real(article)
    monkeypatch.setattr(p, "analyze", analyze)


def _inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(S.TITLE + "\n" + S.SENTENCES[0], encoding="utf-8")
    slow = tmp_path / "slow.jsonl"
    slow.write_text("\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in
                              (("s1", S.SENTENCES[1] + " SLOW"), ("s2", S.SENTENCES[2]))), encoding="utf-8")
    return str(slow), str(good)


def test_analyze_timeout_is_a_one_line_error_and_the_run_goes_on(tmp_path, slow_for_marked):
    from click.testing import CliRunner

    from raqib.cli import main
    r = CliRunner().invoke(main, ["analyze", *_inputs(tmp_path), "--timeout", "0.5"], catch_exceptions=False)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"raqib: {tmp_path / 'slow.jsonl'}: article s1: analysis took longer than 0.5 s (--timeout)"
    assert [json.loads(ln)["id"] for ln in r.stdout.splitlines()] == ["s2", "good"]


def test_ingest_timeout_counts_the_article_as_failed(tmp_path, slow_for_marked, cli):
    from click.testing import CliRunner
    db = str(tmp_path / "t.db")
    r = CliRunner().invoke(cli, ["ingest", *_inputs(tmp_path), "--timeout", "0.5", "--db", db],
                           catch_exceptions=False)
    assert r.exit_code == 2
    assert "stored 2, duplicates 0, failed 1" in r.stderr
    assert "  s1: analysis took longer than 0.5 s (--timeout)" in r.stderr.splitlines()
