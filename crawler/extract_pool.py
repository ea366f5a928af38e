"""Extraction in worker processes, so parsing pages uses every core.

trafilatura and htmldate are pure-Python heavy and hold the GIL: run on the reactor's
thread they cap a crawl at one core, with Scrapy, dedup and the pipeline queued behind
them. Worker processes (spawned, not forked: the parent runs threads and a reactor) take
the decoded HTML and return the :class:`~crawler.extract.Extracted` result.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.extract import Extracted, extract

logger = logging.getLogger(__name__)


def default_workers() -> int:
    """One worker per core: the reactor thread mostly waits while workers extract."""
    return max(1, os.cpu_count() or 1)


class ExtractPool:
    """Runs :func:`crawler.extract.extract` in worker processes; ``workers=0`` runs it inline."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.workers <= 0:
            return None
        if self._pool is None:
            # Started on first use: a crawl with nothing new never pays for the workers.
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def extract(self, html: str, url: str) -> Extracted:
        """Extract a page; falls back to in-process extraction if the pool broke."""
        pool = self._executor()
        if pool is None:
            return extract(html, url)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(pool, extract, html, url)
        except BrokenProcessPool:
            # A worker died (out of memory on a hostile page, killed): keep crawling inline.
            logger.warning("extraction worker died; extracting in-process from now on", extra={"url": url})
            self.workers = 0
            self._pool = None
            return extract(html, url)

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
