"""Per-host politeness across every crawler of the process, not per crawler.

The service runs one Scrapy crawler per source (crawler.poller), and Scrapy keeps its
download slots, and with them ``CONCURRENT_REQUESTS_PER_DOMAIN`` and ``DOWNLOAD_DELAY``,
per crawler. Four BBC feeds would then fetch www.bbc.com four times as hard as
``crawl.concurrency_per_domain`` and ``crawl.download_delay`` say, and a GDELT source
links to the same outlets as their own feeds do. This middleware holds one gate per host
for the whole process: a request takes a place at its host's gate before it is
downloaded (at most ``concurrency_per_domain`` at once, starts at least ``download_delay``
apart) and gives it back when its response or failure comes back. Each crawler's own
slots, AutoThrottle included, still apply on top.

It sits last before the downloader, so a request refused by an earlier middleware
(robots.txt, a private address) never takes a place.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

# Where a request that holds a place at its host's gate keeps the host's name.
HELD = "newswatch_host_gate"


class HostGates:
    """The gates of every host: a semaphore for concurrency and the earliest next start."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.concurrency = max(concurrency, 1)
        self.delay = max(delay, 0.0)
        self._places: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    async def enter(self, host: str) -> None:
        """Wait for a place at ``host``'s gate, then for the delay since the last start there."""
        places = self._places.get(host)
        if places is None:
            places = self._places[host] = asyncio.Semaphore(self.concurrency)
        await places.acquire()
        if not self.delay:
            return
        try:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self._next_start.get(host, 0.0))
            self._next_start[host] = start + self.delay
            if start > now:
                await asyncio.sleep(start - now)
        except BaseException:
            places.release()
            raise

    def leave(self, host: str) -> None:
        """Give back a place taken by :meth:`enter`."""
        places = self._places.get(host)
        if places is not None:
            places.release()

    def busy(self, host: str) -> int:
        """Places taken at ``host`` now (for tests and debugging)."""
        places = self._places.get(host)
        return 0 if places is None else self.concurrency - places._value


# One set of gates per process and per politeness setting (every crawler of a service
# shares its config, so in practice one).
_GATES: dict[tuple[int, float], HostGates] = {}


def gates_for(concurrency: int, delay: float) -> HostGates:
    """The process's gates for these settings."""
    gates = _GATES.get((concurrency, delay))
    if gates is None:
        gates = _GATES[(concurrency, delay)] = HostGates(concurrency, delay)
    return gates


def install_gates(concurrency: int, delay: float, gates: Any) -> None:
    """Use ``gates`` (with :class:`HostGates`' ``enter``/``leave``) for these settings in this
    process: a cluster worker's gates shared through PostgreSQL (crawler.middlewares.cluster_gate)."""
    _GATES[(concurrency, delay)] = gates


class HostGateMiddleware:
    """Downloader middleware: take a place at the host's gate before the download, give it back after."""

    def __init__(self, gates: HostGates) -> None:
        self.gates = gates

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Share the gates of the process's other crawlers with the same settings."""
        settings = crawler.settings
        return cls(gates_for(settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"), settings.getfloat("DOWNLOAD_DELAY")))

    async def process_request(self, request: Request) -> None:
        """Wait for a place at the request's host."""
        host = urlparse_cached(request).hostname or ""
        if request.meta.get(HELD) is not None:
            return  # already holds one (not expected: the place is given back first)
        await self.gates.enter(host)
        request.meta[HELD] = host

    def process_response(self, request: Request, response: Response) -> Response:
        """Give the place back when the answer arrives."""
        self._leave(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        """Give the place back when the download failed (timeout, refused, too large)."""
        self._leave(request)

    def _leave(self, request: Request) -> None:
        # Popped, so a retry or redirect built from this request does not inherit the mark.
        host = request.meta.pop(HELD, None)
        if host is not None:
            self.gates.leave(host)
