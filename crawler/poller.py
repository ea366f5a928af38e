"""Long-lived Scrapy crawlers, one per source: each poll injects the source request into it.

Why: building a Scrapy ``Crawler`` (settings copy, middlewares, engine, downloader) costs
about 20 ms of CPU, far more than a conditional GET answered with 304. A service polling 50
feeds every few minutes for months would spend most of its CPU building crawlers. So the
first poll of a source opens a crawler whose spider never closes on its own (it answers
``spider_idle`` with ``DontCloseSpider``); every later poll resets the spider's per-poll
state and hands the engine one request. A poll is over when the engine is idle again: no
request scheduled or downloading, no response or item being processed.

Politeness is unchanged: the same middlewares (robots.txt, private addresses, retries,
throttling) see every request, and a source's crawler keeps its own download slots.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.crawler import AsyncCrawlerRunner

from crawler.handlers.http import abort_downloads
from crawler.report import SourceSummary
from crawler.settings import scrapy_settings
from crawler.spiders import SPIDERS

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from core.config import Config, SourceConfig
    from crawler.context import CrawlContext
    from crawler.report import ProgressCallback
    from crawler.spiders.base import SourceSpider
    from storage.sources import PollPrepared

logger = logging.getLogger(__name__)

# How often a running poll checks whether the engine went idle. Scrapy only re-checks on
# its own after a download or every 5 s (its heartbeat); item pipelines finishing do not
# wake it, so we look ourselves. 20 checks a second cost nothing measurable.
IDLE_CHECK = 0.05
# How long closing the crawlers may take before they are abandoned, unless the caller says.
CLOSE_TIMEOUT = 5.0


class PollerClosed(RuntimeError):
    """Raised by :meth:`SourcePoller.poll` when the source's crawler stopped (shutdown or crash)."""


class SourcePoller:
    """The one crawler of one source, opened on first use."""

    def __init__(self, runner: AsyncCrawlerRunner, source: SourceConfig) -> None:
        self.runner = runner
        self.source = source
        self.crawler: Crawler | None = None
        self.task: asyncio.Future[None] | None = None
        # The source's id, validators and failures in a row after the last poll, kept here so
        # a poll need not read them from the archive (crawler.runner keeps it up to date).
        self.state: PollPrepared | None = None

    @property
    def spider(self) -> SourceSpider:
        """The open spider; raises :class:`PollerClosed` if there is none."""
        spider = getattr(self.crawler, "spider", None)
        if spider is None or self.task is None or self.task.done():
            raise PollerClosed(f"the crawler of {self.source.name} is not running")
        return spider

    async def open(self, source_id: int, context: CrawlContext) -> None:
        """Start the crawler and wait until its spider is open."""
        crawler = self.runner.create_crawler(SPIDERS[self.source.type])
        loop = asyncio.get_running_loop()
        opened: asyncio.Future[None] = loop.create_future()

        def on_open(spider: Any) -> None:
            if not opened.done():
                opened.set_result(None)

        # Scrapy's signals keep weak references: the closure lives as long as this frame
        # (the wait below), which is all it is needed for.
        crawler.signals.connect(on_open, signal=signals.spider_opened)
        self.crawler = crawler
        self.task = asyncio.ensure_future(
            self.runner.crawl(
                crawler,
                source=self.source,
                source_id=source_id,
                context=context,
                summary=SourceSummary(name=self.source.name),
                persistent=True,
            )
        )
        await asyncio.wait({opened, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if not opened.done():
            opened.cancel()
            exc = self.task.exception() if self.task.done() and not self.task.cancelled() else None
            raise PollerClosed(f"the crawler of {self.source.name} did not start: {exc!r}") from exc

    async def poll(
        self,
        *,
        source_id: int,
        context: CrawlContext,
        summary: SourceSummary,
        etag: str | None,
        last_modified: str | None,
        on_progress: ProgressCallback | None = None,
    ) -> SourceSpider:
        """One poll of the source, whole pipeline included; returns the spider (validators, retry time)."""
        if self.task is None or self.task.done():
            await self.open(source_id, context)
        spider = self.spider
        spider.begin_poll(
            context=context, summary=summary, etag=etag, last_modified=last_modified, on_progress=on_progress
        )
        assert self.crawler is not None and self.crawler.engine is not None
        engine = self.crawler.engine
        engine.crawl(spider.source_request())
        while not engine.spider_is_idle():
            if self.task is None or self.task.done():
                raise PollerClosed(f"the crawler of {self.source.name} stopped during a poll")
            await asyncio.sleep(IDLE_CHECK)
        return spider

    async def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Close the spider and wait for the crawler to finish, at most ``timeout`` seconds in all.

        Downloads in flight are cut short first (:mod:`crawler.handlers.http`): Scrapy
        closes a spider only once every request has its answer. A crawler that still has
        not stopped when the time is up is left behind; the caller is stopping anyway.
        """
        task, crawler = self.task, self.crawler
        self.task = self.crawler = None
        if task is None or crawler is None or task.done():
            return
        spider = getattr(crawler, "spider", None)
        if spider is not None:
            spider.persistent = False  # let the idle spider close
        crawler.signals.send_catch_log(signal=abort_downloads)
        stop = asyncio.ensure_future(crawler.stop_async())
        done, _ = await asyncio.wait({stop, task}, timeout=timeout, return_when=asyncio.ALL_COMPLETED)
        if task not in done:
            logger.warning(
                "crawler did not stop within %.1fs; not waiting for it", timeout, extra={"source": self.source.name}
            )
        for future in (stop, task):
            if future.done():
                # Retrieved, so asyncio does not log them as never retrieved; a crash while
                # stopping is of no consequence now.
                with contextlib.suppress(BaseException):
                    future.result()
            else:
                future.cancel()


class Pollers:
    """Every source's poller, sharing one ``AsyncCrawlerRunner`` (and its settings)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._runner: AsyncCrawlerRunner | None = None
        self._pollers: dict[str, SourcePoller] = {}

    def get(self, source: SourceConfig) -> SourcePoller:
        """The poller of ``source``, created (not yet opened) on first use."""
        if self._runner is None:
            # Built lazily: the runner needs the installed reactor.
            self._runner = AsyncCrawlerRunner(scrapy_settings(self.config))
        poller = self._pollers.get(source.name)
        if poller is None:
            poller = self._pollers[source.name] = SourcePoller(self._runner, source)
        return poller

    async def close(self, timeout: float = CLOSE_TIMEOUT) -> None:
        """Close every crawler, at most ``timeout`` seconds (at the end of a one-shot crawl, or at service shutdown)."""
        pollers = list(self._pollers.values())
        self._pollers.clear()
        await asyncio.gather(*(p.close(timeout) for p in pollers), return_exceptions=True)
