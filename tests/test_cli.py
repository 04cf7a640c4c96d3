"""The `raqib` command: analyze (inputs, formats, errors) and eval."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from raqib.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "raqib" / "data" / "examples" / "enab-baladi-2019-11-26.txt"

ARTICLE = ("قال وزير الخارجية الروسي سيرغي لافروف، اليوم الثلاثاء، إن موسكو لن تسمح بتكرار الهجوم على "
           "مدينة دوما، مضيفا أن الولايات المتحدة تتحمل المسؤولية عن التصعيد في سوريا.")


def run(args, input=None):
    return CliRunner().invoke(main, args, input=input, catch_exceptions=False)


def test_analyze_example_json_line():
    r = run(["analyze", str(EXAMPLE), "--published", "2019-11-26"])
    assert r.exit_code == 0
    lines = [l for l in r.output.splitlines() if l.strip()]
    assert len(lines) == 1
    rec = json.loads(lines[0])
    assert rec["raqib"] == 1
    assert rec["published"].startswith("2019-11-26")
    assert rec["claims"] and rec["entities"]


def test_analyze_stdin_and_text_format():
    r = run(["analyze", "-", "--format", "text", "--published", "2018-04-17", "--id", "x1"], input=ARTICLE)
    assert r.exit_code == 0
    assert "CLAIMS" in r.output and "x1" in r.output
    assert "warn" in r.output or "assert" in r.output


def test_analyze_stdin_json_has_claims_with_offsets():
    r = run(["analyze", "--published", "2018-04-17"], input=ARTICLE)
    rec = json.loads(r.output)
    assert len(rec["claims"]) == 2
    for c in rec["claims"]:
        assert rec["text"][c["content"]["start"]:c["content"]["end"]] == c["content"]["text"]
    assert rec["claims"][1]["cue"]["text"] == "مضيفا"
    assert rec["claims"][1]["stance"] == "accuse"


def test_bad_inputs_exit_2_and_others_still_analysed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    english = tmp_path / "english.txt"
    english.write_text("Title\nThis article is written in English only, with no Arabic at all.\n")
    good = tmp_path / "good.txt"
    good.write_text("عنوان\n" + ARTICLE, encoding="cp1256")
    r = CliRunner().invoke(main, ["analyze", str(empty), str(binary), str(english), str(good)])
    assert r.exit_code == 2
    errs = [l for l in r.stderr.splitlines() if l.strip()] if hasattr(r, "stderr") else []
    out = [l for l in r.stdout.splitlines() if l.strip()]
    assert len(out) == 1 and json.loads(out[0])["claims"]
    assert len(errs) == 3
    assert "empty.txt" in errs[0] and "empty" in errs[0]
    assert "blob.txt" in errs[1]
    assert "english.txt" in errs[2] and "Arabic" in errs[2]


def test_bad_published_date_is_a_usage_error():
    r = CliRunner().invoke(main, ["analyze", "-", "--published", "yesterday"], input=ARTICLE)
    assert r.exit_code == 2
    assert "not a date" in r.output


def test_eval_scores_predictions_against_gold(tmp_path):
    gold = {"id": "g1", "published": "2018-04-17", "text": ARTICLE,
            "claims": [{"cue": "قال", "speaker": "وزير الخارجية الروسي سيرغي لافروف", "speaker_en": "Sergey Lavrov",
                        "speaker_type": "PER", "content": "موسكو لن تسمح بتكرار الهجوم على مدينة دوما",
                        "stance": "warn", "via": [], "direct_quote": False}],
            "entities": [], "times": [{"text": "اليوم الثلاثاء", "value": "2018-04-17"}],
            "places": [], "quantities": []}
    g = tmp_path / "gold.jsonl"
    g.write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    r = run(["eval", str(g), "--json"])
    res = json.loads(r.output)
    assert res["claims_r"] == 1.0
    assert res["speaker_acc"] == 1.0
    assert res["stance_acc"] == 1.0
    assert res["times_acc"] == 1.0
    # an empty prediction scores zero recall
    p = tmp_path / "pred.jsonl"
    p.write_text(json.dumps({"id": "g1", "text": ARTICLE, "claims": []}) + "\n", encoding="utf-8")
    res = json.loads(run(["eval", str(g), "--pred", str(p), "--json"]).output)
    assert res["claims_r"] == 0.0 and res["missing_articles"] == 0


def test_eval_ner_scores_a_conll_file(tmp_path):
    conll = tmp_path / "tiny.conll"
    conll.write_text("قال O\nوزير O\nالخارجية O\nالروسي O\nسيرغي B-PER\nلافروف I-PER\nفي O\nموسكو B-LOC\n.\tO\n\n",
                     encoding="utf-8")
    r = run(["eval-ner", str(conll)])
    lines = r.output.splitlines()
    assert lines[0].split()[:4] == ["type", "P", "R", "F1"]
    assert any(l.startswith("all") for l in lines)


def test_throughput_benchmark_runs_on_a_small_corpus(tmp_path):
    import subprocess
    import sys
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"text": ARTICLE, "published": "2018-04-17"}, ensure_ascii=False)
                                for _ in range(5)) + "\n", encoding="utf-8")
    bench = Path(__file__).resolve().parent.parent / "bench" / "throughput.py"
    out = subprocess.run([sys.executable, str(bench), str(corpus), "--warmup", "1"], capture_output=True,
                         text=True, check=True).stdout
    assert "articles        4" in out
    assert "articles/s" in out and "peak memory" in out
    assert "8 claims found" in out
