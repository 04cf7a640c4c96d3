"""The cross-article commands: raqib clusters | claim | eval-pairs | eval-stance.

`register(main)` adds them to the `raqib` group (the store options are those of cli_store).
"""
from __future__ import annotations

import json
import os
import sys

import click

from .cli_store import _open, _clip, db_option, json_option


def _dumps(o) -> str:
    return json.dumps(o, ensure_ascii=False)


@click.command("clusters")
@db_option
@json_option
@click.option("--rebuild", is_flag=True, help="Forget stored clusters and cluster every claim again.")
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=min(2, os.cpu_count() or 1),
              show_default=True, help="Processes for embedding new claims.")
@click.option("--min-size", type=click.IntRange(1, 10**6), default=1, show_default=True,
              help="Only print clusters with at least this many claims.")
def clusters_cmd(db, as_json, rebuild, workers, min_size):
    """Cluster the stored claims that state the same proposition (new claims join the existing
    clusters; --rebuild starts over), relate clusters (contradicts / corroborates), print them."""
    from .link.cluster import cluster_store, export

    with _open(db) as store:
        n = store._one("SELECT COUNT(*) FROM claims")[0]
        with click.progressbar(length=max(1, int(n)), label="embed", file=sys.stderr, show_pos=True,
                               width=30) as bar:
            info = cluster_store(store, rebuild=rebuild, workers=workers, progress=bar.update)
        click.echo(f"claims {info['claims']}, embedded {info['embedded']} ({info['embedder']}), "
                   f"placed {info['new_members']}, clusters {info['clusters']} ({info['multi']} with 2+ claims), "
                   f"relations {dict(info['relations'])}, {info['seconds']} s", err=True)
        out = [c for c in export(store) if c["size"] >= min_size]
    for c in out:
        if as_json:
            click.echo(_dumps({k: c[k] for k in ("id", "label", "claims", "relations", "first", "speakers",
                                                    "outlets", "size")}))
        else:
            rel = ", ".join(f"{r['type']} #{r['cluster']}" for r in c["relations"][:4])
            click.echo(f"#{c['id']:<6} {c['size']:>4}  {_clip(c['label'] or '', 70):70s}  "
                       f"{_clip(', '.join(c['speakers'][:3]), 30):30s}  {rel}")


@click.command("claim")
@click.argument("ref", metavar="ID")
@db_option
@json_option
def claim_cmd(ref, db, as_json):
    """One claim (store claim id, or ARTICLE:C3) with its cluster, the chain of who relayed it,
    its first appearance and what contradicts it. Run `raqib clusters` first."""
    from .link.cluster import claim_view

    with _open(db) as store:
        v = claim_view(store, ref)
    if v is None:
        raise click.ClickException(f"no claim {ref!r} (a store claim id, or ARTICLE:C<n>)")
    if as_json:
        click.echo(_dumps(v))
        return
    c = v["claim"]
    click.echo(f"claim {c['claim']} ({c['article']}:{c['local']}, {c['published'] or '-'}, {c['source'] or '-'})")
    click.echo(f"  {c['speaker'] or '-'} [{c['stance']}]: {c['text']}")
    if c["via"]:
        click.echo(f"  via: {' ← '.join(c['via'])}")
    if v["cluster"] is None:
        click.echo("not clustered yet: run `raqib clusters`")
        return
    cl = v["cluster"]
    click.echo(f"\ncluster #{cl['id']} ({cl.get('size')} claims): {cl.get('label')}")
    f = v["first"]
    if f:
        click.echo(f"first appearance: {f['published'] or '-'} {f['source'] or '-'} ({f['speaker'] or '-'})")
    click.echo("\nRELAYED BY")
    for s in v["chain"]:
        via = (" via " + " ← ".join(s["via"])) if s["via"] else ""
        click.echo(f"  {(s['published'] or '-')[:10]}  {s['source'] or '-':12s} {s['speaker'] or '-'}{via} [{s['stance']}]")
    for title, key in (("CONTRADICTED BY", "contradicted_by"), ("CORROBORATED BY", "corroborated_by")):
        click.echo(f"\n{title}")
        if not v[key]:
            click.echo("  (none)")
        for r in v[key]:
            who = r["first"]["speaker"] if r["first"] else "-"
            click.echo(f"  #{r['cluster']} ({r['size']}) {who}: {_clip(r['label'] or '', 90)}")


@click.command("eval-pairs")
@click.argument("path", type=click.Path(exists=True))
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=min(2, os.cpu_count() or 1), show_default=True)
def eval_pairs_cmd(path, workers):
    """Macro-F1 of the claim-pair relation classifier (paraphrase / contradiction / other) on the
    ANS stance dev split (PATH: the corpus folder or a CSV with s1,s2,stance)."""
    from .link.evaluate import eval_pairs

    click.echo(_dumps(eval_pairs(path, workers=workers)))


@click.command("eval-stance")
@click.argument("path", type=click.Path(exists=True))
@click.option("--workers", "-j", type=click.IntRange(1, 64), default=min(2, os.cpu_count() or 1), show_default=True)
@click.option("--limit", type=int, default=None, help="Only the first N claim-article pairs.")
def eval_stance_cmd(path, workers, limit):
    """Article-vs-claim stance macro-F1 (agree / disagree / discuss / unrelated) on the Baly et al.
    2018 Syria corpus (PATH: its folder or a .jsonl of claims with their articles)."""
    from .link.evaluate import eval_stance

    click.echo(_dumps(eval_stance(path, workers=workers, limit=limit)))


def register(main: click.Group) -> None:
    for cmd in (clusters_cmd, claim_cmd, eval_pairs_cmd, eval_stance_cmd):
        main.add_command(cmd)
