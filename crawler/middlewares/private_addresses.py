"""Refuse requests to loopback, private and link-local addresses.

URLs come from third-party feeds; without this, a feed could point the crawler at the
admin page of a router on the LAN or a cloud metadata endpoint (SSRF). The check runs
again for every redirect hop, since redirected requests pass through the middleware too.
The address is checked at resolution time; a DNS answer that changes between this check
and the connection (DNS rebinding) is not covered.

The guard fails closed: a request it cannot judge (a name that does not resolve, a URL
without a host, a scheme other than http(s)) is refused with the reason, never let through
for the downloader to resolve in its own way (``localhost.`` with its trailing dot fails
``getaddrinfo`` here but may reach this machine through another resolver or a proxy).
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
# Names that mean this machine whatever DNS says: RFC 6761 reserves localhost and every
# name under .localhost for loopback; localhost.localdomain is the usual /etc/hosts alias.
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})
_HOW_TO_ALLOW = "set crawl.allow_private_addresses: true to allow"


class PrivateAddressRefused(IgnoreRequest):
    """Raised when a URL resolves to an address the crawler must not reach."""


class UncheckableHostRefused(PrivateAddressRefused):
    """Raised when the guard cannot tell where a URL goes (its host does not resolve)."""


def is_local_name(host: str) -> bool:
    """Whether ``host`` names this machine by definition (``localhost``, ``x.localhost``, ``LOCALHOST.``)."""
    name = host.lower().rstrip(".")
    return name in LOCAL_NAMES or name.endswith(".localhost")


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
        except (OSError, UnicodeError) as exc:
            # Not cached: a name that fails now may resolve at the next poll.
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise UncheckableHostRefused(
                f"DNS lookup failed for {host} ({reason}): refused, since it cannot be checked "
                f"for a private address ({_HOW_TO_ALLOW})"
            ) from None
        addresses = sorted({str(info[4][0]) for info in infos})
        self._cache[host] = (self.clock(), addresses)
        return addresses

    async def check(self, url: str) -> None:
        """Raise :class:`PrivateAddressRefused` unless ``url`` goes to a public address."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:  # a bracketed host that is no IPv6 address, a port past 65535
            raise UncheckableHostRefused(f"refused {url!r}: {exc}") from None
        if parts.scheme not in ("http", "https") or not host:
            raise UncheckableHostRefused(f"refused {url!r}: not an http(s) URL with a host")
        if is_local_name(host):
            raise PrivateAddressRefused(f"refused {host}: a name for this machine ({_HOW_TO_ALLOW})")
        addresses = await self._addresses(host, port)
        if not addresses:
            raise UncheckableHostRefused(f"refused {host}: it resolves to no address ({_HOW_TO_ALLOW})")
        for address in addresses:
            if is_private_address(address):
                raise PrivateAddressRefused(f"refused private address {address} for {host} ({_HOW_TO_ALLOW})")

    async def process_request(self, request: Request) -> None:
        """Raise :class:`PrivateAddressRefused` for a private or uncheckable destination."""
        await self.check(request.url)
