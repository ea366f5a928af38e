"""The synthetic news site (``sitegen``) served on 127.0.0.1 from its own process."""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time


def _response(status: str, content_type: str, body: bytes, extra: str = "") -> tuple[bytes, int]:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Connection: keep-alive\r\nCache-Control: max-age=60\r\n{extra}\r\n"
    ).encode("latin-1")
    return head + body, len(head)


def make_server(routes: dict[bytes, tuple[bytes, int]]):
    """A lean threaded HTTP/1.1 server on 127.0.0.1, port 0, answering GET/HEAD from ``routes``.

    One thread per connection, keep-alive, responses pre-built as bytes (``_response``), so
    that serving costs a few tens of microseconds per request. ``/__stats`` reports the
    request count and the process's CPU time. ``routes`` may be filled after the call
    (the address is needed to build the pages).
    """
    import itertools
    import socketserver
    from urllib.parse import unquote_to_bytes

    served = itertools.count()
    not_found = _response("404 Not Found", "text/html; charset=utf-8", b"<html><body>not found</body></html>")

    class Handler(socketserver.StreamRequestHandler):
        rbufsize = 65536
        wbufsize = 0
        disable_nagle_algorithm = True

        def handle(self) -> None:
            rfile, sock = self.rfile, self.connection
            while True:
                try:
                    line = rfile.readline(65537)
                except OSError:
                    return
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    continue
                parts = line.split()
                if len(parts) < 2:
                    return
                close = len(parts) < 3 or parts[2] != b"HTTP/1.1"
                while True:
                    header = rfile.readline(65537)
                    if not header or header in (b"\r\n", b"\n"):
                        break
                    if header[:11].lower() == b"connection:":
                        value = header[11:].strip().lower()
                        close = value == b"close" or (close and value != b"keep-alive")
                path = unquote_to_bytes(parts[1].split(b"?", 1)[0])
                if path == b"/__stats":
                    times = os.times()
                    body = json.dumps({"requests": next(served), "cpu_s": times.user + times.system}).encode()
                    full, head_len = _response("200 OK", "application/json", body)
                else:
                    next(served)
                    full, head_len = routes.get(path, not_found)
                try:
                    sock.sendall(full if parts[0] != b"HEAD" else full[:head_len])
                except OSError:
                    return
                if close:
                    return

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 1024

    return Server(("127.0.0.1", 0), Handler)


def serve_site(conn, pages: int, feeds: int, generations: int, seed: int, on_topic: float) -> None:
    """Server process: bind 127.0.0.1:0, build every generation of the site, serve forever."""
    import sitegen

    routes: dict[bytes, tuple[bytes, int]] = {}
    server = make_server(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    started = time.perf_counter()
    manifests = {}
    summary = {}
    for generation in range(generations):
        site = sitegen.build_site(base, generation, pages, feeds, seed, on_topic)
        for page in site.pages:
            routes[page.path.encode()] = _response("200 OK", "text/html; charset=utf-8", page.html)
        for path, body in site.feeds.items():
            routes[path.encode()] = _response("200 OK", "application/rss+xml; charset=utf-8", body)
        manifests[generation] = site.manifest()
        sizes = [len(p.html) for p in site.pages]
        chars = [p.text_chars for p in site.pages]
        summary[generation] = {
            "html_bytes_mean": round(sum(sizes) / len(sizes)),
            "html_bytes_min": min(sizes),
            "html_bytes_max": max(sizes),
            "text_chars_mean": round(sum(chars) / len(chars)),
            "text_chars_min": min(chars),
            "text_chars_max": max(chars),
            "feed_bytes_mean": round(sum(len(b) for b in site.feeds.values()) / max(1, len(site.feeds))),
            "on_topic_pages": sum(1 for p in site.pages if p.on_topic),
            "storylines": site.storylines,
        }
        del site
    for generation, manifest in manifests.items():
        routes[f"/__manifest/{generation}".encode()] = _response(
            "200 OK", "application/json", json.dumps(manifest).encode()
        )
    conn.send({"base": base, "build_s": time.perf_counter() - started, "site": summary})
    conn.close()
    server.serve_forever(poll_interval=0.5)


class SiteServer:
    """Start/stop the server process and talk to it."""

    def __init__(self, pages: int, feeds: int, generations: int, seed: int, on_topic: float) -> None:
        self._start(serve_site, (pages, feeds, generations, seed, on_topic))

    def _start(self, target, args: tuple) -> None:
        """Run ``target(conn, *args)`` in a spawned process; it sends base, build_s and site."""
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child, *args), daemon=True)
        self.process.start()
        if not parent.poll(600):
            raise RuntimeError("site server did not start")
        info = parent.recv()
        self.base: str = info["base"]
        self.build_s: float = info["build_s"]
        self.site: dict = info["site"]

    def get(self, path: str) -> bytes:
        import urllib.request

        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read()

    def manifest(self, generation: int) -> dict[str, list[str]]:
        return json.loads(self.get(f"/__manifest/{generation}"))

    def stats(self) -> dict[str, float]:
        return json.loads(self.get("/__stats"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


def prefetch(urls: list[str], threads: int = 8) -> dict[str, bytes]:
    """GET every URL (keep-alive, a few threads) into memory."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urlsplit

    local = threading.local()

    def fetch(url: str) -> tuple[str, bytes]:
        parts = urlsplit(url)
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        conn.request("GET", parts.path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return url, body

    with ThreadPoolExecutor(threads) as pool:
        return dict(pool.map(fetch, urls))
