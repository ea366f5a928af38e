"""Retries with exponential backoff, honouring ``Retry-After``.

Scrapy's RetryMiddleware retries at once; a struggling server deserves a pause. A 429 or
503 whose ``Retry-After`` asks for more than ``crawl.max_retry_after`` is not retried in
this crawl: the response goes to the spider, which records when the source may be polled
again.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Parse a Retry-After header (delta-seconds or HTTP-date) into seconds from now."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def retry_at(response: Response) -> datetime | None:
    """When the server says we may come back, from its Retry-After header."""
    seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
    if seconds is None:
        return None
    return datetime.now(UTC) + timedelta(seconds=seconds)


_MAX_AGE = re.compile(rb"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(rb"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)


def fresh_until(response: Response) -> datetime | None:
    """Until when the server says its answer stays fresh (``Cache-Control: max-age``), if it says.

    A feed that declares ``max-age=1800`` asks readers not to poll it again within half an
    hour (RFC 9111 §5.2.2.1; Miniflux honours it the same way). ``no-cache``/``no-store``
    and ``max-age=0`` say nothing about when to come back.
    """
    value = response.headers.get(b"Cache-Control")
    if not value or _NO_CACHE.search(value):
        return None
    match = _MAX_AGE.search(value)
    if match is None:
        return None
    seconds = min(int(match.group(1)), 366 * 86400)
    if seconds <= 0:
        return None
    return datetime.now(UTC) + timedelta(seconds=seconds)


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits ``base * 2**n`` (with jitter) before retry n."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.base = crawler.settings.getfloat("NEWSWATCH_RETRY_BACKOFF_BASE", 1.0)
        self.cap = crawler.settings.getfloat("NEWSWATCH_RETRY_BACKOFF_MAX", 30.0)
        self.max_retry_after = crawler.settings.getfloat("NEWSWATCH_MAX_RETRY_AFTER", 60.0)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build from the crawler's settings."""
        return cls(crawler)

    def _delay(self, request: Request) -> float:
        attempt = request.meta.get("retry_times", 0)
        return min(self.base * (2**attempt), self.cap) * random.uniform(0.8, 1.2)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        """Retry retryable statuses after a pause; honour Retry-After within the limit."""
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and wait > self.max_retry_after:
            logger.info(
                "server asks to retry after %.0fs, more than the %.0fs limit; not retrying now",
                wait,
                self.max_retry_after,
                extra={"url": request.url},
            )
            return response
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,  # type: ignore[arg-type]  # set while crawling
            reason=f"HTTP {response.status}",
            max_retry_times=self.max_retry_times,
            priority_adjust=self.priority_adjust,
        )
        if retry is None:
            return response
        await asyncio.sleep(wait if wait is not None else self._delay(request))
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:  # type: ignore[override]
        """Retry network errors after a pause."""
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,  # type: ignore[arg-type]  # set while crawling
            reason=exception,
            max_retry_times=self.max_retry_times,
            priority_adjust=self.priority_adjust,
        )
        if retry is None:
            return None
        await asyncio.sleep(self._delay(request))
        return retry
