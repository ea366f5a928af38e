"""HTTP downloads that a stopping crawl can cut short.

Scrapy closes a spider only once every request in flight has its answer, so a graceful
stop of a crawler waits for its downloads: a source that trickles its answer a byte a
second holds the stop for up to ``crawl.timeout``. Scrapy has no way to cut downloads in
flight short (its own ``CrawlerProcess`` stops the reactor under them on a second Ctrl-C),
so this handler keeps its downloads and cancels them when :data:`abort_downloads` is sent
on its crawler's signals (``crawler.poller`` does, before stopping the crawler): each
request then fails with :class:`DownloadAborted` through its errback, the connection is
closed, and the spider closes at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from crawler import scrapy_quick

# Before the import below, which loads Scrapy's TLS modules (see crawler.scrapy_quick).
scrapy_quick.install()

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler  # noqa: E402

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# A Scrapy signal (any unique object): ``crawler.signals.send_catch_log(abort_downloads)``
# cuts every download of that crawler short, and any it would start afterwards.
abort_downloads = object()


class DownloadAborted(Exception):
    """Raised by :class:`AbortingHTTPDownloadHandler` for a download cut short because its crawler is stopping.

    Not the page's fault: spiders record no failure for it, and the next poll tries again.
    """


class AbortingHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, whose downloads in flight :data:`abort_downloads` cancels."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._downloads: set[asyncio.Future[Response]] = set()
        self._aborted = False
        # Scrapy keeps a weak reference; the crawler's download handlers keep this one alive.
        crawler.signals.connect(self.abort, signal=abort_downloads)

    async def download_request(self, request: Request) -> Response:
        """Download ``request`` as Scrapy does, in a task :meth:`abort` can cancel."""
        if self._aborted:
            raise DownloadAborted(f"not downloaded, the crawl is stopping: {request.url}")
        # Cancelling the task cancels Scrapy's Deferred under it, which aborts the connection.
        download = asyncio.ensure_future(super().download_request(request))
        self._downloads.add(download)
        try:
            return await download
        except asyncio.CancelledError:
            if not self._aborted:
                raise  # cancelled by whoever awaits it, not by abort()
            raise DownloadAborted(f"download cut short, the crawl is stopping: {request.url}") from None
        finally:
            self._downloads.discard(download)

    def abort(self) -> None:
        """Cancel every download in flight, and refuse new ones."""
        self._aborted = True
        for download in list(self._downloads):
            download.cancel()
