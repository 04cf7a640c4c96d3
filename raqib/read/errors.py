"""The one error type the readers report."""
from __future__ import annotations


class ReadError(Exception):
    """A file (or one record of it) that cannot become an Article.

    `str(e)` is 'PATH: reason', e.g. 'x.txt: empty file' or 'b.jsonl:3: invalid JSON (...)'.
    The readers yield these instead of raising, so that one bad file or line does not stop a batch.
    """

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __repr__(self) -> str:
        return f"ReadError({self.path!r}, {self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReadError) and (self.path, self.reason) == (other.path, other.reason)

    def __hash__(self) -> int:
        return hash((self.path, self.reason))
