"""`raqib ingest`: read, analyse and store articles; idempotent and resumable.

Each input article is read, hashed (`store.content_hash` of its text) and looked up in the store
*before* it is analysed: a rerun after Ctrl-C, SIGKILL or a crash skips what is stored in the time
it takes to read and hash it, and resumes where the last committed article left off. Each article
is stored in its own transaction, so nothing is ever half-written. The same text met again under
another id, outlet or URL is counted as a duplicate and its metadata kept as a copy of the stored
article (`Store.add_copy`). A file that cannot be read, an
article the pipeline chokes on or a record the store refuses is counted as failed, with its reason,
and the batch goes on.

With `workers > 1` the analysis runs in that many processes (spawned, so they share no database
connection with the parent) and the parent reads, hashes and writes; results are stored in input
order.

With `dask` set (a scheduler address such as tcp://host:8786, or 'local' for a LocalCluster of
`workers` processes) the analysis runs on a Dask distributed cluster: the parent reads, hashes and
skips what is stored as above, sends the rest in small batches (`client.submit`), and writes each
result as its batch completes, one transaction per article. The workers need raqib installed; a
batch lost with its worker counts its articles as failed (a rerun retries them).

Limits (README, 'Limits'): a file above `max_file_mb` and an article above `max_chars` characters
are refused, and each article gets `timeout` seconds, for reading (an HTML page) and for its
analysis (inline or in a worker process; SIGALRM in the process's main thread, see
`pipeline.time_limit`; not on Dask, whose tasks run in threads). An article that hits a limit is
counted as failed with the reason, and the batch goes on.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .pipeline import DEFAULT_TIMEOUT, TimeLimitExceeded, time_limit
from .read import HTML_EXT, JSON_EXT, JSONL_EXT, ReadError, read_path
from .read.errors import one_line
from .store.base import Store, content_hash

#: extensions picked up inside folders (each also with .gz)
FOLDER_EXT = frozenset({".txt", ".text"}) | HTML_EXT | JSON_EXT | JSONL_EXT
MAX_REASONS = 20
DASK_BATCH = 8          # articles per Dask task


@dataclass
class Outcome:
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list = field(default_factory=list)   # the first MAX_REASONS reasons
    interrupted: bool = False

    def summary(self) -> str:
        return f"stored {self.stored}, duplicates {self.duplicates}, failed {self.failed}"

    def fail(self, reason: str):
        self.failed += 1
        if len(self.failures) < MAX_REASONS:
            self.failures.append(one_line(reason))


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files as given; folders walked recursively (sorted, hidden entries skipped) for files with
    a FOLDER_EXT extension (optionally .gz); '-' is standard input."""
    for p in paths:
        p = str(p)
        if p != "-" and os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and _ext(f) in FOLDER_EXT:
                        yield os.path.join(root, f)
        else:
            yield p


def _ext(name: str) -> str:
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return Path(name).suffix


def estimate(path: str) -> int:
    """How many articles a file probably holds (JSON lines: its non-blank lines; else 1)."""
    if path == "-" or _ext(path) not in JSONL_EXT or path.lower().endswith(".gz"):
        return 1
    try:
        n = 0
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    n += 1
        return max(n, 1)
    except OSError:
        return 1


def ingest(paths: Iterable[str], store: Store, workers: int = 1, published: str | None = None,
           on_item: Callable[[str, str], None] | None = None, dask: str | None = None,
           timeout: float | None = DEFAULT_TIMEOUT, max_chars: int | None = None,
           max_file_mb: float | None = None) -> Outcome:
    """Read, analyse and store every article of `paths` (files, folders, '-').

    `on_item(kind, label)` is called once per article or failed input, kind being 'stored',
    'duplicate' or 'failed'. Ctrl-C stops the run cleanly: the article being written is rolled
    back and `Outcome.interrupted` is set. `dask`: analyse on a Dask cluster (scheduler address or
    'local'), see the module's docstring. `timeout` (seconds per article), `max_chars` and
    `max_file_mb` are the limits (None: the readers' defaults; timeout None or 0: none).
    """
    out = Outcome()
    report = on_item or (lambda kind, label: None)

    def done(kind: str, label: str, reason: str | None = None):
        if kind == "stored":
            out.stored += 1
        elif kind == "duplicate":
            out.duplicates += 1
        else:
            out.fail(reason or f"{label}: failed")
        report(kind, label)

    def store_record(label: str, ok: bool, result):
        if not ok:
            done("failed", label, f"{label}: {result}")
            return
        try:
            kind = store.add_article(result)
        except Exception as e:  # a record the store refuses must not stop the batch
            done("failed", label, f"{label}: not stored ({type(e).__name__}: {_first_line(e)})")
            return
        done(kind, label)

    pool = None
    pending: deque = deque()        # (label, hash, future, its pool)
    inflight: set = set()
    later: list = []                # (hash, metadata) of copies met while their original was in flight
    window = max(1, workers) * 8
    cluster = None
    try:
        if dask:
            cluster = _DaskRunner(dask, workers, store_record, inflight, timeout)
        for item in _articles(paths, published, timeout, max_chars, max_file_mb):
            if isinstance(item, ReadError):
                done("failed", item.path, str(item))
                continue
            label = item.id or "article"
            try:
                h = content_hash(item.text)
                if h in inflight:             # its first copy is still being analysed
                    later.append((h, _meta(item)))
                    done("duplicate", label)
                    continue
                if store.has(h):
                    store.add_copy(h, _meta(item))
                    done("duplicate", label)
                    continue
            except Exception as e:
                done("failed", label, f"{label}: store lookup failed ({type(e).__name__}: {_first_line(e)})")
                continue
            if cluster is not None:
                inflight.add(h)
                cluster.add(label, h, item)
                continue
            if workers <= 1:
                store_record(label, *_analyse(item, timeout))
                continue
            if pool is None:
                pool = _pool(workers)
            inflight.add(h)
            pending.append((label, h, pool.submit(_analyse, item, timeout), pool))
            while len(pending) >= window:
                pool = _drain_one(pending, inflight, store_record, pool)
        while pending:
            pool = _drain_one(pending, inflight, store_record, pool)
        if cluster is not None:
            cluster.finish()
        for h, meta in later:
            try:
                store.add_copy(h, meta)
            except Exception:   # a copy's metadata is a nicety; a rerun records it
                pass
    except KeyboardInterrupt:
        out.interrupted = True
    finally:
        if pool is not None:
            pool.shutdown(wait=not out.interrupted, cancel_futures=True)
        if cluster is not None:
            cluster.close()
    return out


