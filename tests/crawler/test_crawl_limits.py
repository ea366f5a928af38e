"""Hostile sources that would keep a poll going forever: nested sitemap indexes, fresh query strings.

Each poll of a source follows child sitemaps at most ``crawl.max_sitemap_depth`` levels deep and
makes at most ``crawl.max_source_fetches`` requests besides article pages (redirects and retries
included). Reaching either ends the poll: the articles found so far are stored, and the source is
recorded as failing with a reason that says what happened and which key to change.

Every test here has a pytest timeout: before these limits the crawls below never ended.
"""

from __future__ import annotations

import itertools
import json
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import Article, CrawlRun, Source
from tests.conftest import loopback_config, run_cli, start_service, wait_for_service, write_config
from tests.site import PARAGRAPHS, LoopbackSite, article_page

pytestmark = pytest.mark.slow

XML = {"Content-Type": "application/xml"}


def index(*children: str) -> bytes:
    """A sitemap index listing ``children``."""
    entries = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    ).encode()


def news_sitemap(site: LoopbackSite, prefix: str, count: int = 2) -> tuple[str, list[str]]:
    """A news sitemap at ``<prefix>/news.xml`` with ``count`` real article pages; returns its URL and theirs."""
    urls = []
    for i in range(count):
        path = f"{prefix}/2025/11/07/border-talks-story-number-{i}"
        site.add(path, article_page(f"Story {i} of {prefix}", PARAGRAPHS[:2], published="2025-11-07T09:30:00+00:00"))
        urls.append(site.url(path))
    locs = "".join(f"<url><loc>{url}</loc><lastmod>2025-11-07</lastmod></url>" for url in urls)
    site.add(
        f"{prefix}/news.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}'
        "</urlset>",
        headers=XML,
    )
    return site.url(f"{prefix}/news.xml"), urls


def document_hits(site: LoopbackSite, prefix: str) -> int:
    """Requests the crawler made for documents under ``prefix`` (article pages excluded)."""
    with site._lock:
        return sum(1 for hit in site.hits if hit.path.startswith(prefix) and "/2025/" not in hit.path)


