"""Feeds that publish while they are polled: bench/soak.py's site, in its own process.

``--feeds`` RSS feeds answering conditional GETs (ETag, Last-Modified, 304 when unchanged)
and a publisher thread that adds one new article (synthetic text from ``sitegen``) to
``new_per_cycle`` feeds every cycle, dated when it appears. The parent steers it over a
pipe: ``pause``, ``resume``, ``published`` (how many items so far).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sitegen import TextGen

KEEP_ITEMS = 20  # items per feed document, newest first


class _Feeds:
    """Feed documents and article pages, changed by the publisher thread."""

    def __init__(self, feeds: int, base: str, seed: int) -> None:
        self.base = base
        self.lock = threading.Lock()
        self.gen = TextGen(seed)
        self.items: list[list[dict[str, Any]]] = [[] for _ in range(feeds)]
        self.docs: dict[str, tuple[bytes, str, str]] = {}
        self.pages: dict[str, bytes] = {}
        self.published = 0
        for index in range(feeds):
            self._render(index)

    def publish(self, index: int) -> None:
        now = datetime.now(UTC)
        with self.lock:
            n = self.published
            self.published += 1
        title = self.gen.headline()
        paragraphs = [self.gen.paragraph() for _ in range(6)]
        path = f"/a/{index}/{n}.html"
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        page = (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><header><nav><a href='/'>Home</a></nav></header><main><article><h1>{title}</h1>"
            f"{body}</article></main><footer>Soak News</footer></body></html>"
        ).encode()
        item = {"title": title, "link": self.base + path, "published": now, "summary": paragraphs[0][:200]}
        with self.lock:
            self.pages[path] = page
            self.items[index].insert(0, item)
            del self.items[index][KEEP_ITEMS:]
            self._render(index)

    def _render(self, index: int) -> None:
        entries = "".join(
            f"<item><title>{i['title']}</title><link>{i['link']}</link><guid>{i['link']}</guid>"
            f"<pubDate>{format_datetime(i['published'])}</pubDate><description>{i['summary']}</description></item>"
            for i in self.items[index]
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Soak feed {index}</title><link>{self.base}/</link><description>soak</description>"
            f"{entries}</channel></rss>"
        ).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        newest = self.items[index][0]["published"] if self.items[index] else datetime(2025, 1, 1, tzinfo=UTC)
        self.docs[f"/feed/{index}.xml"] = (body, etag, format_datetime(newest, usegmt=True))


def serve(conn: Any, feeds: int, new_per_cycle: int, cycle: float, seed: int) -> None:
    """The site process: serve until the parent closes the pipe; obey pause/resume."""
    holder: dict[str, _Feeds] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            site = holder["site"]
            path = self.path.split("?", 1)[0]
            with site.lock:
                doc = site.docs.get(path)
                page = site.pages.get(path)
            if doc is not None:
                body, etag, modified = doc
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._send(200, body, "application/rss+xml", {"ETag": etag, "Last-Modified": modified})
            elif page is not None:
                self._send(200, page, "text/html; charset=utf-8", {})
            else:
                self._send(404, b"not found", "text/plain", {})

        def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str]) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

    server = Server(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    holder["site"] = site = _Feeds(feeds, base, seed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    publishing = threading.Event()
    publishing.set()

    def publisher() -> None:
        rng = random.Random(seed)
        order = list(range(feeds))
        position = 0
        while True:
            time.sleep(cycle)
            if not publishing.is_set():
                continue
            for _ in range(new_per_cycle):
                if position % feeds == 0:
                    rng.shuffle(order)
                site.publish(order[position % feeds])
                position += 1

    threading.Thread(target=publisher, daemon=True).start()
    conn.send(base)
    while True:
        try:
            command = conn.recv()
        except EOFError:
            break
        if command == "pause":
            publishing.clear()
        elif command == "resume":
            publishing.set()
        elif command == "published":
            with site.lock:
                conn.send(site.published)
    server.shutdown()
