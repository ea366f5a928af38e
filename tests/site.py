"""A loopback news site for crawl tests: one behaviour per path, every request logged.

Like Scrapy's tests/mockserver, but small: routes are registered by the test, the server
runs in a thread on 127.0.0.1 port 0, answers conditional GETs with 304 when the route has
an ETag or Last-Modified, and records every request (path, headers) so a test can assert
what the crawler asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    conditional: bool = False
    # Called instead of the static body: (handler) -> (status, headers, body)
    dynamic: Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]] | None = None
    # Close the connection without answering.
    hang_up: bool = False
    # Seconds between the bytes of the body (a source that trickles its answer); 0 = at once.
    trickle: float = 0.0


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class _Server(ThreadingHTTPServer):
    # A deep accept backlog: a crawl of 150 sources connects all at once.
    request_queue_size = 512
    daemon_threads = True


class LoopbackSite:
    """A threaded HTTP server on 127.0.0.1 with routes set by the test."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        # Requests being answered right now, and the most there ever were at once, by the
        # first segment of their path (a test's own routes, not a slow one left by another).
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site._handle(self)

            def do_HEAD(self) -> None:
                site._handle(self)

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> LoopbackSite:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def add(self, path: str, body: bytes | str = b"", **kwargs: Any) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kwargs)
        self.routes[path] = route
        return route

    def requests_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def reset_hits(self) -> None:
        with self._lock:
            self.hits.clear()
            self.max_in_flight = self.in_flight.copy()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        segment = "/" + handler.path.split("?", 1)[0].split("/")[1]
        with self._lock:
            self.in_flight[segment] += 1
            self.max_in_flight[segment] = max(self.max_in_flight[segment], self.in_flight[segment])
        try:
            response = self._response(handler)
        finally:
            # Counted out before the first byte of the answer is sent: once the client has the
            # answer it may send its next request, which must not find this one still counted.
            with self._lock:
                self.in_flight[segment] -= 1
        if response is not None:
            route = self.routes.get(handler.path) or self.routes.get(handler.path.split("?", 1)[0])
            self._send(handler, *response, trickle=route.trickle if route is not None else 0.0)

    def _response(self, handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes] | None:
        """Status, headers and body for the request (logged); None when the route hangs up."""
        path = handler.path
        route = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
        headers = {k.lower(): v for k, v in handler.headers.items()}
        if route is None:
            status, extra, body = 404, {"Content-Type": "text/html"}, b"<html><body>not found</body></html>"
        elif route.hang_up:
            self._log(path, headers, 0)
            handler.close_connection = True
            handler.connection.close()
            return None
        else:
            if route.delay:
                time.sleep(route.delay)
            if route.dynamic is not None:
                status, extra, body = route.dynamic(handler)
            else:
                status, extra, body = route.status, dict(route.headers), route.body
                if route.conditional and status == 200:
                    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                    extra.setdefault("ETag", etag)
                    extra.setdefault("Last-Modified", format_datetime(datetime(2025, 11, 8, tzinfo=UTC), usegmt=True))
                    if headers.get("if-none-match") == extra["ETag"]:
                        status, body = 304, b""
        self._log(path, headers, status)
        return status, extra, body

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, extra: dict[str, str], body: bytes, trickle: float = 0.0
    ) -> None:
        handler.send_response(status)
        extra.setdefault("Content-Type", "text/html; charset=utf-8")
        for key, value in extra.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD" and status != 304:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                if not trickle:
                    handler.wfile.write(body)
                # Trickled: one byte at a time until the body is sent or the client hangs up.
                for i in range(len(body)) if trickle else ():
                    handler.wfile.write(body[i : i + 1])
                    time.sleep(trickle)

    def _log(self, path: str, headers: dict[str, str], status: int) -> None:
        with self._lock:
            self.hits.append(Hit(path, headers, status))


def rss(items: list[dict[str, str]], title: str = "Test feed") -> str:
    """An RSS 2.0 document with the given items (title, link, guid, pubDate, description)."""
    parts = []
    for item in items:
        fields = "".join(f"<{k}>{v}</{k}>" for k, v in item.items())
        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link><description>d</description>"
        + "".join(parts)
        + "</channel></rss>"
    )


# The body of an article page (article_page) on the loopback site: a round of talks ending.
PARAGRAPHS = [
    "Pakistan and Afghanistan ended the third round of talks in Istanbul on Friday without an agreement, "
    "officials from both delegations said after two days of meetings hosted by Turkish mediators.",
    "The Pakistani side had asked for written guarantees that Afghan soil would not be used by militant groups "
    "for attacks across the border, a demand the Taliban delegation said it could not accept in that form.",
    "Mediators from Turkey and Qatar said they would stay in contact with both capitals and did not rule out "
    "another meeting, but no date was set when the delegations left the venue late on Friday evening.",
]


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    published: str | None = None,
    canonical: str | None = None,
    lang: str = "en",
    charset: str = "utf-8",
) -> str:
    """A news article page with a header, navigation and footer around the article body."""
    head = [f'<meta charset="{charset}">', f"<title>{title} | Test Times</title>"]
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{"".join(head)}</head><body>'
        '<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>'
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer><p>Copyright Test Times. All rights reserved.</p><a href='/privacy'>Privacy</a></footer>"
        "</body></html>"
    )


def publish_labeled(
    site: LoopbackSite, labeled: dict[str, dict[str, Any]], feed: str, ids: list[str], *, suffix: str = ""
) -> None:
    """Serve labeled articles (tests/fixtures/*/articles.yaml) as pages behind one RSS feed at ``/<feed>.xml``.

    Each page is ``/<feed>/<id><suffix>``; GUIDs carry the feed name so two feeds never share one.
    """
    items = []
    for article_id in ids:
        article = labeled[article_id]
        path = f"/{feed}/{article_id}{suffix}"
        paragraphs = [p for p in article["text"].split("\n") if p.strip()]
        page = article_page(article["title"], paragraphs, published=str(article["published"]), lang=article["language"])
        site.add(path, page)
        items.append({"title": article["title"], "link": site.url(path), "guid": f"{feed}-{article_id}"})
    site.add(f"/{feed}.xml", rss(items), headers={"Content-Type": "application/rss+xml"})