def crawl(tmp_path: Path, db_url: str, sources: list[dict[str, Any]], **sections: Any) -> dict[str, dict[str, Any]]:
    """`newswatch crawl --format json`, by source; a crawl that does not end in 60 s fails."""
    config = write_config(tmp_path / "cfg", loopback_config(db_url, sources, **sections))
    try:
        result = run_cli("crawl", "--format", "json", config=config, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the crawl did not finish within 60 s")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return {s["source"]: s for s in json.loads(result.stdout)}


def health(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """`newswatch sources --format json`, by source name."""
    listing = run_cli("sources", "--format", "json", config=tmp_path / "cfg" / "config.yaml")
    assert listing.returncode == 0, listing.stderr
    return {row["name"]: row for row in json.loads(listing.stdout)}


def stored_urls(sessions) -> set[str]:
    with sessions() as session:
        return set(session.scalars(select(Article.url).where(Article.is_seed.is_(False))))


def looping_indexes(site: LoopbackSite, prefix: str) -> tuple[str, list[str]]:
    """The finding's case: ``a.xml`` -> ``b.xml?x=<n>`` -> ``a.xml?x=<n>`` -> ... with a fresh ``n`` each time.

    ``a.xml`` also lists a news sitemap with real articles. Returns the URL of ``a.xml`` and theirs.
    """
    counter = itertools.count(1)
    news, articles = news_sitemap(site, prefix)

    def a(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 200, dict(XML), index(news, site.url(f"{prefix}/b.xml?x={next(counter)}"))

    def b(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 200, dict(XML), index(site.url(f"{prefix}/a.xml?x={next(counter)}"))

    site.add(f"{prefix}/a.xml", dynamic=a)
    site.add(f"{prefix}/b.xml", dynamic=b)
    return site.url(f"{prefix}/a.xml"), articles


@pytest.mark.timeout(120)
def test_sitemap_indexes_looping_under_fresh_query_strings_end_the_poll(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    url, articles = looping_indexes(site, "/loop")
    summary = crawl(tmp_path, db_url, [{"name": "loop", "type": "sitemap", "url": url}])["loop"]
    assert summary["status"] == "error", summary
    reason = summary["error"]
    # a.xml (level 0) -> b.xml?x=1 (1) -> a.xml?x=2 (2) -> b.xml?x=3 (3): its children are refused.
    assert f"sitemap index nesting deeper than 3 levels at {site.url('/loop/b.xml?x=3')}" in reason, reason
    assert f"{site.url('/loop/a.xml?x=2')} is {url} again under another query string" in reason, reason
    assert "crawl.max_sitemap_depth" in reason, reason
    assert document_hits(site, "/loop/") == 5, "a.xml, news.xml, b.xml?x=1, a.xml?x=2, b.xml?x=3"
    assert summary["articles_new"] == 2
    assert stored_urls(sessions) == set(articles), "the articles found before the limit are kept"
    row = health(tmp_path)["loop"]
    assert row["status"] == "error"
    assert row["last_error"] == reason
    assert row["consecutive_errors"] == 1


@pytest.mark.timeout(120)
def test_fetch_budget_counts_child_sitemaps_and_redirects_across_query_strings(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    # Every index lists ten fresh child indexes, each behind a redirect to a fresh query string:
    # ten times more documents at each level, so the fetch budget ends the poll before the
    # depth limit does.
    site = fresh_site
    counter = itertools.count(1)
    news, articles = news_sitemap(site, "/fan")

    def fan(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        children = [site.url(f"/fan/hop?n={next(counter)}") for _ in range(10)]
        if "?" not in handler.path:
            children[0] = news
        return 200, dict(XML), index(*children)

    def hop(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 302, {"Location": site.url(f"/fan/index.xml?from={handler.path.split('=')[-1]}")}, b""

    site.add("/fan/index.xml", dynamic=fan)
    site.add("/fan/hop", dynamic=hop)
    summary = crawl(
        tmp_path,
        db_url,
        [{"name": "fan", "type": "sitemap", "url": site.url("/fan/index.xml")}],
        crawl={"max_source_fetches": 30},
    )["fan"]
    assert summary["status"] == "error", summary
    assert "stopped after 30 requests for the source and its sitemaps" in summary["error"]
    assert "(crawl.max_source_fetches)" in summary["error"]
    hops = sum(1 for hit in site.hits if hit.path.startswith("/fan/hop"))
    assert hops > 5, "the redirects were followed, and counted"
    assert document_hits(site, "/fan/") == 30, "index, news sitemap, redirects and child indexes: 30 in all"
    assert summary["articles_new"] == 2
    assert stored_urls(sessions) == set(articles)
    assert health(tmp_path)["fan"]["last_error"] == summary["error"]


@pytest.mark.timeout(120)
def test_an_index_listing_one_sitemap_twice_fetches_it_once(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    # The same child twice, once with a tracking parameter (dropped by canonicalisation), and a
    # sitemap paged by query string, which is a different document and is fetched.
    site = fresh_site
    news, articles = news_sitemap(site, "/twice")
    site.add(
        "/twice/index.xml", index(news, news + "?utm_source=index", news + "?page=2", news + "?page=2"), headers=XML
    )
    summary = crawl(tmp_path, db_url, [{"name": "twice", "type": "sitemap", "url": site.url("/twice/index.xml")}])[
        "twice"
    ]
    assert summary["status"] == "ok", summary
    fetched = [hit.path for hit in site.hits if hit.path.startswith("/twice/news.xml")]
    assert sorted(fetched) == ["/twice/news.xml", "/twice/news.xml?page=2"]
    assert len(site.requests_for("/twice/news.xml?page=2")) == 1
    assert stored_urls(sessions) == set(articles)


@pytest.fixture
def service() -> Iterator[list[subprocess.Popen[str]]]:
    """Processes started by the test, stopped after it whatever happens."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.timeout(120)
def test_service_completes_polls_of_a_looping_index_and_refetches_children_every_poll(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions, service: list[subprocess.Popen[str]]
) -> None:
    site = fresh_site
    looping, _ = looping_indexes(site, "/svc-loop")
    news, _ = news_sitemap(site, "/svc")
    site.add("/svc/index.xml", index(news), headers=XML)
    sources = [
        {"name": "looping", "type": "sitemap", "url": looping, "interval": "1s"},
        {"name": "maps", "type": "sitemap", "url": site.url("/svc/index.xml"), "interval": "1s"},
    ]
    config = write_config(tmp_path, loopback_config(db_url, sources, crawl={"retries": 0}))
    process = start_service(config)
    service.append(process)

    def polls(name: str) -> int:
        with sessions() as session:
            return session.scalar(select(func.count()).select_from(CrawlRun).join(Source).where(Source.name == name))

    def recorded(name: str) -> Source | None:
        with sessions() as session:
            return session.scalar(select(Source).where(Source.name == name, Source.last_fetch_at.is_not(None)))

    wait_for_service(process, "a recorded poll of the looping index", lambda: recorded("looping") is not None)
    row = recorded("looping")
    assert row is not None and row.status == "error"
    assert "sitemap index nesting deeper than 3 levels" in (row.last_error or "")
    wait_for_service(process, "three polls of the healthy index", lambda: polls("maps") >= 3)
    # Each poll reads the index again and its child too: the crawler stays open between polls,
    # and what it fetched in an earlier poll must not count as already seen.
    assert len(site.requests_for("/svc/news.xml")) >= 3
