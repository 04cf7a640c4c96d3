"""Composes the stages. Each stage reads the layers it needs from the Article and adds its own.

Limits (see README, 'Limits'): `analyze_all` reads each input within `max_file_mb`, refuses an
article longer than `max_chars` characters and gives each article `timeout` seconds (reading an
HTML page included); an input that hits a limit, or that the pipeline fails on, becomes a
ReadError ('FILE: reason') and the run goes on.
"""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from .article import Article
from .text.segment import sentences, tokenize

#: seconds one article may take (reading + analysis) in `raqib analyze` / `raqib ingest`
DEFAULT_TIMEOUT = 60.0


class TimeLimitExceeded(BaseException):
    """An article took longer than its time limit. A BaseException, like KeyboardInterrupt, so
    that the `except Exception` guards of the readers and of trafilatura let it through."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"took longer than {seconds:g} s (--timeout)")


def can_time_limit() -> bool:
    """Whether `time_limit` can interrupt here: SIGALRM exists (POSIX) and this is the main thread
    of the process (the only one Python delivers signals to)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None):
    """Raise TimeLimitExceeded in the block once `seconds` have passed (None or 0: no limit).

    A SIGALRM timer: Python runs the handler between bytecodes, and the regex engine checks for
    signals as it backtracks, so a runaway pattern is stopped too. Where SIGALRM cannot be used
    (Windows, a thread other than the main one) the block runs without a limit; `raqib ingest`
    with `--workers` runs each analysis in the main thread of a worker process, where it can.
    Nested limits: the inner one is in force until it ends, then the outer one's time is restored.
    """
    if not seconds or seconds <= 0 or not can_time_limit():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded(seconds)

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    # it fires again every second after the first: an exception raised while a __del__, weakref
    # or gc callback happens to run is printed and dropped by Python, and must not end the limit
    old_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    import time
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old_handler)
        if old_delay:   # an outer limit: give it what is left of its time (at least a tick)
            signal.setitimer(signal.ITIMER_REAL, max(old_delay - (time.monotonic() - started), 0.001), 1.0)


def analyze(article: Article) -> Article:
    from .extract import claims, entities, events, places, quantities, times

    text = article.text
    article.sentences = [{"start": s, "end": e} for s, e in sentences(text)]
    article.tokens = tokenize(text)
    entities.extract_entities(article)      # KB aliases + gazetteer place names → article.entities
    places.resolve_places(article)          # LOC entities → article.places (coordinates)
    article.times = times.extract_times(text, article.published)
    article.quantities = quantities.extract_quantities(text)
    claims.extract_claims(article)          # cues, speakers, content, via, stance, targets
    events.extract_events(article)          # typed incidents: trigger, actor, target, place, date, figures
    return article


def analyze_all(paths, published=None, id=None, timeout: float | None = DEFAULT_TIMEOUT,
                max_chars: int | None = None, max_file_mb: float | None = None):
    """Read and analyse every input; yields Articles, or ReadError for inputs that cannot be read,
    that hit a limit (`timeout` seconds per article, `max_chars`, `max_file_mb`; None: the
    readers' defaults) or that the analysis fails on."""
    from .read import ReadError, read_path

    for path in paths:
        items = read_path(path, published=published, id=id, max_chars=max_chars, max_file_mb=max_file_mb)
        name = "<stdin>" if path == "-" else str(path)
        while True:
            item = out = None
            try:
                with time_limit(timeout):
                    item = next(items, None)
                    if item is None:
                        break
                    out = item if isinstance(item, Exception) else analyze(item)
            except TimeLimitExceeded as e:
                if item is None:
                    # reading (an HTML page, say) ran out of time: the reader cannot go on with
                    # the rest of this file, so it is skipped
                    yield ReadError(name, f"reading {e}")
                    break
                out = ReadError(name, f"{_article(name, item)}analysis {e}")
            except Exception as e:  # a pipeline bug on odd input must not stop a batch
                out = ReadError(name, f"{_article(name, item)}analysis failed ({type(e).__name__}: {_first_line(e)})")
                out.__cause__ = e
            yield out


def _article(name: str, article) -> str:
    """'article ID: ' for an article of a many-article file, '' for a file's only article."""
    from pathlib import Path

    if article is None or not article.id or article.id in (Path(name).stem, "stdin"):
        return ""
    return f"article {article.id}: "


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0][:300] if s else type(e).__name__
