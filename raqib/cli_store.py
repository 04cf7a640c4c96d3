"""The archive commands: raqib ingest | search | claims | entity | stats.

`register(main)` adds them to the `raqib` group. The store is `--db URL` (an SQLite file path,
sqlite:///path or postgresql://...), else $RAQIB_DB, else `raqib.db` in the current directory.
"""
from __future__ import annotations

import json
import re
import sys

import click

from .cli_limits import limit_options

from .store import DEFAULT_DB, STANCES

EXIT_FAILED = 2
EXIT_INTERRUPTED = 130

db_option = click.option("--db", "db", metavar="URL", envvar="RAQIB_DB", default=DEFAULT_DB, show_default=True,
                         help="Store: an SQLite file, sqlite:///path or postgresql://user@host/db ($RAQIB_DB).")
json_option = click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")


def _open(db):
    from .store import open_store
    try:
        return open_store(db)
    except (OSError, ValueError, RuntimeError) as e:
        raise click.ClickException(str(e))


def _date(param: str):
    def check(ctx, p, value):
        if value is None:
            return None
        from .store.base import date_bound
        try:
            date_bound(value, upper=False)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint=param)
        return value
    return check


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@db_option
@click.option("--workers", "-j", type=click.IntRange(1, 256), default=1, show_default=True,
              help="Analyse in N processes (the parent writes).")
@click.option("--dask", "dask", metavar="ADDRESS",
              help="Analyse on a Dask distributed cluster: a scheduler address (tcp://host:8786), or 'local' "
                   "for a LocalCluster of --workers processes. The parent writes.")
@click.option("--published", metavar="DATE", callback=_date("--published"),
              help="Publication date for inputs that lack one.")
@limit_options("Time limit per article (reading + analysis; not enforced on --dask); 0: none.")
def ingest_cmd(paths, db, workers, dask, published, timeout, max_chars, max_file_mb):
    """Analyse and store articles: files (.txt .html .json .jsonl), folders (recursively), '-'.

    The same text is stored once (content hash): a rerun skips what is stored before analysing
    it, so an interrupted ingest resumes where it stopped. One transaction per article. Prints
    `stored N, duplicates N, failed N` and the reasons of failures; exit status 2 when some input
    failed, 130 when interrupted. An article that hits a limit (--timeout, --max-chars, a file
    over --max-file-mb) is counted as failed with its reason, and the batch goes on.
    """
    from .ingest import MAX_REASONS, estimate, expand_paths, ingest

    files = list(expand_paths(paths))
    if not files:
        raise click.ClickException("no input files (folders are searched for .txt .html .json .jsonl)")
    total = sum(estimate(f) for f in files)
    with _open(db) as store:
        with click.progressbar(length=total, label="ingest", file=sys.stderr, show_pos=True,
                               show_eta=True, width=30) as bar:
            def on_item(kind, label):
                if bar.pos + 1 > bar.length:
                    bar.length = bar.pos + 1
                bar.update(1)
            try:
                out = ingest(files, store, workers=workers, published=published, on_item=on_item, dask=dask,
                             timeout=timeout or None, max_chars=max_chars, max_file_mb=max_file_mb)
            except ImportError as e:
                if not dask:
                    raise
                raise click.ClickException(f"--dask needs dask[distributed] ({e})")
            except OSError as e:     # the scheduler cannot be reached
                if not dask:
                    raise
                raise click.ClickException(f"--dask {dask}: {e}")
    click.echo(out.summary() + (" (interrupted: rerun the same command to resume)" if out.interrupted else ""),
               err=True)
    for r in out.failures:
        click.echo(f"  {r}", err=True)
    if out.failed > MAX_REASONS:
        click.echo(f"  ... and {out.failed - MAX_REASONS} more", err=True)
    if out.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if out.failed:
        sys.exit(EXIT_FAILED)


