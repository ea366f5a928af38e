"""The 181 real pages of the article-extraction benchmark as a loopback news site.

Pages nobody here wrote, with their own boilerplate (navigation, scripts, share boxes,
related links): ``tests/fixtures/real/article-extraction-benchmark/html/*.html.gz``.

A site of N pages takes the templates in turn. Copy 0 of each template is the page as it
is; every further copy has the article body perturbed in place, in the raw HTML: each text
segment between two tags that is a piece of the benchmark's ground-truth body (at least
40 characters) gets its words shuffled, and the first one a unique id. The markup, the
boilerplate, the page's size and its vocabulary stay as they were, so extraction costs
what it costs on the real page, while no two copies share enough 3-word shingles to be
near-duplicates (a shuffled paragraph keeps almost none) nor the same content hash.
Titles stay as they are (a real site has few exact-title repeats, but the fingerprint is
dominated by the body). The share of each body perturbed is reported (``body_coverage``).

The pages are spread round-robin over RSS 2.0 feeds (title, link, guid, pubDate and the
first 200 characters of the body as description). ``startup_feeds`` list the 181
unperturbed pages alone, for the start-up crawl.
"""

from __future__ import annotations

import gzip
import html as htmllib
import json
import random
import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from harness import ROOT
from harness.site import SiteServer, _response, make_server

BENCHMARK = ROOT / "tests" / "fixtures" / "real" / "article-extraction-benchmark"
# Text between two tags, long enough to be a sentence (or most of one).
_SEGMENT = re.compile(r">([^<>]{40,})<")
_SPACE = re.compile(r"\s+")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def load_benchmark() -> list[tuple[str, str, str, str]]:
    """(key, decoded HTML, ground-truth body, original URL) of every benchmark page, by file name."""
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for path in sorted((BENCHMARK / "html").glob("*.html.gz")):
        key = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        item = truth.get(key, {})
        out.append((key, html, item.get("articleBody") or "", item.get("url") or f"https://example.org/{key}"))
    return out


def body_spans(html: str, body: str) -> list[tuple[int, int]]:
    """Spans of ``html``'s text segments that are pieces of the article ``body``."""
    norm_body = _SPACE.sub(" ", body)
    spans = []
    for match in _SEGMENT.finditer(html):
        text = _SPACE.sub(" ", htmllib.unescape(match.group(1))).strip()
        if len(text) >= 40 and text in norm_body:
            spans.append(match.span(1))
    return spans


def perturb(html: str, spans: list[tuple[int, int]], rng: random.Random, uid: str) -> str:
    """``html`` with the words of every span shuffled and ``uid`` put before the first."""
    parts = []
    last = 0
    for number, (start, end) in enumerate(spans):
        words = html[start:end].split()
        rng.shuffle(words)
        parts.append(html[last:start])
        parts.append((f"{uid} " if number == 0 else "") + " ".join(words))
        last = end
    parts.append(html[last:])
    return "".join(parts)


def _title(html: str, fallback: str) -> str:
    match = _TITLE.search(html)
    title = _SPACE.sub(" ", htmllib.unescape(match.group(1))).strip() if match else ""
    return title or fallback


def _feed(base: str, name: str, items: list[tuple[str, str, str, datetime]]) -> bytes:
    rows = []
    for title, url, description, when in items:
        rows.append(
            "<item>"
            f"<title>{htmllib.escape(title)}</title><link>{htmllib.escape(url)}</link>"
            f'<guid isPermaLink="true">{htmllib.escape(url)}</guid>'
            f"<pubDate>{format_datetime(when)}</pubDate>"
            f"<description>{htmllib.escape(description)}</description>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{name}</title><link>{base}/</link><description>real pages</description>"
        + "".join(rows)
        + "</channel></rss>"
    ).encode("utf-8")


def build_real_site(base: str, pages: int, feeds: int, seed: int) -> tuple[dict[str, bytes], dict, dict]:
    """Routes (path -> body: pages, then feeds), the manifest and a summary of the site."""
    templates = load_benchmark()
    rng = random.Random(seed)
    spans = [body_spans(html, body) for _key, html, body, _url in templates]
    now = datetime.now(UTC).replace(microsecond=0)
    pages_out: dict[str, bytes] = {}
    feed_items: list[list] = [[] for _ in range(feeds)]
    startup_items: list[list] = [[], []]
    articles = []
    for number in range(pages):
        index, copy = number % len(templates), number // len(templates)
        key, html, body, _url = templates[index]
        if copy:
            html = perturb(html, spans[index], rng, f"nwbench{number:06d}")
        path = f"/news/{number:05d}/{key[:16]}.html"
        url = base + path
        pages_out[path] = html.encode("utf-8")
        articles.append(url)
        item = (_title(html, key[:16]), url, _SPACE.sub(" ", body)[:200], now - timedelta(minutes=number))
        feed_items[number % feeds].append(item)
        if not copy:
            startup_items[number % 2].append(item)
    routes = dict(pages_out)
    feed_urls = []
    for number, items in enumerate(feed_items):
        path = f"/feeds/real{number:02d}.xml"
        routes[path] = _feed(base, f"real{number:02d}", items)
        feed_urls.append(base + path)
    startup_urls = []
    for number, items in enumerate(startup_items):
        path = f"/feeds/startup{number}.xml"
        routes[path] = _feed(base, f"startup{number}", items)
        startup_urls.append(base + path)
    coverage = sorted(
        sum(end - start for start, end in s) / max(1, len(body))
        for s, (_k, _h, body, _u) in zip(spans, templates, strict=True)
    )
    sizes = [len(b) for b in pages_out.values()]
    summary = {
        "templates": len(templates),
        "pages": pages,
        "feeds": feeds,
        "html_bytes_mean": round(sum(sizes) / len(sizes)),
        "html_bytes_max": max(sizes),
        # Share of the ground-truth body that the perturbation reaches, per template.
        "body_coverage_median": round(coverage[len(coverage) // 2], 2),
        "body_coverage_p10": round(coverage[len(coverage) // 10], 2),
        "templates_without_spans": sum(1 for s in spans if not s),
    }
    manifest = {"feeds": feed_urls, "startup_feeds": startup_urls, "articles": articles}
    return routes, manifest, summary


def serve_real(conn, pages: int, feeds: int, seed: int) -> None:
    """Server process: build the real-page site on 127.0.0.1:0 and serve it forever."""
    routes: dict[bytes, tuple[bytes, int]] = {}
    server = make_server(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    started = time.perf_counter()
    built, manifest, summary = build_real_site(base, pages, feeds, seed)
    for path, body in built.items():
        kind = "application/rss+xml" if path.startswith("/feeds/") else "text/html"
        routes[path.encode()] = _response("200 OK", f"{kind}; charset=utf-8", body)
    routes[b"/__manifest/0"] = _response("200 OK", "application/json", json.dumps(manifest).encode())
    conn.send({"base": base, "build_s": time.perf_counter() - started, "site": {0: summary}})
    conn.close()
    server.serve_forever(poll_interval=0.5)


class RealSiteServer(SiteServer):
    """The real-page site in its own process (``manifest(0)`` has feeds, startup_feeds, articles)."""

    def __init__(self, pages: int, feeds: int, seed: int = 2025) -> None:
        self._start(serve_real, (pages, feeds, seed))