def _articles(paths, published, timeout=None, max_chars=None, max_file_mb=None):
    """The Articles and ReadErrors of every input; reading one article (an HTML page, say) that
    takes longer than `timeout` gives a ReadError and the rest of that file is skipped."""
    for path in expand_paths(paths):
        items = read_path(path, published=published, max_chars=max_chars, max_file_mb=max_file_mb)
        while True:
            try:
                with time_limit(timeout):
                    item = next(items, None)
            except TimeLimitExceeded as e:
                yield ReadError("<stdin>" if path == "-" else path, f"reading {e}")
                break
            if item is None:
                break
            yield item


def _drain_one(pending: deque, inflight: set, store_record, pool):
    from concurrent.futures.process import BrokenProcessPool

    label, h, fut, owner = pending.popleft()
    try:
        ok, result = fut.result()
    except BrokenProcessPool:
        ok, result = False, "analysis worker died (out of memory?); rerun to retry"
        if pool is owner:        # start a fresh pool for what comes next
            pool.shutdown(wait=False, cancel_futures=True)
            pool = None
    except Exception as e:
        ok, result = False, f"analysis failed ({type(e).__name__}: {_first_line(e)})"
    store_record(label, ok, result)
    inflight.discard(h)
    return pool


class _DaskRunner:
    """Batches of articles analysed on a Dask cluster; results stored as their batch completes."""

    def __init__(self, address: str, workers: int, store_record, inflight: set, timeout=None):
        from dask.distributed import Client, LocalCluster, as_completed

        self.cluster = None
        if address == "local":
            self.cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        n = len(self.client.scheduler_info().get("workers", {})) or max(1, workers)
        self.window = max(2, n * 3)          # batches in flight
        self.store_record, self.inflight, self.timeout = store_record, inflight, timeout
        self.batch: list = []
        self.running = as_completed()
        self.items: dict = {}                # future key -> [(label, hash)]

    def add(self, label, h, article):
        self.batch.append((label, h, article))
        if len(self.batch) >= DASK_BATCH:
            self._submit()

    def _submit(self):
        if not self.batch:
            return
        batch, self.batch = self.batch, []
        fut = self.client.submit(_analyse_batch, [a for _, _, a in batch], self.timeout, pure=False)
        self.items[fut.key] = [(label, h) for label, h, _ in batch]
        self.running.add(fut)
        while self.running.count() >= self.window:
            self._store_next()

    def _store_next(self):
        fut = next(self.running)
        items = self.items.pop(fut.key)
        try:
            results = fut.result()
        except Exception as e:      # the worker died (KilledWorker), lost connection, ...
            reason = f"analysis failed on the cluster ({type(e).__name__}: {_first_line(e)}); rerun to retry"
            results = [(False, reason)] * len(items)
        fut.release()
        for (label, h), (ok, result) in zip(items, results):
            self.store_record(label, ok, result)
            self.inflight.discard(h)

    def finish(self):
        self._submit()
        while self.running.count():
            self._store_next()

    def close(self):
        try:
            self.running.clear()
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


_ANALYSE_LOCK = threading.Lock()


def _analyse_batch(articles: list, timeout=None) -> list:
    """[(ok, record or reason)] for a batch; runs on a Dask worker. One batch at a time per
    process: the taggers are shared and not thread-safe (and the GIL gains nothing here). The time
    limit applies only where the task runs in a main thread (Dask runs tasks in threads)."""
    with _ANALYSE_LOCK:
        return [_analyse(a, timeout) for a in articles]


def _meta(article) -> dict:
    return {"id": article.id, "title": article.title, "published": article.published, "source": article.source,
            "url": article.url}


def _pool(workers: int):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker)


def _init_worker():
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent handles Ctrl-C
    # A worker must not outlive a parent killed with SIGKILL (it would wait on its queue forever).
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch():
            parent.join()
            os._exit(1)
        threading.Thread(target=watch, daemon=True, name="raqib-parent-watch").start()


def _analyse(article, timeout=None):
    """(True, record) or (False, reason); runs in a worker process or inline, within `timeout`
    seconds (see `pipeline.time_limit`)."""
    from .pipeline import analyze

    try:
        with time_limit(timeout):
            return True, analyze(article).to_dict()
    except TimeLimitExceeded as e:
        return False, f"analysis {e}"
    except Exception as e:
        return False, f"analysis failed ({type(e).__name__}: {_first_line(e)})"


def _first_line(e: BaseException) -> str:
    s = str(e).strip()
    return s.splitlines()[0][:300] if s else type(e).__name__
