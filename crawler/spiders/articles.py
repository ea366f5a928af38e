"""The article pages of a poll: which entries to fetch, and each fetched page turned into an item.

:class:`ArticlePages` is a mixin of :class:`crawler.spiders.base.SourceSpider`, which owns the
per-poll state it reads (the summary, the writer, the claims) and the source document that
lists the entries.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import TextResponse

from crawler.analysis.prepare import Fallback
from crawler.decoding import header_text, page_text
from crawler.failures import describe_failure, describe_status, is_database_error
from crawler.items import ArticleItem
from crawler.settings import HANDLED_STATUSES
from crawler.urls import canonicalize
from storage import crawl_runs

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from core.config import CrawlConfig, SourceConfig
    from crawler.context import CrawlContext
    from crawler.discovery import Entry
    from crawler.report import SharedClaims, SourceSummary
    from crawler.writer import DbWriter

logger = logging.getLogger(__name__)

# Content types we try to extract an article from.
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class ArticlePages:
    """Schedule the new article pages of a poll, extract each one, and record the ones that fail."""

    # Set by SourceSpider (per spider, or per poll in begin_poll).
    source: SourceConfig
    source_id: int
    source_name: str
    crawl_config: CrawlConfig
    context: CrawlContext
    writer: DbWriter
    claims: SharedClaims
    summary: SourceSummary
    _scheduled: set[str]

    if TYPE_CHECKING:
        # Defined by SourceSpider.
        def progress(self, kind: str, url: str | None = None, detail: str | None = None) -> None: ...
        def log_extra(self, url: str | None = None) -> dict[str, Any]: ...
        def _stopping(self, failure: Failure) -> bool: ...

    async def _article_requests(self, entries: list[Entry]) -> list[scrapy.Request]:
        """Requests for entries not stored yet; stored ones are recorded as seen."""
        limit = self.source.max_articles or self.crawl_config.max_articles_per_source
        oldest = None
        if self.crawl_config.max_article_age is not None:
            oldest = datetime.now(UTC) - self.crawl_config.max_article_age
        candidates: dict[str, Entry] = {}
        # Each entry ends up counted once: new, seen, failed or skipped (summary.articles_*).
        for entry in entries:
            try:
                url = canonicalize(entry.url)
            except ValueError as exc:
                await self._article_failed(entry.url, f"unusable link: {exc}")
                continue
            if url in candidates or url in self._scheduled:
                self.summary.articles_skipped += 1  # listed twice: fetched once
                continue
            if oldest is not None and entry.published is not None and entry.published < oldest:
                self.summary.articles_skipped += 1
                continue
            candidates[url] = entry
        known = await self.writer.known_urls(candidates)
        if known:
            await self.writer.add_sightings(sorted(known), self.source_id)
            self.summary.articles_seen += len(known)
            for url in known:
                self.progress("article_seen", url)
        fresh = []
        for url, entry in candidates.items():
            if url in known:
                continue
            if not self.claims.claim(url, self.source_name, self.source_id):
                # Another source of this crawl fetches it; count it as seen here.
                self.summary.articles_seen += 1
                self.progress("article_seen", url)
                continue
            fresh.append((url, entry))
        # Newest first, so the cap keeps the most recent news.
        fresh.sort(key=lambda pair: pair[1].published or datetime.min.replace(tzinfo=UTC), reverse=True)
        if len(fresh) > limit:
            logger.info("%d new links, fetching the newest %d", len(fresh), limit, extra=self.log_extra())
            self.summary.articles_skipped += len(fresh) - limit
            fresh = fresh[:limit]
        if fresh:
            # Workers start while the article pages download, not when the first arrives.
            self.context.extractor.start()
            if self.summary.run_id is None:
                self.summary.run_id = await self.writer.run(
                    crawl_runs.open_run, self.source_id, self.summary.started_at
                )
        requests = []
        for url, entry in fresh:
            self._scheduled.add(url)
            requests.append(
                scrapy.Request(
                    entry.url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    cb_kwargs={"entry": entry, "canonical": url},
                    meta={"handle_httpstatus_list": HANDLED_STATUSES},
                    # Our own claims dedupe article URLs; Scrapy's dupefilter would silently
                    # swallow a redirect loop back to the first URL instead of reporting it.
                    dont_filter=True,
                )
            )
        return requests

    async def parse_article(self, response: Response, entry: Entry, canonical: str) -> ArticleItem | None:
        """Extract the article; fall back to the feed's summary when the page has no text."""
        extra = self.log_extra(response.url)
        if response.status >= 400:
            _, reason = describe_status(response)
            await self._article_failed(response.url, reason)
            return None
        if not isinstance(response, TextResponse):
            content_type = header_text(response, b"Content-Type") or "unknown type"
            await self._article_failed(response.url, f"not an HTML page ({content_type})")
            return None
        content_type = (header_text(response, b"Content-Type") or "text/html").split(";")[0].strip().lower()
        if content_type and not content_type.startswith(_HTML_TYPES):
            await self._article_failed(response.url, f"not an HTML page ({content_type})")
            return None
        try:
            html = page_text(response)
        except (UnicodeDecodeError, LookupError) as exc:
            await self._article_failed(response.url, f"undecodable page: {exc}")
            return None
        fallback = Fallback(
            title=entry.title,
            summary=entry.summary,
            author=entry.author,
            language=entry.language or self.source.language,
            published=entry.published,
        )
        prepared = await self.context.extractor.prepare(html, response.url, fallback)
        if prepared.failure is not None:
            await self._article_failed(response.url, prepared.failure)
            return None
        if prepared.empty:
            reason = "nothing to store: no title and no text on the page or in the feed"
            await self._article_failed(response.url, reason)
            return None
        if prepared.from_summary:
            logger.info("no article text on page, keeping the feed's summary", extra=extra)
        aliases = {canonical}
        if response.url != entry.url:  # redirected: the final URL is an alias too
            with contextlib.suppress(ValueError):
                aliases.add(canonicalize(response.url))
        # The page's own canonical link, checked and canonicalised by prepare().
        url = prepared.canonical_url or canonical
        aliases.discard(url)
        return ArticleItem(
            url=url,
            source_id=self.source_id,
            source_name=self.source_name,
            prepared=prepared,
            aliases=sorted(aliases),
            guid=entry.guid,
        )

    async def _article_failed(self, url: str, reason: str) -> None:
        self.summary.articles_failed += 1
        self.summary.failures.append((url, reason))
        logger.warning("article failed: %s", reason, extra=self.log_extra(url))
        self.progress("article_failed", url, reason)
        await self.writer.record_failure(self.source_id, url, reason)

    async def article_failed(self, failure: Failure) -> None:
        """An article page could not be fetched."""
        if self._stopping(failure):
            return
        _, reason = describe_failure(failure, self.crawl_config.timeout.total_seconds())
        url = getattr(failure.request, "url", None) or "?"  # type: ignore[attr-defined]
        if is_database_error(failure.value):
            # Our database failed (the cluster's host gate), not the site: poll again in full.
            self.incomplete = True
        await self._article_failed(url, reason)
