"""The `raqib` command: analyze articles, score against gold data."""
from __future__ import annotations

import json
import sys

import click

from .cli_limits import limit_options

from . import __version__

EXIT_BAD_INPUT = 2


def _dump(rec: dict, pretty: bool) -> str:
    return json.dumps(rec, ensure_ascii=False, indent=2 if pretty else None)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="raqib")
def main():
    """raqib — who claims what, about whom, where and when, in Arabic news."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) to resolve relative dates.")
@click.option("--id", "art_id", metavar="ID", help="Identifier for the article (single input).")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="json: one record per line; text: a readable summary.")
@click.option("--pretty", is_flag=True, help="Indent the JSON.")
@limit_options()
def analyze(paths, published, art_id, fmt, pretty, timeout, max_chars, max_file_mb):
    """Analyse Arabic news articles (.txt, .html, .json, .jsonl; '-' or nothing: standard input).

    Every extracted item carries character offsets into the record's `text`.
    A bad input gets a one-line error on standard error (`raqib: FILE: reason`) and exit status 2;
    the other inputs of the run are still analysed. So does an article that hits a limit:
    --timeout seconds, --max-chars characters, or a file over --max-file-mb.
    """
    from .pipeline import analyze_all

    if published:
        published = _check_date(published)
    paths = list(paths) or ["-"]
    failed = 0
    for item in analyze_all(paths, published=published, id=art_id, timeout=timeout or None,
                            max_chars=max_chars, max_file_mb=max_file_mb):
        if isinstance(item, Exception):
            failed += 1
            click.echo(f"raqib: {item}", err=True)
            continue
        rec = item.to_dict()
        if fmt == "text":
            from .render import render_text
            click.echo(render_text(rec))
        else:
            click.echo(_dump(rec, pretty))
    if failed:
        sys.exit(EXIT_BAD_INPUT)


def _check_date(s: str) -> str:
    import datetime as dt
    try:
        dt.date.fromisoformat(s[:10])
    except ValueError:
        raise click.BadParameter(f"{s!r} is not a date (YYYY-MM-DD)", param_hint="--published")
    return s


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False),
              help="Predictions (contract-v1 JSON lines); without it raqib analyses the gold texts.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False, writable=True),
              help="Write every miss (claims, speakers, stances, via, times, places, quantities) to this JSON-lines file.")
def eval_cmd(gold, pred, as_json, errors_path):
    """Score predictions against a gold file (claims, entities, times, places, quantities)."""
    from .eval.scorer import score, summary

    golds = _read_jsonl(gold)
    if pred:
        preds = {}
        for d in _read_jsonl(pred):
            preds[d.get("id")] = d
    else:
        from .article import Article
        from .pipeline import analyze as run
        preds = {}
        for g in golds:
            a = Article(text=g["text"], id=g.get("id"), title=g.get("title"), published=g.get("published"),
                        source=g.get("source"), url=g.get("url"))
            preds[g["id"]] = run(a).to_dict()
    counts = score(golds, preds, keep_errors=bool(errors_path))
    res = summary(counts)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as f:
            for e in counts.errors:
                f.write(json.dumps(e, ensure_ascii=False, default=str) + "\n")
    if as_json:
        click.echo(json.dumps(res))
    else:
        for k, v in res.items():
            click.echo(f"{k:18s} {v:.3f}" if isinstance(v, float) else f"{k:18s} {v}")


@main.command("eval-ner")
@click.argument("conll", type=click.Path(exists=True, dir_okay=False))
@click.option("--no-kb", is_flag=True, help="Tag without the knowledge-base features (how unseen names fare).")
def eval_ner(conll, no_kb):
    """Score the name tagger on a CoNLL file (token TAG per line, IOB2): exact-span P/R/F1 per type."""
    from .eval.ner import format_scores, score_conll

    click.echo(format_scores(score_conll(conll, use_kb=not no_kb)))


@main.command("eval-geo")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def eval_geo(paths):
    """Score the geoparser on IDRISI location-mention files: accuracy within 161 km, median error."""
    from .eval.geo import evaluate_geo, format_geo

    click.echo(format_geo(evaluate_geo(list(paths))))


@main.group()
def kb():
    """The knowledge base: entities, roles and the gazetteer."""


@kb.command("stats")
def kb_stats_cmd():
    """Sizes of the knowledge base and gazetteer (entities, aliases, places, Syrian places)."""
    from .kb.stats import format_stats, kb_stats

    click.echo(format_stats(kb_stats()))


def _read_jsonl(path: str) -> list[dict]:
    out = []
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise click.ClickException(f"{path}:{n}: invalid JSON ({e.msg})")
    return out


from .cli_store import register as _register_store  # noqa: E402  (ingest, search, claims, entity, stats)

_register_store(main)

from .cli_events import register as _register_events  # noqa: E402  (events)

_register_events(main)

from .cli_clusters import register as _register_clusters  # noqa: E402  (clusters, claim, eval-pairs, eval-stance)

_register_clusters(main)

from .cli_web import register as _register_web  # noqa: E402  (serve, export, user)

_register_web(main)

if __name__ == "__main__":
    main()
