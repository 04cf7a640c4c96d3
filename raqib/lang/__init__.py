"""Language knowledge as data: `lang/ar/*.tsv`, read by the one reader below.

Every data file is UTF-8 TSV whose leading `#` lines state its source and licence. `rows()` gives
the raw fields of the data lines; `records()` reads the first data line as a header and gives dicts.
"""
from __future__ import annotations

import csv
from pathlib import Path

AR = Path(__file__).resolve().parent / "ar"


def _data_lines(path: Path):
    with Path(path).open(encoding="utf-8", newline="") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.rstrip("\r\n")


def rows(path) -> list[list[str]]:
    """Fields of each data line (comments and blank lines skipped). A bare name means `lang/ar/NAME`."""
    path = Path(path) if "/" in str(path) else AR / path
    return [line.split("\t") for line in _data_lines(path)]


def records(path) -> list[dict]:
    """Data lines as dicts keyed by the header line (the first data line). Missing file: no records."""
    path = Path(path) if "/" in str(path) else AR / path
    if not path.exists():
        return []
    return list(csv.DictReader(_data_lines(path), delimiter="\t", quoting=csv.QUOTE_NONE))
