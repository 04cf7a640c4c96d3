"""The workbench commands: raqib serve | export | user.

`register(main)` adds them to the `raqib` group.
"""
from __future__ import annotations

import os
import sys

import click

from .cli_store import _open, db_option


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (rate limits are per process).")
@click.option("--org", default="raqib", show_default=True, help="Organisation named as author of ClaimReview exports.")
@click.option("--correction-rate", default="5/60", show_default=True, metavar="N/SECONDS",
              help="Public corrections accepted per client address in a window (per server process).")
def serve_cmd(db, host, port, workers, org, correction_rate):
    """Serve the workbench (search, articles, clusters, entities, events, corrections) and its JSON
    API; OpenAPI at /openapi.json."""
    import uvicorn

    with _open(db):         # fail early, with the store's own message, on a bad --db
        pass
    os.environ["RAQIB_DB"] = db
    os.environ["RAQIB_ORG"] = org
    try:
        n, secs = correction_rate.split("/")
        if int(n) < 1 or float(secs) <= 0:
            raise ValueError
    except ValueError:
        raise click.BadParameter("give N/SECONDS, for example 5/60", param_hint="--correction-rate") from None
    os.environ["RAQIB_CORRECTION_RATE"] = correction_rate
    click.echo(f"raqib workbench on http://{host}:{port}/  (store {db}; Ctrl-C stops)", err=True)
    uvicorn.run("raqib.web.serve:app", host=host, port=port, workers=workers, log_level="warning",
                proxy_headers=False)


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["claimreview", "json", "csv", "geojson", "gold"]), required=True,
              help="claimreview: verdicts as schema.org ClaimReview; json/csv: every claim; geojson: events; "
                   "gold: articles with accepted corrections as gold lines for `raqib eval`.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--org", default="raqib", show_default=True, help="Author organisation of ClaimReview documents.")
@click.option("--base-url", default="", help="The workbench's public address, for links in ClaimReview.")
def export_cmd(db, fmt, out, org, base_url):
    """Export the archive: ClaimReview JSON-LD, claims as JSON lines or CSV, events as GeoJSON."""
    from .export import render

    with _open(db) as store:
        text = render(store, fmt, org=org, base_url=base_url.rstrip("/"))
    if out:
        tmp = out + ".part"
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, out)
    else:
        sys.stdout.write(text)


@click.group("user")
def user_group():
    """Workbench accounts (editors review corrections; admins also manage accounts)."""


@user_group.command("add")
@click.argument("name")
@db_option
@click.option("--role", type=click.Choice(["editor", "admin"]), default="editor", show_default=True)
@click.option("--password", envvar="RAQIB_PASSWORD", help="Default: asked on the terminal (or $RAQIB_PASSWORD).")
def user_add(name, db, role, password):
    """Create an account."""
    from .web.auth import add_user

    if not password:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    with _open(db) as store:
        try:
            add_user(store, name, password, role)
        except ValueError as e:
            raise click.ClickException(str(e)) from None
    click.echo(f"added {role} {name}", err=True)


@user_group.command("list")
@db_option
def user_list(db):
    """List accounts."""
    from .web.auth import users

    with _open(db) as store:
        for u in users(store):
            click.echo(f"{u['id']}\t{u['name']}\t{u['role']}\t{u['created']}")


def register(main) -> None:
    for cmd in (serve_cmd, export_cmd, user_group):
        main.add_command(cmd)
