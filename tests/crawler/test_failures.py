"""Statuses and reasons for HTTP errors and network failures (crawler/failures.py, retry.py)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.http import HtmlResponse, Request
from twisted.python.failure import Failure

from crawler.failures import describe_failure, describe_status, is_database_error
from crawler.middlewares.private_addresses import (
    PrivateAddressMiddleware,
    PrivateAddressRefused,
    UncheckableHostRefused,
)
from crawler.middlewares.retry import retry_after_seconds

URL = "https://www.example-news.com/news/2025/10/30/talks-123456"
NOW = datetime(2025, 10, 30, 12, 0, tzinfo=UTC)


def test_retry_after_delta_seconds():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(b" 30 ") == 30.0


def test_retry_after_http_date():
    header = format_datetime(NOW + timedelta(minutes=2), usegmt=True)  # "Thu, 30 Oct 2025 12:02:00 GMT"
    assert retry_after_seconds(header, now=NOW) == 120.0
    assert retry_after_seconds(header.encode("latin-1"), now=NOW) == 120.0
    # A date in the past means "now", never a negative wait.
    assert retry_after_seconds(format_datetime(NOW - timedelta(hours=1), usegmt=True), now=NOW) == 0.0


@pytest.mark.parametrize("value", ["soon", "-5", "1.5e3", "Thu, 99 Foo 2025", "", None, b"\xff\xfe"])
def test_retry_after_garbage_is_none(value):
    assert retry_after_seconds(value, now=NOW) is None


def _response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> HtmlResponse:
    return HtmlResponse(URL, status=status, body=body, headers=headers or {}, request=Request(URL), encoding="utf-8")


CLOUDFLARE = b"""<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<noscript><div>Enable JavaScript and cookies to continue</div></noscript>
<script>(function(){window._cf_chl_opt={cvId: '3',cZone: "www.example-news.com",cType: 'managed'};
var a = document.createElement('script');a.src = '/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1';
document.getElementsByTagName('head')[0].appendChild(a);}());</script></div></body></html>"""


def test_cloudflare_challenge_403_is_blocked_by_bot_protection():
    status, reason = describe_status(_response(403, CLOUDFLARE, {"Server": "cloudflare"}))
    assert status == "blocked"
    assert "bot-protection" in reason
    assert reason.startswith("HTTP 403 Forbidden")


def test_challenge_flagged_by_header_alone():
    status, reason = describe_status(_response(503, b"<html></html>", {"cf-mitigated": "challenge"}))
    assert (status, "bot-protection" in reason) == ("blocked", True)


def test_plain_403_is_access_refused():
    body = b"<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1></body></html>"
    status, reason = describe_status(_response(403, body))
    assert status == "blocked"
    assert "access refused" in reason
    assert "bot-protection" not in reason


def test_429_with_retry_after_is_rate_limited_with_hint():
    status, reason = describe_status(_response(429, b"Too many requests", {"Retry-After": "120"}))
    assert status == "rate_limited"
    assert reason == "HTTP 429 Too Many Requests; retry after 120"


def test_429_without_retry_after_has_no_hint():
    assert describe_status(_response(429)) == ("rate_limited", "HTTP 429 Too Many Requests")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (500, "HTTP 500 Internal Server Error"),
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (599, "HTTP 599 unknown status"),
    ],
)
def test_other_statuses_are_errors(code, reason):
    assert describe_status(_response(code, b"<html>oops</html>")) == ("error", reason)


def _failure(exc: BaseException) -> Failure:
    try:
        raise exc
    except BaseException:
        return Failure()


def test_dns_failure():
    status, reason = describe_failure(_failure(CannotResolveHostError("nosuchhost.invalid")), timeout=30)
    assert status == "error"
    assert reason.startswith("DNS lookup failed")
    assert "nosuchhost.invalid" in reason


def test_connection_refused():
    exc = DownloadConnectionRefusedError("Connection was refused by other side: 111: Connection refused.")
    assert describe_failure(_failure(exc), timeout=30) == ("error", "connection refused")


def test_timeout_names_the_configured_limit():
    exc = DownloadTimeoutError(f"Getting {URL} took longer than 12.5 seconds.")
    assert describe_failure(_failure(exc), timeout=12.5) == ("error", "timed out after 12.5s")


def test_robots_txt():
    assert describe_failure(_failure(IgnoreRequest("Forbidden by robots.txt")), timeout=30) == (
        "blocked",
        "forbidden by robots.txt",
    )


def test_private_address_refused_keeps_its_message():
    message = "refused private address 10.0.0.5 for intranet.example (set crawl.allow_private_addresses: true to allow)"
    assert describe_failure(_failure(PrivateAddressRefused(message)), timeout=30) == ("blocked", message)


def test_response_over_max_size():
    exc = DownloadCancelledError(
        f"Received 2000 bytes which is larger than download max size (1000) in request <GET {URL}>."
    )
    status, reason = describe_failure(_failure(exc), timeout=30)
    assert status == "error"
    assert "size limit" in reason and "max_response_size" in reason


def test_other_cancellation_is_not_called_a_size_problem():
    status, reason = describe_failure(_failure(DownloadCancelledError("cancelled by the engine")), timeout=30)
    assert status == "error" and "size" not in reason


# The private-address guard (crawler/middlewares/private_addresses.py): each of these goes to
# this machine, the LAN, or somewhere the guard cannot check, and must be refused.
REFUSED_URLS = [
    "http://localhost./",
    "http://LOCALHOST/",
    "http://localhost.localdomain/",
    "http://news.localhost/",
    "http://localhost../",
    "http://127.1/",
    "http://0x7f.1/",
    "http://2130706433/",
    "http://0/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://10.0.0.5/",
    "http://169.254.169.254/latest/meta-data/",
    "http://newswatch-test.invalid/feed.xml",
    "http://[::1/x",
    "http://example.org:99999/",
    "http:///no-host",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_private_address_guard_refuses(url):
    with pytest.raises(PrivateAddressRefused) as refused:
        asyncio.run(PrivateAddressMiddleware().check(url))
    assert "refused" in str(refused.value)
    status, reason = describe_failure(_failure(refused.value), timeout=30)
    assert status in ("blocked", "error") and reason == str(refused.value)


def test_private_address_guard_fails_closed_on_names_that_do_not_resolve():
    with pytest.raises(UncheckableHostRefused) as refused:
        asyncio.run(PrivateAddressMiddleware().check("http://newswatch-test.invalid/feed.xml"))
    assert "DNS lookup failed for newswatch-test.invalid" in str(refused.value)
    assert "crawl.allow_private_addresses" in str(refused.value)


def test_private_address_guard_lets_public_addresses_through():
    asyncio.run(PrivateAddressMiddleware().check("http://93.184.216.34/news"))
    asyncio.run(PrivateAddressMiddleware().check("https://[2606:2800:220:1:248:1893:25c8:1946]:8443/"))


def test_database_errors_are_ours_whichever_layer_raised_them() -> None:
    import psycopg
    from sqlalchemy.exc import OperationalError

    assert is_database_error(psycopg.OperationalError("server closed the connection"))
    assert is_database_error(OperationalError("SELECT 1", {}, Exception("database is locked")))
    assert not is_database_error(ValueError("a page's fault"))
    assert not is_database_error(None)
