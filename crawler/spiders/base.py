"""What every source spider does: poll the source politely, then fetch and extract new articles.

A subclass only says how to find article links in the source document (:meth:`discover`).
The article pages themselves are handled by :class:`crawler.spiders.articles.ArticlePages`.
Everything that can go wrong is recorded on the source's :class:`SourceSummary` with a
reason a person can act on; nothing raises out of a callback.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest

from crawler.decoding import header_text
from crawler.failures import describe_failure, describe_status
from crawler.handlers.http import DownloadAborted
from crawler.middlewares.retry import fresh_until, retry_at
from crawler.report import ProgressEvent
from crawler.settings import HANDLED_STATUSES
from crawler.spiders.articles import ArticlePages
from crawler.urls import canonicalize

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from core.config import SourceConfig
    from crawler.context import CrawlContext
    from crawler.discovery import Discovered
    from crawler.report import ProgressCallback, SourceSummary

logger = logging.getLogger(__name__)

# Marks the requests of a poll that are not article pages (the source URL, child sitemaps);
# Scrapy's redirect and retry middlewares copy it onto the requests they make from them.
DOCUMENT = "newswatch_document"


class SourceSpider(ArticlePages, scrapy.Spider):
    """Base spider for one source. Subclasses implement :meth:`discover`."""

    name = "source"
    source_type: ClassVar[str] = ""

    def __init__(
        self,
        *,
        source: SourceConfig,
        source_id: int,
        context: CrawlContext,
        summary: SourceSummary,
        etag: str | None = None,
        last_modified: str | None = None,
        on_progress: ProgressCallback | None = None,
        persistent: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=f"{self.source_type}:{source.name}", **kwargs)
        self.source = source
        self.source_name = source.name
        self.source_id = source_id
        self.crawl_config = context.config.crawl
        # A persistent spider stays open between polls (crawler.poller); polls are injected.
        self.persistent = persistent
        self.begin_poll(
            context=context, summary=summary, etag=etag, last_modified=last_modified, on_progress=on_progress
        )

    def begin_poll(
        self,
        *,
        context: CrawlContext,
        summary: SourceSummary,
        etag: str | None,
        last_modified: str | None,
        on_progress: ProgressCallback | None,
    ) -> None:
        """Reset the per-poll state: what this poll reports, and the validators it sends."""
        self.context = context
        self.writer = context.writer
        self.claims = context.claims
        self.summary = summary
        self.etag = etag
        self.last_modified = last_modified
        self.on_progress = on_progress
        self.retry_at: datetime | None = None
        self.new_etag: str | None = None
        self.new_last_modified: str | None = None
        # An article of this poll was lost to a local failure (the database, not the
        # site): the poll then keeps no feed validators (crawler.runner).
        self.incomplete = False
        self._scheduled: set[str] = set()
        # Source and child documents of this poll, by canonical URL: an index that lists a
        # sitemap twice (or two indexes that share one) costs one fetch.
        self._documents: set[str] = set()
        # Requests for them so far, redirects and retries included (crawl.max_source_fetches).
        self._document_fetches = 0
        # Why this poll stopped following child documents, once it has.
        self._stopped: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Build the spider and keep it open while idle when it is persistent."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._keep_open, signal=signals.spider_idle)
        # Every request the engine schedules passes here, the ones Scrapy's redirect and
        # retry middlewares make included: the one place that sees each document fetch.
        crawler.signals.connect(spider._document_scheduled, signal=signals.request_scheduled)
        return spider

    def _keep_open(self) -> None:
        if self.persistent:
            raise DontCloseSpider

    def _document_scheduled(self, request: scrapy.Request) -> None:
        """Count a document request against the poll's budget; drop it once the budget is spent.

        Raising ``IgnoreRequest`` from a ``request_scheduled`` handler makes the engine drop
        the request. Article pages are not counted: ``max_articles`` bounds them.
        """
        if not request.meta.get(DOCUMENT):
            return
        budget = self.crawl_config.max_source_fetches
        if self._document_fetches >= budget:
            self.stop_following(
                f"stopped after {budget} requests for the source and its sitemaps in one poll "
                f"(crawl.max_source_fetches), before {request.url}"
            )
            raise IgnoreRequest("fetch budget of the poll spent")
        self._document_fetches += 1

    def stop_following(self, reason: str) -> None:
        """End the poll's following of child documents: the source is recorded as failing with ``reason``.

        Articles found so far are still fetched and stored; the first reason is the one kept.
        """
        if self._stopped is not None:
            return
        self._stopped = reason
        self.summary.status = "error"
        self.summary.error = reason
        logger.log(self.context.failure_log_level, "source failed: %s", reason, extra=self.log_extra())

    # --- hooks for subclasses ------------------------------------------------------

    def discover(self, response: Response) -> Discovered:
        """Find article links (and child documents) in the source document."""
        raise NotImplementedError

    # --- progress and logging --------------------------------------------------------

    def progress(self, kind: str, url: str | None = None, detail: str | None = None) -> None:
        """Tell the caller's progress display about one step."""
        if self.on_progress is not None:
            self.on_progress(ProgressEvent(kind, self.source_name, url, detail))  # type: ignore[arg-type]

    def log_extra(self, url: str | None = None) -> dict[str, Any]:
        """The logging context keys every line carries."""
        return {"source": self.source_name, "url": url or self.source.url}

    # --- the source document -----------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """The first poll (a persistent spider gets its polls from :mod:`crawler.poller` instead)."""
        if not self.persistent:
            yield self.source_request()

    def source_request(self) -> scrapy.Request:
        """The poll: one conditional GET of the source URL."""
        with contextlib.suppress(ValueError):
            self._documents.add(canonicalize(self.source.url))
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return scrapy.Request(
            self.source.url,
            headers=headers,
            callback=self.parse_source,
            errback=self.source_failed,
            dont_filter=True,
            meta={"handle_httpstatus_list": HANDLED_STATUSES, DOCUMENT: True},
        )

    def _record_status(self, response: Response) -> bool:
        """Record a non-200 answer on the summary; True when the body is usable."""
        self.summary.http_status = response.status
        if response.status in (200, 203, 304):
            # The next poll waits at least until the answer goes stale (capped by the service).
            self.retry_at = fresh_until(response)
        if response.status == 304:
            self.summary.status = "not_modified"
            logger.debug("not modified since last poll", extra=self.log_extra())
            return False
        if response.status >= 400:
            status, reason = describe_status(response)
            self.summary.status = status
            self.summary.error = reason
            if status == "rate_limited":
                self.retry_at = retry_at(response)
            logger.log(self.context.failure_log_level, "source failed: %s", reason, extra=self.log_extra(response.url))
            return False
        return True

    async def parse_source(self, response: Response) -> AsyncIterator[Any]:
        """Check the answer, keep the validators, find entries, schedule new articles."""
        if not self._record_status(response):
            return
        self.new_etag = header_text(response, b"ETag")
        self.new_last_modified = header_text(response, b"Last-Modified")
        try:
            discovered = self.discover(response)
            async for request in self._follow(discovered, response, root=True):
                yield request
        except Exception as exc:
            self._reading_failed(exc)
            raise

    def _reading_failed(self, exc: Exception) -> None:
        """Reading a source document broke off (our database went away while asking which entries are new).

        The entries not looked at yet must not hide behind a 304 at the next poll: the poll
        keeps no validators (crawler.runner) and is a failure, not ``ok``.
        """
        self.incomplete = True
        self.summary.status = "error"
        self.summary.error = self.summary.error or f"reading the source failed: {type(exc).__name__}: {exc}"

    async def parse_child(self, response: Response, chain: tuple[str, ...] = ()) -> AsyncIterator[Any]:
        """A document listed by the source (a sitemap of a sitemap index).

        ``chain`` is the URLs of the indexes above it, the source URL first.
        """
        if response.status >= 400:
            _, reason = describe_status(response)
            await self._article_failed(response.url, f"child document: {reason}")
            return
        try:
            async for request in self._follow(self.discover(response), response, root=False, chain=chain):
                yield request
        except Exception as exc:
            self._reading_failed(exc)
            raise

    def _child_requests(self, children: list[str], response: Response, chain: tuple[str, ...]) -> list[scrapy.Request]:
        """Requests for an index's child documents not fetched yet this poll, within the depth limit."""
        here = (*chain, response.url)
        depth = len(chain)  # of the index being read; its children are one level deeper
        limit = self.crawl_config.max_sitemap_depth
        if depth >= limit:
            loop = _repeated_document(here)
            hint = f"; {loop}" if loop else ""
            self.stop_following(
                f"sitemap index nesting deeper than {limit} levels at {response.url}{hint} "
                f"(crawl.max_sitemap_depth); stopped after {self._document_fetches} sitemap fetches"
            )
            return []
        requests = []
        for child in children[: self.max_children]:
            try:
                key = canonicalize(child)
            except ValueError:
                logger.info("skipping non-http sitemap link %r", child, extra=self.log_extra(response.url))
                continue
            if key in self._documents:
                continue
            self._documents.add(key)
            requests.append(
                scrapy.Request(
                    child,
                    callback=self.parse_child,
                    errback=self.child_failed,
                    cb_kwargs={"chain": here},
                    meta={"handle_httpstatus_list": HANDLED_STATUSES, DOCUMENT: True},
                    # Fetched once per poll by self._documents; Scrapy's dupefilter would
                    # remember them for the life of a persistent spider (crawler.poller),
                    # so later polls would never fetch an index's children again.
                    dont_filter=True,
                )
            )
        return requests

    async def _follow(
        self, discovered: Discovered, response: Response, *, root: bool, chain: tuple[str, ...] = ()
    ) -> AsyncIterator[Any]:
        if discovered.error:
            if root:
                self.summary.status = "error"
                self.summary.error = discovered.error
            logger.warning("%s", discovered.error, extra=self.log_extra(response.url))
            return
        if discovered.warning:
            logger.warning("%s", discovered.warning, extra=self.log_extra(response.url))
        if discovered.sitemaps and self._stopped is None:
            for request in self._child_requests(discovered.sitemaps, response, chain):
                yield request
        # Every item counts: the ones without a usable link are failures of the source's data.
        self.summary.items_found += len(discovered.entries) + len(discovered.rejected)
        if root and self.summary.status == "running":
            found = discovered.entries or discovered.sitemaps or discovered.rejected
            self.summary.status = "ok" if found else "empty"
        for link, reason in discovered.rejected:
            await self._article_failed(link or response.url, f"unusable item: {reason}")
        for request in await self._article_requests(discovered.entries):
            yield request

    max_children = 10

    # --- errbacks --------------------------------------------------------------------

    def _stopping(self, failure: Failure) -> bool:
        """Whether the download was cut short by the crawl stopping: no fault of the page, nothing to record."""
        if failure.check(DownloadAborted) is None:
            return False
        logger.info("%s", failure.value, extra=self.log_extra(getattr(failure.request, "url", None)))  # type: ignore[attr-defined]
        return True

    def source_failed(self, failure: Failure) -> None:
        """The source document could not be fetched at all."""
        if self._stopping(failure):
            return
        status, reason = describe_failure(failure, self.crawl_config.timeout.total_seconds())
        self.summary.status = status
        self.summary.error = reason
        logger.log(self.context.failure_log_level, "source failed: %s", reason, extra=self.log_extra())

    async def child_failed(self, failure: Failure) -> None:
        """A child document (sitemap of an index) could not be fetched."""
        if self._stopping(failure):
            return
        _, reason = describe_failure(failure, self.crawl_config.timeout.total_seconds())
        url = getattr(failure.request, "url", None) or self.source.url  # type: ignore[attr-defined]
        await self._article_failed(url, f"child document: {reason}")


def _repeated_document(chain: tuple[str, ...]) -> str | None:
    """Say where a chain of sitemap indexes comes back to an index it passed, under another query string.

    Only for the reason a person reads: a site may page one index by query string
    (``/sitemap.xml?page=2``), so a repeated path is not refused on its own.
    """
    seen: dict[str, str] = {}
    for url in chain:
        try:
            key = canonicalize(url).split("?", 1)[0]
        except ValueError:
            continue
        if key in seen:
            return f"the indexes loop: {url} is {seen[key]} again under another query string"
        seen[key] = url
    return None
