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
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from crawler.analysis import Analyser, Fallback, Prepared, prepare

if TYPE_CHECKING:
    from scheduler.config import DedupConfig, TopicConfig

logger = logging.getLogger(__name__)

# The worker process's analyser, built once by the pool's initializer.
_WORKER_ANALYSER: Analyser | None = None


def default_workers() -> int:
    """One worker per core: the reactor thread mostly waits while workers extract."""
    return max(1, os.cpu_count() or 1)


def _init_worker(topic: TopicConfig, dedup: DedupConfig) -> None:
    # One analyser per worker process (gazetteer, keyword patterns), built once.
    global _WORKER_ANALYSER
    _WORKER_ANALYSER = Analyser(topic, dedup)
    # py3langid's model (~0.4 s of CPU to load) is left to the first page that needs it:
    # English text is recognised without it (crawler.extract.detect_language).


def _ready() -> bool:
    """A no-op task: submitting one per worker makes the pool start them all."""
    return _WORKER_ANALYSER is not None


def _prepare_in_worker(html: str, url: str, fallback: Fallback) -> Prepared:
    if _WORKER_ANALYSER is None:  # pragma: no cover - the initializer always runs first
        raise RuntimeError("extraction worker started without its analyser")
    return prepare(html, url, fallback, _WORKER_ANALYSER)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Fork workers from a fork server that has imported their code, where there is one.

    Not plain fork: the parent runs a reactor and threads. A spawned worker imports
    trafilatura and the analysis code itself and loads the language model on its first
    non-English page, about 0.8 s of CPU per worker; forked from the fork server (itself
    started from a fresh interpreter, :mod:`crawler.extract_preload`) a worker starts warm.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Process-wide, and read when the fork server starts (first worker of the process).
    context.set_forkserver_preload(["crawler.extract_preload"])
    return context


class ExtractPool:
    """Runs :func:`crawler.analysis.prepare` in worker processes; ``workers=0`` runs it inline."""

    def __init__(self, workers: int, topic: TopicConfig, dedup: DedupConfig) -> None:
        self.workers = workers
        self.topic = topic
        self.dedup = dedup
        # The in-process analyser: for workers=0 and for a broken pool.
        self.analyser = Analyser(topic, dedup)
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.workers <= 0:
            return None
        if self._pool is None:
            # Started on first use: a crawl with nothing new never pays for the workers.
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=_worker_context(),
                initializer=_init_worker,
                initargs=(self.topic, self.dedup),
            )
        return self._pool

    def start(self) -> None:
        """Start every worker now, in the background, if they are not running yet.

        Spiders call this as soon as a feed lists new articles: each worker needs a second
        or more to spawn, import trafilatura and build its analyser, and that now overlaps
        the first article downloads instead of delaying the first extraction. (The pool
        spawns a process per submitted task while none is idle, so one task per worker
        starts them all.)
        """
        if self._pool is None and (pool := self._executor()) is not None:
            for _ in range(self.workers):
                pool.submit(_ready)

    async def prepare(self, html: str, url: str, fallback: Fallback) -> Prepared:
        """Extract and analyse a page; falls back to in-process work if the pool broke."""
        pool = self._executor()
        if pool is None:
            return prepare(html, url, fallback, self.analyser)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, _prepare_in_worker, html, url, fallback)
        except BrokenProcessPool:
            # A worker died (out of memory on a hostile page, killed): keep crawling inline.
            logger.warning("extraction worker died; extracting in-process from now on", extra={"url": url})
            self.workers = 0
            self._pool = None
            return prepare(html, url, fallback, self.analyser)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