@click.command("search")
@click.argument("query")
@db_option
@json_option
@click.option("--limit", "-n", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--source", help="Only articles from this source.")
@click.option("--since", metavar="DATE", callback=_date("--since"), help="Published on or after (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", callback=_date("--until"), help="Published on or before.")
def search_cmd(query, db, as_json, limit, source, since, until):
    """Full-text search over normalised Arabic: every word must occur (ادلب finds إدلب,
    الهجوم finds هجوم). Best matches first."""
    with _open(db) as store:
        hits = store.search(query, limit=limit, filters={"source": source, "since": since, "until": until})
    if as_json:
        for h in hits:
            click.echo(_dumps(h))
        return
    if not hits:
        click.echo("no matches", err=True)
        return
    rows = [(h["article"], h["id"] or "", (h["published"] or "")[:10], h["source"] or "", h["title"] or "")
            for h in hits]
    click.echo(_table(("#", "ID", "DATE", "SOURCE", "TITLE"), rows, (6, 30, 10, 12, 56)))
    if len(hits) <= 20:
        click.echo("")
        for h in hits:
            click.echo(f"{h['article']:>6}  {_clip(h.get('snippet') or '', 110)}")


@click.command("claims")
@db_option
@json_option
@click.option("--speaker", metavar="NAME", help="Said by this entity (name or alias) or speaker text.")
@click.option("--about", metavar="NAME", help="About this entity (a target of the claim).")
@click.option("--stance", type=click.Choice(STANCES), help="Stance of the claim.")
@click.option("--place", metavar="NAME", help="About this place (or a place in this governorate/region).")
@click.option("--since", metavar="DATE", callback=_date("--since"), help="Published on or after (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", callback=_date("--until"), help="Published on or before.")
@click.option("--limit", "-n", type=click.IntRange(1, 10_000), default=50, show_default=True)
def claims_cmd(db, as_json, speaker, about, stance, place, since, until, limit):
    """Claims matching every given filter, oldest first."""
    with _open(db) as store:
        rows = store.claims(speaker=speaker, about=about, stance=stance, place=place, since=since, until=until,
                            limit=limit)
    if as_json:
        for c in rows:
            click.echo(_dumps(c))
        return
    if not rows:
        click.echo("no claims", err=True)
        return
    click.echo(_claims_table(rows))


@click.command("entity")
@click.argument("name")
@db_option
@json_option
@click.option("--limit", "-n", type=click.IntRange(1, 10_000), default=20, show_default=True,
              help="At most N records and N claims of each kind.")
def entity_cmd(name, db, as_json, limit):
    """An entity across articles: its names, when it appears, the claims it made and received."""
    with _open(db) as store:
        e = store.entity(name, limit=limit)
    if as_json:
        click.echo(_dumps(e))
        return
    if not e["found"]:
        click.echo(f"no entity named {name!r}", err=True)
        sys.exit(1)
    click.echo(_table(("NAME", "TYPE", "KB", "ARTICLES", "MENTIONS"),
                      [(n["name"], n["type"], n["kb"] or "", n["articles"], n["mentions"]) for n in e["names"]],
                      (36, 5, 28, 8, 8)))
    click.echo("\nTIMELINE")
    click.echo(_table(("MONTH", "ARTICLES", "MADE", "RECEIVED"),
                      [(t["period"], t["articles"], t["made"], t["received"]) for t in e["timeline"]],
                      (8, 8, 6, 8)))
    for title, key in (("CLAIMS MADE", "made"), ("CLAIMS RECEIVED", "received")):
        click.echo(f"\n{title}")
        click.echo(_claims_table(e[key]) if e[key] else "(none)")


@click.command("stats")
@db_option
@json_option
def stats_cmd(db, as_json):
    """What the store holds: articles, entities, claims, date range, sources, stances."""
    with _open(db) as store:
        s = store.stats()
    if as_json:
        click.echo(_dumps(s))
        return
    for k, v in s.items():
        if isinstance(v, dict):
            v = ", ".join(f"{a or '-'} {b}" for a, b in v.items()) or "-"
        click.echo(f"{k:16s} {v}")


def register(main: click.Group) -> None:
    """Add the archive commands to the `raqib` group."""
    for cmd in (ingest_cmd, search_cmd, claims_cmd, entity_cmd, stats_cmd):
        main.add_command(cmd)


# -- output ----------------------------------------------------------------------------------------

def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


_WS = re.compile(r"\s+")


def _clip(s, width: int) -> str:
    s = _WS.sub(" ", str(s)).strip()
    return s if len(s) <= width else s[:width - 1] + "…"


def _table(header, rows, widths) -> str:
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    for r in rows:
        cells = []
        for v, w in zip(r, widths):
            v = _clip("" if v is None else v, w)
            cells.append(v.rjust(w) if isinstance(r, tuple) and str(v).isdigit() else v.ljust(w))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _claims_table(claims) -> str:
    rows = []
    for c in claims:
        spk = c["speaker"]["name"] or c["speaker"]["text"] if c["speaker"] else "-"
        via = ", ".join(v["name"] or v["text"] for v in c["via"]) or ""
        rows.append(((c["published"] or "")[:10], f"{c['article']}:{c['claim']}", spk, c["stance"] or "",
                     c["content"]["text"] or "", via))
    return _table(("DATE", "CLAIM", "SPEAKER", "STANCE", "CONTENT", "VIA"), rows, (10, 10, 24, 7, 64, 20))
