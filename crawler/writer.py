"""The crawler's door to storage: blocking database work off the event loop, one writer.

Scrapy callbacks and pipelines run on the reactor's event loop; a blocking query there would
stall every download. All database calls go through one worker thread, which also
serialises writes (SQLite allows one writer at a time anyway).

Bookkeeping that nothing waits for (the outcome of a poll that fetched no article) can be
handed over with :meth:`DbWriter.defer`: it is written within :data:`GROUP_COMMIT` with
whatever else is pending, in one transaction. A service polling 50 feeds a second pays
for one commit a second instead of fifty. Deferred work always runs before anything
submitted after it, so readers and later writes of the same rows see it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event

from storage import articles, crawl_runs
from storage.db import make_engine, make_sessionmaker, transaction

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


T = TypeVar("T")

logger = logging.getLogger(__name__)

# How long deferred bookkeeping may wait for company before it is written. A process killed
# meanwhile loses at most this much of it: only polls that stored nothing, so the next
# start polls those sources again a little early, which is harmless.
GROUP_COMMIT = 1.0


def _begin_immediate(connection: Any) -> None:
    """Start every SQLite transaction of the writer with a ``BEGIN IMMEDIATE`` of its own.

    pysqlite issues ``BEGIN`` only before an INSERT, UPDATE or DELETE. The store's first
    write is a ``SAVEPOINT`` (:func:`storage.articles.store_article`), which outside a
    transaction starts one of its own, and its ``RELEASE`` committed the article there and
    then: its story, event, alert and delivery rows followed in a second transaction, so a
    failure or a ``kill -9`` between the two left an article stored (never fetched again)
    without its alert. IMMEDIATE: the writer takes SQLite's write lock at the start (waiting
    up to ``busy_timeout`` for another writer), so a transaction that reads first can never
    be refused the upgrade to writing.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _log_failed_write(exc: Exception) -> None:
    logger.error("deferred write failed: %s: %s", type(exc).__name__, exc)


class DbWriter:
    """Runs storage functions in a dedicated thread, each in its own transaction."""

    def __init__(self, database_url: str) -> None:
        self.engine = make_engine(database_url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "begin", _begin_immediate)
        self.sessions = make_sessionmaker(self.engine)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newswatch-db")
        self._deferred: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        self._timer: asyncio.TimerHandle | None = None

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, *args, **kwargs)`` in a transaction, blocking (outside the event loop)."""
        with transaction(self.sessions) as session:
            return fn(session, *args, **kwargs)

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(session, *args, **kwargs)`` in a transaction on the writer thread."""
        loop = asyncio.get_running_loop()
        self._submit_deferred()
        return await loop.run_in_executor(self._executor, functools.partial(self.call, fn, *args, **kwargs))

    def submit(self, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run ``fn(*args)`` on the writer thread, no session given: it opens its own with :meth:`call`."""
        self._submit_deferred()
        return asyncio.get_running_loop().run_in_executor(self._executor, functools.partial(fn, *args))

    def defer(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(session, *args)`` within :data:`GROUP_COMMIT`, in one transaction with other deferred work.

        Call it on the event loop. Nobody waits for the result; a failure is logged.
        """
        self._deferred.append((fn, args))
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(GROUP_COMMIT, self._submit_deferred)

    async def flush(self) -> None:
        """Write deferred work now and wait until it is written."""
        future = self._submit_deferred()
        if future is not None:
            await asyncio.wrap_future(future)

    def _submit_deferred(self) -> Any:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._deferred:
            return None
        batch, self._deferred = self._deferred, []
        return self._executor.submit(self._write_batch, batch)

    def _write_batch(self, batch: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> None:
        """One transaction for the whole batch; if it fails, each item in its own, so one bad item loses only itself."""
        try:
            self._write(batch)
        except Exception as exc:
            if len(batch) == 1:
                _log_failed_write(exc)
                return
            for item in batch:
                try:
                    self._write([item])
                except Exception as item_exc:
                    _log_failed_write(item_exc)

    def _write(self, items: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> None:
        with transaction(self.sessions) as session:
            for fn, args in items:
                fn(session, *args)

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
        """Finish pending writes (deferred ones too) and release connections."""
        future = self._submit_deferred()
        if future is not None:
            future.result()
        self._executor.shutdown(wait=True)
        self.engine.dispose()

    async def aclose(self, timeout: float | None = None) -> bool:
        """:meth:`close` without blocking the event loop, waiting at most ``timeout`` seconds.

        Every write submitted so far (deferred ones too) is written first: the writer runs
        them in order, so once a marker submitted after them runs, they are done. Writes
        still waiting at the deadline are dropped, each a whole transaction, so nothing is
        half-written; the one running finishes on its own. Returns whether all were written.
        """
        self._submit_deferred()
        marker = self._executor.submit(lambda: None)
        try:
            await asyncio.wait_for(asyncio.wrap_future(marker), timeout)
        except TimeoutError:
            logger.warning("database writes still pending after %.1fs; not waiting for them", timeout or 0.0)
            self._executor.shutdown(wait=False, cancel_futures=True)
            return False
        self._executor.shutdown(wait=False)
        self.engine.dispose()
        return True
