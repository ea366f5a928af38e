"""Turning HTTP statuses and network failures into a status and a reason a person can act on."""

from __future__ import annotations

import sys
from http import HTTPStatus
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet import error as net_error
from twisted.internet.defer import CancelledError
from twisted.web._newclient import ResponseNeverReceived

from core.units import format_size
from crawler.middlewares.private_addresses import PrivateAddressRefused, UncheckableHostRefused

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

# Markers of bot-protection interstitials (Cloudflare, Akamai, DataDome, PerimeterX, Sucuri).
_CHALLENGE_MARKERS = (
    b"cf-chl",
    b"challenge-platform",
    b"just a moment...",
    b"attention required! | cloudflare",
    b"captcha-delivery.com",
    b"_incapsula_resource",
    b"px-captcha",
    b"sucuri website firewall",
    b"access denied</title>",
)


def is_database_error(exc: BaseException | None) -> bool:
    """True for a failure of our own database (gone, restarting), not of the site: worth polling again."""
    if isinstance(exc, SQLAlchemyError):
        return True
    # A psycopg error can only exist once psycopg is loaded (by a PostgreSQL database's
    # engine): looked up, not imported, so a crawl into SQLite does not pay ~40 ms of
    # start-up for it.
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(exc, psycopg.Error)


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "unknown status"


def is_bot_challenge(response: Response) -> bool:
    """Whether a 403/429/503 page is a bot-protection challenge rather than a plain refusal."""
    if (response.headers.get(b"cf-mitigated") or b"").lower() == b"challenge":
        return True
    head = response.body[:20000].lower()
    return any(marker in head for marker in _CHALLENGE_MARKERS)


def describe_status(response: Response) -> tuple[str, str]:
    """(status, reason) for an HTTP error answer."""
    code = response.status
    text = f"HTTP {code} {_reason_phrase(code)}"
    if code in (401, 403) or (code in (429, 503) and is_bot_challenge(response)):
        if is_bot_challenge(response):
            return (
                "blocked",
                f"{text}: bot-protection challenge (the site blocks automated clients)",
            )
        if code in (401, 403):
            return "blocked", f"{text}: access refused by the site"
    if code in (429, 503):
        after = response.headers.get(b"Retry-After")
        hint = f"; retry after {after.decode('latin-1')}" if after else ""
        return "rate_limited", f"{text}{hint}"
    return "error", text


def describe_failure(failure: Failure, timeout: float) -> tuple[str, str]:
    """(status, reason) for a request that got no usable answer."""
    exc = failure.value
    if isinstance(exc, UncheckableHostRefused):
        # Mostly a DNS failure: an error to retry with back-off, not a refusal by design.
        return "error", str(exc)
    if isinstance(exc, PrivateAddressRefused):
        return "blocked", str(exc)
    too_big = _decompressed_limit(exc)
    if too_big is not None:
        url = getattr(getattr(failure, "request", None), "url", None) or "the server"
        return "error", f"response from {url} decompresses to more than {too_big} (crawl.max_response_size); skipped"
    if isinstance(exc, IgnoreRequest):
        message = str(exc) or "request ignored"
        if "robots.txt" in message.lower():
            return "blocked", "forbidden by robots.txt"
        if "redirect" in message.lower():
            return "error", f"redirect loop or too many redirects ({message})"
        return "error", message
    # Scrapy >= 2.14 wraps network errors in its own exceptions; older ones raise Twisted's.
    kind = type(exc).__name__
    if kind == "CannotResolveHostError" or isinstance(exc, net_error.DNSLookupError):
        message = str(exc).strip()
        return "error", message if message.lower().startswith("dns lookup failed") else f"DNS lookup failed: {message}"
    if kind == "DownloadConnectionRefusedError" or isinstance(exc, net_error.ConnectionRefusedError):
        return "error", "connection refused"
    if kind == "DownloadTimeoutError" or isinstance(exc, net_error.TimeoutError | net_error.TCPTimedOutError):
        return "error", f"timed out after {timeout:g}s"
    if "max size" in str(exc).lower() or "maxsize" in str(exc).lower():
        return "error", "response larger than the size limit (crawl.max_response_size)"
    if kind == "DownloadCancelledError" or isinstance(exc, CancelledError):
        return "error", f"download cancelled: {exc}"
    if kind in ("ResponseDataLossError", "DownloadFailedError") or isinstance(
        exc, ResponseNeverReceived | net_error.ConnectionLost | net_error.ConnectionDone
    ):
        return "error", f"connection closed before a complete response ({_first_reason(exc)})"
    name = type(exc).__name__
    return "error", f"{name}: {exc}"[:500]


def _decompressed_limit(exc: BaseException) -> str | None:
    """The size limit, when Scrapy's HttpCompressionMiddleware gave up on a compressed body.

    A small gzip/br/deflate body that inflates past ``DOWNLOAD_MAXSIZE`` (a gzip bomb, or a
    huge page) is dropped with an ``IgnoreRequest`` whose message is Scrapy's internals
    ("... B decompressed so far) exceeded DOWNLOAD_MAXSIZE"); the cause carries the limit.
    """
    cause = exc.__cause__
    if not isinstance(exc, IgnoreRequest) or type(cause).__name__ != "_DecompressionMaxSizeExceeded":
        return None
    limit = getattr(cause, "max_size", None)
    return format_size(limit) if isinstance(limit, int) else "the size limit"


def _first_reason(exc: BaseException) -> str:
    reasons = getattr(exc, "reasons", None)
    if reasons:
        return str(reasons[0].value)
    return str(exc) or type(exc).__name__
