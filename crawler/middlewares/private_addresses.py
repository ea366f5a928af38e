"""Refuse requests to loopback, private and link-local addresses.

URLs come from third-party feeds; without this, a feed could point the crawler at the
admin page of a router on the LAN or a cloud metadata endpoint (SSRF). The check runs
again for every redirect hop, since redirected requests pass through the middleware too.
The address is checked at resolution time; a DNS answer that changes between this check
and the connection (DNS rebinding) is not covered.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.urls import is_private_address

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


# How long a host's resolved addresses are trusted (a typical DNS TTL).
CACHE_SECONDS = 300.0


class PrivateAddressRefused(IgnoreRequest):
    """Raised when a URL resolves to an address the crawler must not reach."""


class PrivateAddressMiddleware:
    """Downloader middleware; disabled when ``crawl.allow_private_addresses`` is true."""

    def __init__(self) -> None:
        # host -> (when resolved, addresses). Entries expire: the service keeps one crawler
        # per source for months, and a name that moves to another address must be checked again.
        self._cache: dict[str, tuple[float, list[str]]] = {}
        self.clock = time.monotonic

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build from settings; raise NotConfigured when private addresses are allowed."""
        if crawler.settings.getbool("NEWSWATCH_ALLOW_PRIVATE_ADDRESSES"):
            raise NotConfigured
        return cls()

    async def _addresses(self, host: str, port: int) -> list[str]:
        cached = self._cache.get(host)
        if cached is not None and self.clock() - cached[0] < CACHE_SECONDS:
            return cached[1]
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            # Unresolvable: let the download fail with Scrapy's own DNS error.
            return []
        addresses = sorted({str(info[4][0]) for info in infos})
        self._cache[host] = (self.clock(), addresses)
        return addresses

    async def process_request(self, request: Request) -> None:
        """Raise :class:`PrivateAddressRefused` for a private destination."""
        parts = urlsplit(request.url)
        host = parts.hostname
        if not host:
            return
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for address in await self._addresses(host, port):
            if is_private_address(address):
                raise PrivateAddressRefused(
                    f"refused private address {address} for {host} (set crawl.allow_private_addresses: true to allow)"
                )
