"""`raqib events`: the incidents of the archive, each merged from all the articles that report it.

`register(main)` adds the command to the `raqib` group.
"""
from __future__ import annotations

import json

import click

from .cli_store import _date, _open, db_option, json_option

EVENT_TYPES = ("chemical_attack", "air_strike", "shelling", "clash", "explosion", "arrest_abduction",
               "displacement", "agreement", "protest", "aircraft_downed", "other_violence")


@click.command("events")
@db_option
@json_option
@click.option("--type", "type_", type=click.Choice(EVENT_TYPES), help="Only events of this type.")
@click.option("--since", metavar="DATE", callback=_date("--since"), help="Events on or after DATE (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", callback=_date("--until"), help="Events on or before DATE.")
@click.option("--place", metavar="NAME", help="Only events at this place (or in this governorate).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most N events.")
@click.option("--per-article", is_flag=True,
              help="One mention per reporting article (its first span) instead of every reporting span.")
def events_cmd(db, as_json, type_, since, until, place, limit, per_article):
    """Events (typed incidents) merged across articles, oldest first: type, date, place, actor,
    target, casualties and every report (article and offsets)."""
    from .store.events import list_events

    with _open(db) as store:
        evs = list_events(store, type=type_, since=since, until=until, place=place, limit=limit,
                          spans="article" if per_article else "all")
    if as_json:
        for e in evs:
            click.echo(json.dumps(e, ensure_ascii=False))
        return
    if not evs:
        click.echo("no events", err=True)
        return
    for e in evs:
        p = e["place"] or {}
        figs = ", ".join(f"{k} {e[k]}" for k in ("killed", "injured", "displaced") if e.get(k) is not None)
        who = " → ".join(x for x in (e["actor"], e["target"]) if x)
        click.echo(f"{e['id']:>6}  {e['date'] or '?':10}  {e['type']:16}  {p.get('name') or '?'}"
                   + (f" ({p['country']})" if p.get("country") else "")
                   + (f"  {who}" if who else "") + (f"  [{figs}]" if figs else "")
                   + f"  {len({m['article'] for m in e['mentions']})} report(s)")
        for m in e["mentions"]:
            click.echo(f"          {m['article']}  {m['source'] or ''}  {m['start']}-{m['end']}  {m['text']}")


@click.command("eval-events")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", type=click.Path(exists=True, dir_okay=False),
              help="JSON lines with the texts the gold refers to (default: articles.jsonl beside GOLD); "
                   "only the articles the gold names are ingested.")
@click.option("--pred", type=click.Path(exists=True, dir_okay=False), help="`raqib events --json` output to score.")
def eval_events_cmd(gold, articles, pred):
    """Score merged events against hand-made gold: mentions found, pairwise merge F1, type, date
    and place accuracy."""
    from .eval.events import evaluate

    click.echo(json.dumps(evaluate(gold, articles, pred), ensure_ascii=False, indent=1))


@click.command("eval-clusters")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--articles", type=click.Path(exists=True, dir_okay=False), required=True,
              help="JSON lines with the texts the gold refers to; only the articles the gold names are ingested.")
@click.option("--pred", type=click.Path(exists=True, dir_okay=False), help="`raqib clusters --json` output to score.")
def eval_clusters_cmd(gold, articles, pred):
    """Score claim clusters against hand-made gold: pairwise clustering F1 and contradiction recall."""
    from .eval.clusters import evaluate

    click.echo(json.dumps(evaluate(gold, articles, pred), ensure_ascii=False, indent=1))


def register(main) -> None:
    if "events" not in getattr(main, "commands", {}):
        main.add_command(events_cmd)
    main.add_command(eval_events_cmd)
    main.add_command(eval_clusters_cmd)
