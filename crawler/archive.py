"""The crawler's door to storage: blocking database work off the event loop, one writer.

Scrapy callbacks and pipelines run on the reactor's event loop; a blocking query there would
stall every download. All database calls go through one worker thread, which also
serialises writes (SQLite allows one writer at a time anyway).
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from storage import articles, crawl_runs
from storage.db import make_engine, make_sessionmaker, transaction

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


T = TypeVar("T")


class Archive:
    """Runs storage functions in a dedicated thread, each in its own transaction."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        self.sessions = make_sessionmaker(self.engine)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newswatch-db")

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, *args, **kwargs)`` in a transaction, blocking (outside the event loop)."""
        with transaction(self.sessions) as session:
            return fn(session, *args, **kwargs)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, *args, **kwargs)`` in a transaction on the writer thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(self.call, fn, *args, **kwargs))

    def submit(self, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run ``fn(*args)`` on the writer thread, no session given: it opens its own with :meth:`call`."""
        return asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(fn, *args))

    async def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Which of ``urls`` are already stored."""
        return await self.run(articles.known_urls, list(urls))

    async def add_sightings(self, urls: Iterable[str], source_id: int) -> None:
        """Record that ``source_id`` carries already stored articles."""
        await self.run(articles.add_sightings, list(urls), source_id)

    async def record_failure(self, source_id: int | None, url: str, reason: str) -> None:
        """Remember a failed article URL."""
        await self.run(crawl_runs.record_failure, source_id, url, reason)

    def close(self) -> None:
        """Finish pending writes and release connections."""
        self._executor.shutdown(wait=True)
        self.engine.dispose()
