"""One HTTP GET outside a crawl, under the crawl's own limits: for ``newswatch check``.

A crawl fetches through Scrapy on the service's event loop; a one-off look at a URL does
not need a reactor (which cannot be restarted, and costs a second to start). This fetch
keeps what matters from the crawl's settings: the User-Agent, ``crawl.timeout``,
``crawl.max_response_size`` (read no further than the limit) and the private-address guard
(:class:`crawler.middlewares.private_addresses.PrivateAddressMiddleware`) on every
redirect hop. It does not read robots.txt: a person asked for this one page, as a browser
would.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from core.errors import NewswatchError
from core.units import format_size
from crawler.middlewares.private_addresses import PrivateAddressMiddleware, PrivateAddressRefused

if TYPE_CHECKING:
    from core.config import CrawlConfig

# Redirects followed, as Scrapy's REDIRECT_MAX_TIMES default.
MAX_REDIRECTS = 20
_CHUNK = 64 * 1024


class FetchError(NewswatchError):
    """Raised by :func:`fetch` when the URL gives no document: unreachable, an HTTP error, too big."""


@dataclass(frozen=True)
class Fetched:
    """A document as the server sent it (after redirects)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The Content-Type header's media type, lowercased ('' when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, checking each target against the private-address guard."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, guard: PrivateAddressMiddleware | None) -> None:
        self.guard = guard

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        _check(self.guard, newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _check(guard: PrivateAddressMiddleware | None, url: str) -> None:
    if guard is None:
        return
    try:
        asyncio.run(guard.check(url))
    except PrivateAddressRefused as exc:
        raise FetchError(str(exc)) from None


def fetch(url: str, crawl: CrawlConfig) -> Fetched:
    """GET ``url`` as the crawler would. Raises :class:`FetchError` with a reason a person can act on."""
    guard = None if crawl.allow_private_addresses else PrivateAddressMiddleware()
    _check(guard, url)
    opener = urllib.request.build_opener(_GuardedRedirects(guard))
    request = urllib.request.Request(
        url,
        # identity: urllib does not inflate a compressed answer (gzip sitemaps still come as .gz).
        headers={"User-Agent": crawl.user_agent, "Accept-Encoding": "identity"},
    )
    timeout = crawl.timeout.total_seconds()
    limit = crawl.max_response_size
    try:
        with opener.open(request, timeout=timeout) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(_too_big(int(declared), limit))
            body = _read(response, limit)
            return Fetched(response.geturl(), response.status, headers, body)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the open connection
        raise FetchError(f"HTTP {exc.code} {_phrase(exc.code)}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"no answer within crawl.timeout ({timeout:g} s)") from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise FetchError(f"unreachable: {text}") from None
    except TimeoutError:
        raise FetchError(f"no answer within crawl.timeout ({timeout:g} s)") from None
    except http.client.HTTPException as exc:  # a malformed status line, a body cut short
        raise FetchError(f"bad answer: {type(exc).__name__}: {exc}") from None
    except OSError as exc:  # a connection reset mid-body
        raise FetchError(f"unreachable: {type(exc).__name__}: {exc}") from None


def _read(response: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(min(_CHUNK, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise FetchError(_too_big(None, limit))
    return b"".join(chunks)


def _too_big(size: int | None, limit: int) -> str:
    what = f"{format_size(size)}" if size is not None else "more than that"
    return f"response larger than crawl.max_response_size ({format_size(limit)}): {what}"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "unknown status"
