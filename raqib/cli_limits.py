"""The input limits shared by `raqib analyze` and `raqib ingest` (README, 'Limits'), declared once."""
from __future__ import annotations

import click

from .pipeline import DEFAULT_TIMEOUT
from .read import MAX_ARTICLE_CHARS, MAX_FILE_MB


def limit_options(timeout_help: str = "Time limit per article (reading + analysis); 0: none."):
    """Decorator adding --timeout, --max-chars and --max-file-mb to a command."""
    def deco(f):
        for opt in reversed((
            click.option("--timeout", type=click.FloatRange(min=0), default=DEFAULT_TIMEOUT, show_default=True,
                         metavar="SECONDS", help=timeout_help),
            click.option("--max-chars", type=click.IntRange(min=1), default=MAX_ARTICLE_CHARS, show_default=True,
                         metavar="N", help="Refuse an article whose text is longer than N characters."),
            click.option("--max-file-mb", type=click.FloatRange(min=0, min_open=True), default=MAX_FILE_MB,
                         show_default=True, metavar="MB",
                         help="Refuse an input file (or its .gz contents) larger than MB megabytes."),
        )):
            f = opt(f)
        return f
    return deco
