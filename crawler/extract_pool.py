"""Extraction and per-article analysis in worker processes, so pages use every core.

trafilatura and htmldate are pure-Python heavy and hold the GIL, and so do shingling,
MinHash, relevance, event classification and story features: run on the reactor's thread
they cap a crawl at one core, with Scrapy, the dedup index and the database writer queued
behind them. Worker processes (forked from a fork server, never from the parent, which runs
threads and a reactor) take the decoded HTML and what the feed said, and return the :class:`~crawler.analysis.Prepared`
article (:func:`crawler.analysis.prepare`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, NamedTuple

from crawler.analysis.names import derive_names
from crawler.analysis.prepare import Analyser, Fallback, Prepared, prepare
from crawler.forkserver import worker_context

if TYPE_CHECKING:
    from core.config import DedupConfig, TopicConfig
    from crawler.analysis.names import DerivedNames

logger = logging.getLogger(__name__)

# How long closing the pool waits for workers that are still being started.
START_TIMEOUT = 60.0

# Pages handed to a worker in one task, at most. A task costs the crawl process about half a
# millisecond (the executor's queue and result threads, waking the event loop), an eighth of
# what extracting the page costs the worker: pages that wait while every worker is busy go
# together, and a page that finds a worker free goes at once.
MAX_BATCH = 8
# Tasks in flight per worker: with two, a worker finds its next task queued when it
# finishes one, instead of idling until the event loop hears of the result.
TASKS_PER_WORKER = 2

# Workers run at this much lower priority than the crawl process. Extraction keeps every
# core busy, and the crawl process (downloads and the store step, which share one GIL) got
# an equal share of the CPU with each worker: the store fell behind by up to 3 s of work,
# written alone on one core once the workers were done. Niced, the workers take whatever
# the crawl process leaves: 177 instead of 154 articles/s on the crawl bench (median of 4
# alternating runs each, 2 cores), the same CPU per article.
WORKER_NICENESS = 10

# A worker's exit status when it stops because the crawl process is gone.
ORPHANED_EXIT = 3


class _Job(NamedTuple):
    """A page waiting for a worker, and where its result goes."""

    html: str
    url: str
    fallback: Fallback
    result: asyncio.Future[Prepared]


# The worker process's analyser, built once by the pool's initializer.
_WORKER_ANALYSER: Analyser | None = None


def default_workers() -> int:
    """One worker per core: the reactor thread mostly waits while workers extract."""
    return max(1, os.cpu_count() or 1)


def _init_worker(topic: TopicConfig, dedup: DedupConfig, derived: DerivedNames, lifeline: Connection) -> None:
    # Exit with the crawl process, whatever kills it (see _watch_lifeline).
    threading.Thread(target=_watch_lifeline, args=(lifeline,), name="newswatch-lifeline", daemon=True).start()
    # One analyser per worker process (gazetteer, keyword patterns), built once.
    global _WORKER_ANALYSER
    # The names the parent derived (CLDR, GeoNames): deriving them again costs ~1 s per worker.
    _WORKER_ANALYSER = Analyser(topic, dedup, derived)
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)
    # trafilatura and py3langid's model are loaded already: the fork server preloaded them
    # (crawler.extract_preload).


def _watch_lifeline(lifeline: Connection) -> None:
    """Exit the worker once the crawl process is gone: its end of the lifeline reads EOF.

    A worker killed with its crawl process (``kill -9``, out of memory) would otherwise live
    on, re-parented to PID 1, forever: it waits for tasks on a queue whose write end every
    worker holds too, so it never reads EOF there. The fork server waits for its own pipe
    from the crawl process to close, but every worker holds a copy of that pipe as well, and
    the resource tracker waits for every worker and the fork server to close theirs; so the
    workers going takes the fork server and the tracker with them. Only the crawl process
    holds the write end of the lifeline (it is never inherited), and nobody ever writes to
    it. A blocked read on a thread of its own: nothing per page. (The parent-death signal,
    ``prctl(PR_SET_PDEATHSIG)``, cannot serve: a worker's parent is the fork server, which
    lives as long as the workers do.)
    """
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(ORPHANED_EXIT)


def _ready() -> bool:
    """A no-op task: submitting one per worker makes the pool start them all."""
    return _WORKER_ANALYSER is not None


def _prepare_in_worker(html: str, url: str, fallback: Fallback) -> Prepared:
    if _WORKER_ANALYSER is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("extraction worker started without its analyser")
    return prepare(html, url, fallback, _WORKER_ANALYSER)


def _prepare_batch_in_worker(pages: list[tuple[str, str, Fallback]]) -> list[Prepared | Exception]:
    # One page's exception is that page's outcome, not the batch's.
    outcomes: list[Prepared | Exception] = []
    for html, url, fallback in pages:
        try:
            outcomes.append(_prepare_in_worker(html, url, fallback))
        except Exception as exc:
            outcomes.append(exc)
    return outcomes


class ExtractPool:
    """Runs :func:`crawler.analysis.prepare` in worker processes; ``workers=0`` runs it inline."""

    def __init__(self, workers: int, topic: TopicConfig, dedup: DedupConfig) -> None:
        self.workers = workers
        self.topic = topic
        self.dedup = dedup
        self._lock = threading.Lock()
        # Resolves to the pool once its workers are being started (see start()).
        self._started: Future[ProcessPoolExecutor] | None = None
        # The write end of the started pool's lifeline (see _watch_lifeline): closed by
        # close(), or by the kernel when this process dies, and the workers exit.
        self._lifeline: Connection | None = None
        # Pages waiting for a free task slot, and tasks running (touched on the event loop).
        self._waiting: list[_Job] = []
        self._in_flight = 0

    @functools.cached_property
    def analyser(self) -> Analyser:
        """The in-process analyser: for workers=0 and for a broken pool.

        Built on first use, not with the pool: with workers it is never used, and building
        it (keyword and event patterns, the gazetteer) delayed the crawl's first fetch.
        """
        return Analyser(self.topic, self.dedup)

    def start(self) -> Future[ProcessPoolExecutor] | None:
        """Start every worker now, in the background, if they are not running yet.

        Spiders call this as soon as a feed lists new articles: starting the workers then
        overlaps the first article downloads instead of delaying the first extraction. It
        happens on a thread of its own: starting the first worker waits for the fork server
        to import trafilatura and load the language model (about a second), which on the
        event loop stalled every download of the crawl meanwhile. Started on first need, so
        a crawl with nothing new never pays for the workers. Returns the pool's future
        (None with ``workers=0``).
        """
        if self.workers <= 0:
            return None
        with self._lock:
            if self._started is None:
                self._started = Future()
                # Not inheritable (os.pipe()): no process but this one holds the write end.
                reader, self._lifeline = multiprocessing.Pipe(duplex=False)
                threading.Thread(
                    target=self._start_workers,
                    args=(self._started, reader),
                    name="newswatch-extract-start",
                    daemon=True,
                ).start()
            return self._started

    def _start_workers(self, started: Future[ProcessPoolExecutor], lifeline: Connection) -> None:
        try:
            # Every worker gets its own copy of the lifeline's read end with its initargs;
            # this process's copy lives as long as the pool, which may start one at any submit.
            pool = ProcessPoolExecutor(
                self.workers,
                mp_context=worker_context(),
                initializer=_init_worker,
                initargs=(self.topic, self.dedup, derive_names(self.topic), lifeline),
            )
            # The pool starts a process per task submitted while none is idle: one task
            # per worker starts them all.
            for _ in range(self.workers):
                pool.submit(_ready)
        except BaseException as exc:
            started.set_exception(exc)
        else:
            started.set_result(pool)

    async def prepare(self, html: str, url: str, fallback: Fallback) -> Prepared:
        """Extract and analyse a page; falls back to in-process work if the pool broke."""
        started = self.start()
        if started is None:
            return prepare(html, url, fallback, self.analyser)
        try:
            pool = await asyncio.wrap_future(started)
            result: asyncio.Future[Prepared] = asyncio.get_running_loop().create_future()
            self._waiting.append(_Job(html, url, fallback, result))
            self._dispatch(pool)
            return await result
        except (BrokenProcessPool, OSError) as exc:
            # A worker died (out of memory on a hostile page, killed) or none could be
            # started: keep crawling inline.
            logger.warning(
                "extraction workers unavailable (%s); extracting in-process from now on",
                type(exc).__name__,
                extra={"url": url},
            )
            self.workers = 0
            return prepare(html, url, fallback, self.analyser)

    def _dispatch(self, pool: ProcessPoolExecutor) -> None:
        """Hand waiting pages to the workers, up to :data:`MAX_BATCH` per task, while slots are free."""
        while self._waiting and self._in_flight < TASKS_PER_WORKER * max(1, self.workers):
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                task = pool.submit(_prepare_batch_in_worker, [(job.html, job.url, job.fallback) for job in batch])
            except (BrokenProcessPool, RuntimeError) as exc:  # broken, or shut down meanwhile
                _settle(batch, BrokenProcessPool(str(exc)) if isinstance(exc, RuntimeError) else exc)
                continue
            self._in_flight += 1
            asyncio.wrap_future(task).add_done_callback(functools.partial(self._finished, pool, batch))

    def _finished(self, pool: ProcessPoolExecutor, batch: list[_Job], task: asyncio.Future[Any]) -> None:
        self._in_flight -= 1
        if task.cancelled():
            _settle(batch, BrokenProcessPool("extraction task cancelled: the pool was closed"))
        elif (error := task.exception()) is not None:
            _settle(batch, error)
        else:
            for job, outcome in zip(batch, task.result(), strict=True):
                if job.result.done():  # its crawl was cancelled meanwhile
                    continue
                if isinstance(outcome, Exception):
                    job.result.set_exception(outcome)
                else:
                    job.result.set_result(outcome)
        self._dispatch(pool)

    def close(self, timeout: float | None = None) -> None:
        """Stop the workers (waiting for them to finish starting, if they are, at most ``timeout`` seconds)."""
        with self._lock:
            started, self._started = self._started, None
            lifeline, self._lifeline = self._lifeline, None
            waiting, self._waiting = self._waiting, []
        for job in waiting:
            # Nobody will run these pages now; their callers fall back to extracting inline.
            # (A RuntimeError: their event loop is closed, and nobody waits for them.)
            with contextlib.suppress(RuntimeError):
                job.result.get_loop().call_soon_threadsafe(_settle, [job], BrokenProcessPool("pool closed"))
        if started is None:
            return
        wait = START_TIMEOUT if timeout is None else min(timeout, START_TIMEOUT)
        try:
            try:
                pool = started.result(timeout=wait)
            except TimeoutError:
                # A start stuck this long (a fork server that never answers) must not keep the
                # process from exiting; its thread is a daemon. Closing the lifeline below
                # stops whatever workers it did start.
                logger.warning("extraction workers still starting after %.0f s; not waiting", wait)
                return
            except BaseException:  # never started: nothing to stop
                return
            pool.shutdown(wait=True, cancel_futures=True)
        finally:
            if lifeline is not None:
                lifeline.close()


def _settle(batch: list[_Job], error: BaseException) -> None:
    """Fail every still-pending page of ``batch`` with ``error``."""
    for job in batch:
        if not job.result.done():
            job.result.set_exception(error)
