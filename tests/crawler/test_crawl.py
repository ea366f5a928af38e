"""Whole crawls through `newswatch crawl` against a loopback site: storing, politeness, bad input.

Each crawl runs in a subprocess (Twisted's reactor cannot be restarted in-process) against
the session database of the backend under test.
"""

from __future__ import annotations

import gzip
import json
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import Article, ArticleSighting, ArticleUrl, CrawlRun, FetchFailure, Source
from tests.conftest import loopback_config, run_cli, write_config
from tests.site import PARAGRAPHS, LoopbackSite, article_page, rss

pytestmark = pytest.mark.slow


def crawl(tmp_path: Path, db_url: str, sources: list[dict[str, Any]], **sections: Any) -> list[dict[str, Any]]:
    """Run `newswatch crawl --format json` and return its per-source summaries."""
    config = write_config(tmp_path / "cfg", loopback_config(db_url, sources, **sections))
    result = run_cli("crawl", "--format", "json", config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    summaries = json.loads(result.stdout)
    assert isinstance(summaries, list)
    return summaries


def by_source(summaries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s["source"]: s for s in summaries}


def add_article(
    site: LoopbackSite,
    path: str,
    title: str,
    *,
    published: str | None = "2025-11-07T09:30:00+00:00",
    canonical: str | None = None,
    paragraphs: list[str] | None = None,
) -> str:
    site.add(path, article_page(title, paragraphs or PARAGRAPHS, published=published, canonical=canonical))
    return site.url(path)


def good_feed(site: LoopbackSite, path: str = "/good/feed.xml") -> dict[str, Any]:
    """A healthy source, crawled next to a broken one to show the others go on."""
    link = add_article(site, "/good/story-one.html", "Healthy source story")
    site.add(
        path,
        rss([{"title": "Healthy", "link": link, "guid": "good-1"}]),
        headers={"Content-Type": "application/rss+xml"},
    )
    return {"name": "good", "type": "feed", "url": site.url(path)}


# --- storing ------------------------------------------------------------------------------


def test_feeds_store_each_article_once(fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions) -> None:
    site = fresh_site
    canonical = site.url("/news/2025/11/07/talks-end-without-agreement")
    shared = add_article(site, "/a/talks.html", "Istanbul talks end without agreement", canonical=canonical)
    other = add_article(
        site,
        "/a/second.html",
        "Border crossing reopens for trade",
        paragraphs=[p.replace("talks", "trade talks") + " Traders waited for days." for p in PARAGRAPHS],
        published=None,
    )
    site.add(
        "/rss.xml",
        rss(
            [
                {
                    "title": "Talks end",
                    "link": shared + "?utm_source=rss&amp;utm_medium=feed",
                    "guid": "t-1",
                    "pubDate": "Fri, 07 Nov 2025 10:00:00 GMT",
                    "description": "Talks ended.",
                },
                {"title": "Crossing reopens", "link": other, "guid": "t-2", "pubDate": "Sat, 08 Nov 2025 06:00:00 GMT"},
            ]
        ),
        headers={"Content-Type": "application/rss+xml"},
    )
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
        f"<id>urn:x</id><updated>2025-11-07T10:00:00Z</updated><entry><title>Talks end (Atom)</title>"
        f'<link href="{shared}#comments"/><id>urn:a-1</id><updated>2025-11-07T10:00:00Z</updated></entry></feed>'
    )
    site.add("/atom.xml", atom, headers={"Content-Type": "application/atom+xml"})
    summaries = by_source(
        crawl(
            tmp_path,
            db_url,
            [
                {"name": "rss", "type": "feed", "url": site.url("/rss.xml")},
                {"name": "atom", "type": "feed", "url": site.url("/atom.xml")},
            ],
            # This crawl extracts in worker processes, as the service does by default.
            crawl={"extract_workers": 2},
        )
    )
    assert summaries["rss"]["status"] == "ok"
    assert summaries["atom"]["status"] == "ok"
    assert summaries["rss"]["items_found"] == 2
    with sessions() as session:
        articles = {a.url: a for a in session.scalars(select(Article).where(Article.is_seed.is_(False)))}
        assert set(articles) == {canonical, other}, "the article carried by two feeds is stored once"
        talks = articles[canonical]
        assert talks.title == "Istanbul talks end without agreement"
        assert "written guarantees" in talks.text
        assert "Copyright Test Times" not in talks.text, "boilerplate is not article text"
        assert talks.published_at == datetime(2025, 11, 7, 9, 30, tzinfo=UTC)
        assert talks.published_source == "page"
        assert talks.language == "en"
        # The page had no date of its own: the feed's date is used.
        assert articles[other].published_at == datetime(2025, 11, 8, 6, 0, tzinfo=UTC)
        assert articles[other].published_source == "feed"
        sightings = session.scalar(
            select(func.count()).select_from(ArticleSighting).where(ArticleSighting.article_id == talks.id)
        )
        assert sightings == 2, "both sources are recorded as carrying the shared article"
        aliases = set(session.scalars(select(ArticleUrl.url).where(ArticleUrl.article_id == talks.id)))
        assert shared in aliases and canonical in aliases
    # Each page fetched at most once across both sources in one crawl (plus none for the canonical URL).
    assert (
        len(site.requests_for("/a/talks.html")) + len(site.requests_for("/a/talks.html?utm_source=rss&utm_medium=feed"))
        <= 2
    )


def test_second_crawl_is_conditional_and_fetches_no_article_again(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    links = [add_article(site, f"/c/{i}.html", f"Story number {i} from the border") for i in range(3)]
    site.add(
        "/etag.xml",
        rss([{"title": f"S{i}", "link": link, "guid": f"s{i}"} for i, link in enumerate(links)]),
        headers={"Content-Type": "application/rss+xml"},
        conditional=True,
    )
    # A feed without validators: polled in full, but its known articles are not fetched again.
    site.add(
        "/plain.xml",
        rss([{"title": "S0", "link": links[0], "guid": "p0"}]),
        headers={"Content-Type": "application/rss+xml"},
    )
    sources = [
        {"name": "etag", "type": "feed", "url": site.url("/etag.xml")},
        {"name": "plain", "type": "feed", "url": site.url("/plain.xml")},
    ]
    first = by_source(crawl(tmp_path, db_url, sources))
    # links[0] is in both feeds: whichever source claims it first fetches it.
    assert first["etag"]["articles_new"] + first["plain"]["articles_new"] == 3
    assert first["etag"]["articles_new"] + first["etag"]["articles_seen"] == 3
    article_hits = sum(len(site.requests_for(f"/c/{i}.html")) for i in range(3))
    assert article_hits == 3
    site.reset_hits()

    second = by_source(crawl(tmp_path, db_url, sources))
    assert second["etag"]["status"] == "not_modified"
    assert second["etag"]["http_status"] == 304
    etag_polls = site.requests_for("/etag.xml")
    assert len(etag_polls) == 1
    assert etag_polls[0].headers.get("if-none-match", "").startswith('"')
    assert "if-modified-since" in etag_polls[0].headers
    assert second["plain"]["status"] == "ok"
    assert second["plain"]["articles_seen"] == 1
    assert sum(len(site.requests_for(f"/c/{i}.html")) for i in range(3)) == 0, "no article fetched again"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article).where(Article.is_seed.is_(False))) == 3
        source = session.scalar(select(Source).where(Source.name == "etag"))
        assert source is not None and source.etag and source.last_modified
        assert source.status == "not_modified"
        assert session.scalar(select(func.count()).select_from(CrawlRun)) == 4

    # A new item appears: only it is fetched.
    new_link = add_article(site, "/c/new.html", "A new clash is reported at the crossing")
    site.add(
        "/etag.xml",
        rss(
            [{"title": "New", "link": new_link, "guid": "n"}]
            + [{"title": f"S{i}", "link": link, "guid": f"s{i}"} for i, link in enumerate(links)]
        ),
        headers={"Content-Type": "application/rss+xml"},
        conditional=True,
    )
    site.reset_hits()
    third = by_source(crawl(tmp_path, db_url, sources))
    assert third["etag"]["articles_new"] == 1
    assert len(site.requests_for("/c/new.html")) == 1
    assert sum(len(site.requests_for(f"/c/{i}.html")) for i in range(3)) == 0


def test_cache_control_max_age_sets_the_earliest_next_poll(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    link = add_article(site, "/m/1.html", "Talks resume in Doha")
    feed = rss([{"title": "T", "link": link, "guid": "m1"}])
    site.add(
        "/fresh.xml", feed, headers={"Content-Type": "application/rss+xml", "Cache-Control": "public, max-age=3600"}
    )
    site.add(
        "/nocache.xml", feed, headers={"Content-Type": "application/rss+xml", "Cache-Control": "no-cache, max-age=600"}
    )
    sources = [
        {"name": "fresh", "type": "feed", "url": site.url("/fresh.xml")},
        {"name": "nocache", "type": "feed", "url": site.url("/nocache.xml")},
    ]
    before = datetime.now(UTC)
    crawl(tmp_path, db_url, sources)
    with sessions() as session:
        fresh = session.scalars(select(Source).where(Source.name == "fresh")).one()
        nocache = session.scalars(select(Source).where(Source.name == "nocache")).one()
    assert fresh.next_fetch_at is not None
    assert before + timedelta(minutes=59) <= fresh.next_fetch_at <= datetime.now(UTC) + timedelta(hours=1)
    assert nocache.next_fetch_at is None


def test_news_sitemap_index_with_gzip_child(fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions) -> None:
    site = fresh_site
    undated = add_article(site, "/s/undated-story-about-border-talks", "Undated story", published=None)
    dated = add_article(site, "/s/dated-story-about-border-talks", "Dated story")
    news = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{undated}</loc><news:news><news:publication><news:name>T</news:name>"
        "<news:language>en</news:language></news:publication>"
        "<news:publication_date>2025-11-09T08:15:00+05:00</news:publication_date>"
        "<news:title>Undated story</news:title></news:news></url>"
        f"<url><loc>{dated}</loc><lastmod>2025-11-07</lastmod></url></urlset>"
    )
    site.add("/sitemaps/news-1.xml.gz", gzip.compress(news.encode()), headers={"Content-Type": "application/gzip"})
    index = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemaps/news-1.xml.gz')}</loc></sitemap>"
        f"<sitemap><loc>{site.url('/sitemaps/missing.xml')}</loc></sitemap></sitemapindex>"
    )
    site.add("/sitemap-index.xml", index, headers={"Content-Type": "application/xml"})
    summary = crawl(tmp_path, db_url, [{"name": "maps", "type": "sitemap", "url": site.url("/sitemap-index.xml")}])[0]
    assert summary["status"] == "ok"
    assert summary["articles_new"] == 2
    assert summary["articles_failed"] == 1, "the missing child sitemap is reported"
    with sessions() as session:
        rows = {a.title: a for a in session.scalars(select(Article).where(Article.is_seed.is_(False)))}
        assert rows["Undated story"].published_at == datetime(2025, 11, 9, 3, 15, tzinfo=UTC)
        assert rows["Dated story"].published_at == datetime(2025, 11, 7, 9, 30, tzinfo=UTC)
        failure = session.scalar(select(FetchFailure))
        assert failure is not None and "404" in failure.reason and failure.url.endswith("missing.xml")


def test_gzip_sitemaps_under_a_huge_size_limit_and_a_corrupt_one(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    # With crawl.max_response_size at 1TiB, inflating a small .xml.gz reserved a terabyte
    # (MemoryError); corrupt deflate data raised zlib.error. Both escaped the callback.
    site = fresh_site
    story = add_article(site, "/gz/border-talks-story", "Gzip sitemap story")
    news = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{story}</loc><lastmod>2025-11-07</lastmod></url></urlset>"
    ).encode()
    gz = {"Content-Type": "application/gzip"}
    site.add("/gz/news.xml.gz", gzip.compress(news), headers=gz)
    corrupt = gzip.compress(news * 20)
    site.add("/gz/corrupt.xml.gz", corrupt[:10] + b"\xff" * 10 + corrupt[20:], headers=gz)
    sources = [
        {"name": "big", "type": "sitemap", "url": site.url("/gz/news.xml.gz")},
        {"name": "corrupt", "type": "sitemap", "url": site.url("/gz/corrupt.xml.gz")},
    ]
    summaries = by_source(crawl(tmp_path, db_url, sources, crawl={"max_response_size": "1024GiB"}))
    assert summaries["big"]["status"] == "ok" and summaries["big"]["articles_new"] == 1, summaries["big"]
    assert summaries["corrupt"]["status"] == "error", summaries["corrupt"]
    assert "bad gzip sitemap" in summaries["corrupt"]["error"]
    with sessions() as session:
        source = session.scalars(select(Source).where(Source.name == "corrupt")).one()
        assert source.last_error and "bad gzip sitemap" in source.last_error


def test_listing_page_picks_links_by_selector_and_pattern(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    wanted = [add_article(site, f"/latest/{1000 + i}-border-story-{i}", f"Listing story {i}") for i in range(2)]
    add_article(site, "/opinion/9999-column", "An opinion column")
    links = "".join(f'<div class="story"><a href="{u}">Story {i}</a></div>' for i, u in enumerate(wanted))
    page = (
        "<html><body><nav><a href='/'>Home</a><a href='/opinion/9999-column'>Column</a></nav>"
        f"<section class='latest'>{links}<div class='story'><a href='/about'>About</a></div></section></body></html>"
    )
    site.add("/section", page)
    summary = crawl(
        tmp_path,
        db_url,
        [
            {
                "name": "section",
                "type": "listing",
                "url": site.url("/section"),
                "link_selector": ".latest .story a",
                "link_pattern": r"/latest/\d+-",
            }
        ],
    )[0]
    assert summary["status"] == "ok"
    assert summary["articles_new"] == 2
    with sessions() as session:
        titles = set(session.scalars(select(Article.title).where(Article.is_seed.is_(False))))
    assert titles == {"Listing story 0", "Listing story 1"}
    assert not site.requests_for("/opinion/9999-column")
    assert not site.requests_for("/about")


def test_pages_without_text_fall_back_to_feed_summary(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    site.add("/empty-page.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    site.add("/nothing.html", "<html><body></body></html>")
    site.add(
        "/feed.xml",
        rss(
            [
                {
                    "title": "Ceasefire holds at Torkham",
                    "link": site.url("/empty-page.html"),
                    "guid": "e1",
                    "description": "The ceasefire held overnight at the Torkham crossing, officials said.",
                    "pubDate": "Mon, 10 Nov 2025 04:00:00 GMT",
                },
                {"title": "Bare", "link": site.url("/nothing.html"), "guid": "e2"},
            ]
        ),
        headers={"Content-Type": "application/rss+xml"},
    )
    summary = crawl(tmp_path, db_url, [{"name": "thin", "type": "feed", "url": site.url("/feed.xml")}])[0]
    # A page with no text and a feed item with no summary: nothing to store, a failure.
    assert summary["articles_new"] == 1
    assert summary["articles_failed"] == 1
    with sessions() as session:
        rows = {a.title: a for a in session.scalars(select(Article).where(Article.is_seed.is_(False)))}
    kept = rows["Ceasefire holds at Torkham"]
    assert kept.extraction == "feed"
    assert "held overnight" in kept.text
    assert kept.published_at == datetime(2025, 11, 10, 4, 0, tzinfo=UTC)


# --- bad input: each case is logged against its source, the others are crawled as usual --------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _flaky(statuses: list[int], body: bytes, headers: dict[str, str]):
    calls = {"n": 0}

    def handler(_request: Any) -> tuple[int, dict[str, str], bytes]:
        calls["n"] += 1
        if calls["n"] <= len(statuses):
            return statuses[calls["n"] - 1], {"Retry-After": "1", "Content-Type": "text/html"}, b"slow down"
        return 200, dict(headers), body

    return handler


SOURCE_CASES: dict[str, dict[str, Any]] = {
    "unreachable_host": {"status": "error", "error": "DNS lookup failed"},
    "connection_refused": {"status": "error", "error": "connection refused"},
    "not_found": {"status": "error", "error": "HTTP 404 Not Found"},
    "server_error": {"status": "error", "error": "HTTP 500 Internal Server Error"},
    "rate_limited_long": {"status": "rate_limited", "error": "HTTP 429 Too Many Requests"},
    "timeout": {"status": "error", "error": "timed out after 1s"},
    "malformed_feed": {"status": "error", "error": "malformed feed"},
    "empty_feed": {"status": "error", "error": "empty response"},
    "html_not_feed": {"status": "error", "error": "not a feed: the URL returned an HTML page"},
    "bot_challenge": {"status": "blocked", "error": "bot-protection challenge"},
    "robots_disallowed": {"status": "blocked", "error": "robots.txt"},
    "hang_up": {"status": "error", "error": "connection"},
    "gzip_bomb": {
        "status": "error",
        "error": "gzip_bomb/feed.xml decompresses to more than 10MB (crawl.max_response_size)",
    },
}


def _setup_source_case(site: LoopbackSite, case: str) -> dict[str, Any]:
    path = f"/{case}/feed.xml"
    url = site.url(path)
    if case == "unreachable_host":
        url = "http://newswatch-test.invalid/feed.xml"
    elif case == "connection_refused":
        url = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    elif case == "not_found":
        pass  # no route: the site answers 404
    elif case == "server_error":
        site.add(path, "<h1>oops</h1>", status=500)
    elif case == "rate_limited_long":
        site.add(path, "slow down", status=429, headers={"Retry-After": "3600"})
    elif case == "timeout":
        site.add(path, rss([]), delay=3)
    elif case == "malformed_feed":
        site.add(
            path,
            "<?xml version='1.0'?><rss><channel><title>x</title><item><title>unclosed",
            headers={"Content-Type": "application/rss+xml"},
        )
    elif case == "empty_feed":
        site.add(path, b"", headers={"Content-Type": "application/rss+xml"})
    elif case == "html_not_feed":
        site.add(path, "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>")
    elif case == "bot_challenge":
        site.add(
            path,
            "<html><head><title>Just a moment...</title></head><body>challenge-platform</body></html>",
            status=403,
            headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
        )
    elif case == "robots_disallowed":
        site.add(
            "/robots.txt", "User-agent: *\nDisallow: /robots_disallowed/\n", headers={"Content-Type": "text/plain"}
        )
    elif case == "hang_up":
        site.add(path, hang_up=True)
    elif case == "gzip_bomb":
        # 11 MB of spaces in 11 KB: past crawl.max_response_size (10MB) only once inflated.
        bomb = gzip.compress(b" " * 11_000_000)
        site.add(path, bomb, headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
    return {"name": "broken", "type": "feed", "url": url}


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_broken_source_is_recorded_and_others_crawl(
    case: str, fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    expected = SOURCE_CASES[case]
    sources = [_setup_source_case(site, case), good_feed(site)]
    summaries = by_source(crawl(tmp_path, db_url, sources, crawl={"timeout": "1s", "retries": 1}))
    broken = summaries["broken"]
    assert broken["status"] == expected["status"], broken
    assert expected["error"].lower() in (broken["error"] or "").lower(), broken
    assert summaries["good"]["status"] == "ok"
    assert summaries["good"]["articles_new"] == 1
    # Shown in `newswatch sources`, with the reason.
    config = tmp_path / "cfg" / "config.yaml"
    listing = run_cli("sources", "--format", "json", config=config)
    assert listing.returncode == 0, listing.stderr
    health = {row["name"]: row for row in json.loads(listing.stdout)}
    assert health["broken"]["status"] == expected["status"]
    assert expected["error"].lower() in (health["broken"]["last_error"] or "").lower()
    assert health["broken"]["consecutive_errors"] == 1
    assert health["good"]["consecutive_errors"] == 0
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Article).where(Article.is_seed.is_(False))) == 1, (
            "nothing stored for the broken source"
        )
    if case == "rate_limited_long":
        with sessions() as session:
            source = session.scalar(select(Source).where(Source.name == "broken"))
            assert source is not None and source.next_fetch_at is not None
            assert source.next_fetch_at > datetime.now(UTC) + timedelta(minutes=50)
        assert len(site.requests_for("/rate_limited_long/feed.xml")) == 1, "a long Retry-After is not retried now"
    if case == "server_error":
        assert len(site.requests_for("/server_error/feed.xml")) == 2, "one retry with backoff"


def test_retry_after_within_limit_is_honoured(fresh_site: LoopbackSite, tmp_path: Path, db_url: str) -> None:
    site = fresh_site
    link = add_article(site, "/r/story.html", "Story behind a rate limit")
    body = rss([{"title": "S", "link": link, "guid": "r1"}]).encode()
    site.add("/r/feed.xml", dynamic=_flaky([429], body, {"Content-Type": "application/rss+xml"}))
    summary = crawl(tmp_path, db_url, [{"name": "flaky", "type": "feed", "url": site.url("/r/feed.xml")}])[0]
    assert summary["status"] == "ok"
    assert summary["articles_new"] == 1
    assert [h.status for h in site.requests_for("/r/feed.xml")] == [429, 200]


ARTICLE_CASES: dict[str, str] = {
    "article_404": "HTTP 404",
    "oversized": "larger than the size limit",
    "redirect_loop": "redirect",
    "no_text": "no extractable article text",
    "binary": "not an HTML page",
}


@pytest.mark.parametrize("case", sorted(ARTICLE_CASES))
def test_broken_article_page_is_recorded(
    case: str, fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    site = fresh_site
    path = f"/{case}/page-with-a-long-article-slug"
    if case == "oversized":
        site.add(path, article_page("Huge", ["word " * 60000] * 5))
    elif case == "redirect_loop":
        site.add(path, status=302, headers={"Location": site.url(path + "-b")})
        site.add(path + "-b", status=302, headers={"Location": site.url(path)})
    elif case == "no_text":
        site.add(path, "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    elif case == "binary":
        site.add(path, b"%PDF-1.4\x00\x01\x02" * 100, headers={"Content-Type": "application/pdf"})
    ok_link = add_article(site, f"/{case}/fine.html", "A fine story")
    site.add(
        f"/{case}/feed.xml",
        rss(
            [
                {"title": "Broken", "link": site.url(path), "guid": "b"},
                {"title": "Fine", "link": ok_link, "guid": "f"},
            ]
        ),
        headers={"Content-Type": "application/rss+xml"},
    )
    summary = crawl(
        tmp_path,
        db_url,
        [{"name": "mixed", "type": "feed", "url": site.url(f"/{case}/feed.xml")}],
        crawl={"max_response_size": "1MB"},
    )[0]
    assert summary["status"] == "ok"
    assert summary["articles_new"] == 1
    assert summary["articles_failed"] == 1
    with sessions() as session:
        failure = session.scalar(select(FetchFailure))
        assert failure is not None
        assert ARTICLE_CASES[case].lower() in failure.reason.lower(), failure.reason
        stored = set(session.scalars(select(Article.url).where(Article.is_seed.is_(False))))
        assert stored == {ok_link}, "no half article stored"


def test_every_feed_item_is_counted_and_bad_links_are_reported(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    """items_found = new + seen + failed + skipped, and each unusable link is a failure with its reason."""
    site = fresh_site
    ok_link = add_article(site, "/links/fine.html", "A fine story")
    bad_links = {
        "http://[::1/x": "unparsable link",
        "http://x:99999/story": "port out of range",
        "": "no link",
        "javascript:alert(1)": "not an http(s) link",
    }
    items = [{"title": "Fine", "link": ok_link}, {"title": "Fine again", "link": ok_link + "?utm_source=rss"}]
    items += [{"title": f"Bad {n}", "link": link} for n, link in enumerate(bad_links)]
    site.add("/links/feed.xml", rss(items), headers={"Content-Type": "application/rss+xml"})
    summary = crawl(tmp_path, db_url, [{"name": "links", "type": "feed", "url": site.url("/links/feed.xml")}])[0]
    assert summary["items_found"] == 6
    assert (summary["articles_new"], summary["articles_seen"]) == (1, 0)
    assert (summary["articles_failed"], summary["articles_skipped"]) == (4, 1), summary
    total = sum(summary[k] for k in ("articles_new", "articles_seen", "articles_failed", "articles_skipped"))
    assert total == summary["items_found"]
    with sessions() as session:
        reasons = list(session.scalars(select(FetchFailure.reason)))
    for expected in bad_links.values():
        assert any(expected in reason.lower() for reason in reasons), (expected, reasons)
    sources = json.loads(run_cli("sources", "--format", "json", config=tmp_path / "cfg" / "config.yaml").stdout)
    assert sources[0]["last_run_failed"] == 4


def test_non_utf8_pages_are_decoded(fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions) -> None:
    site = fresh_site
    urdu = [
        "پاکستان اور افغانستان کے درمیان استنبول میں ہونے والے مذاکرات کسی معاہدے کے بغیر ختم ہو گئے ہیں۔",
        "حکام کے مطابق دونوں وفود نے سرحد پار حملوں کی روک تھام کے طریقہ کار پر اتفاق نہیں کیا۔",
        "ثالثوں نے کہا ہے کہ وہ دونوں دارالحکومتوں سے رابطے میں رہیں گے اور اگلی ملاقات کی تاریخ بعد میں طے ہوگی۔",
    ]
    # Legacy Urdu pages in windows-1256 use the Arabic yeh (U+064A): the code page has no U+06CC.
    page = article_page("استنبول مذاکرات بغیر معاہدے کے ختم", urdu, lang="ur", charset="windows-1256")
    # ... nor the Urdu full stop (U+06D4); legacy pages used a plain period.
    page = page.replace("\u06cc", "\u064a").replace("\u06d4", ".")
    site.add(
        "/ur/news-story-istanbul-talks-end",
        page.encode("cp1256"),
        headers={"Content-Type": "text/html; charset=windows-1256"},
    )
    latin = article_page("Café talks in Zürich", [p + " Délégués à Genève." for p in PARAGRAPHS], charset="iso-8859-1")
    site.add("/fr/cafe-talks-in-zurich-story", latin.encode("latin-1"), headers={"Content-Type": "text/html"})
    site.add(
        "/enc/feed.xml",
        rss(
            [
                {"title": "ur", "link": site.url("/ur/news-story-istanbul-talks-end"), "guid": "u"},
                {"title": "latin", "link": site.url("/fr/cafe-talks-in-zurich-story"), "guid": "l"},
            ]
        ),
        headers={"Content-Type": "application/rss+xml"},
    )
    summary = crawl(tmp_path, db_url, [{"name": "enc", "type": "feed", "url": site.url("/enc/feed.xml")}])[0]
    assert summary["articles_new"] == 2, summary
    with sessions() as session:
        rows = {a.url.rsplit("/", 1)[-1]: a for a in session.scalars(select(Article).where(Article.is_seed.is_(False)))}
    ur = rows["news-story-istanbul-talks-end"]
    assert "مذاکرات" in ur.text and "\ufffd" not in ur.text
    assert ur.language == "ur"
    assert "Zürich" in rows["cafe-talks-in-zurich-story"].title


def test_utf8_pages_declared_as_a_single_byte_charset_are_read_as_utf8(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions
) -> None:
    # A site moved to UTF-8 whose server or template still says windows-1252 / ISO-8859-1:
    # decoded as declared, every letter above ASCII was stored as mojibake ("Ù¾Ø§Ú©").
    site = fresh_site
    urdu = [
        "پاکستان اور افغانستان کے درمیان استنبول میں ہونے والے مذاکرات کسی معاہدے کے بغیر ختم ہو گئے ہیں۔",
        "حکام کے مطابق دونوں وفود نے سرحد پار حملوں کی روک تھام کے طریقہ کار پر اتفاق نہیں کیا۔",
        "ثالثوں نے کہا ہے کہ وہ دونوں دارالحکومتوں سے رابطے میں رہیں گے اور اگلی ملاقات کی تاریخ بعد میں طے ہوگی۔",
    ]
    page = article_page("استنبول مذاکرات بغیر معاہدے کے ختم", urdu, lang="ur", charset="windows-1252")
    site.add(
        "/mislabelled/urdu-talks-end",
        page.encode("utf-8"),
        headers={"Content-Type": "text/html; charset=windows-1252"},
    )
    french = [p + " Les délégués ont quitté Genève à l’aube." for p in PARAGRAPHS]
    page = article_page("Café talks in Zürich end", french, charset="iso-8859-1")
    site.add("/mislabelled/cafe-talks", page.encode("utf-8"), headers={"Content-Type": "text/html"})
    # A true windows-1252 page: its curly quotes (0x93, 0x94) are not UTF-8, the label holds.
    quoted = [p + " “No agreement”, one delegate said." for p in PARAGRAPHS]
    page = article_page("“No deal” in Istanbul", quoted, charset="windows-1252")
    site.add(
        "/mislabelled/true-cp1252",
        page.encode("cp1252"),
        headers={"Content-Type": "text/html; charset=windows-1252"},
    )
    paths = ["/mislabelled/urdu-talks-end", "/mislabelled/cafe-talks", "/mislabelled/true-cp1252"]
    site.add(
        "/mislabelled/feed.xml",
        rss([{"title": "t", "link": site.url(path), "guid": path} for path in paths]),
        headers={"Content-Type": "application/rss+xml"},
    )
    summary = crawl(tmp_path, db_url, [{"name": "enc", "type": "feed", "url": site.url("/mislabelled/feed.xml")}])[0]
    assert summary["articles_new"] == 3, summary
    with sessions() as session:
        rows = {a.url.rsplit("/", 1)[-1]: a for a in session.scalars(select(Article).where(Article.is_seed.is_(False)))}
    ur = rows["urdu-talks-end"]
    assert "استنبول مذاکرات بغیر معاہدے کے ختم" in ur.title
    assert urdu[0] in ur.text and "\u00d8" not in ur.text
    assert ur.language == "ur"
    cafe = rows["cafe-talks"]
    assert cafe.title.startswith("Café talks in Zürich")
    assert "Les délégués ont quitté Genève à l’aube." in cafe.text
    cp1252 = rows["true-cp1252"]
    assert cp1252.title.startswith("“No deal”")
    assert "“No agreement”, one delegate said." in cp1252.text


@pytest.mark.parametrize(
    ("first", "second", "third"),
    [("\x01", "\x1b", "\ufffe"), ("&#1;", "&#x1b;&#11;", "&#xFFFE;")],
    ids=["characters", "references"],
)
def test_one_control_character_does_not_lose_the_article(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, sessions, first: str, second: str, third: str
) -> None:
    # lxml keeps U+0001 in the parsed tree and trafilatura's rewrite of that node raised:
    # the page was dropped as "no extractable article text". lxml's parser turns a
    # character reference (&#1;) into the character itself.
    site = fresh_site
    paragraphs = [PARAGRAPHS[0].replace("Istanbul", f"Istanbul{first}"), *PARAGRAPHS[1:]]
    page = article_page(f"Talks in Istanbul{second} end{third} without a deal", paragraphs)
    site.add("/ctl/talks-end-without-deal", page)
    site.add(
        "/ctl/feed.xml",
        rss([{"title": "t", "link": site.url("/ctl/talks-end-without-deal"), "guid": "ctl-1"}]),
        headers={"Content-Type": "application/rss+xml"},
    )
    summary = crawl(tmp_path, db_url, [{"name": "ctl", "type": "feed", "url": site.url("/ctl/feed.xml")}])[0]
    assert summary["articles_new"] == 1 and summary["articles_failed"] == 0, summary
    with sessions() as session:
        article = session.scalars(select(Article).where(Article.is_seed.is_(False))).one()
    assert article.title.startswith("Talks in Istanbul end without a deal")
    assert PARAGRAPHS[0] in article.text and PARAGRAPHS[2] in article.text


def test_private_addresses_refused_by_default(fresh_site: LoopbackSite, tmp_path: Path, db_url: str) -> None:
    site = fresh_site
    site.add("/p/feed.xml", rss([]), headers={"Content-Type": "application/rss+xml"})
    summary = crawl(
        tmp_path,
        db_url,
        [{"name": "lan", "type": "feed", "url": site.url("/p/feed.xml")}],
        crawl={"allow_private_addresses": False},
    )[0]
    assert summary["status"] == "blocked"
    assert "refused private address 127.0.0.1" in summary["error"]
    assert not site.requests_for("/p/feed.xml"), "not even one request reaches a private address"


def test_local_names_are_refused_with_the_reason_in_sources(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str
) -> None:
    # localhost. (trailing dot) does not resolve here, and the guard used to let what it
    # could not resolve through; a name for this machine is refused before any lookup.
    site = fresh_site
    site.add("/dot/feed.xml", rss([]), headers={"Content-Type": "application/rss+xml"})
    url = f"http://localhost.:{site.port}/dot/feed.xml"
    summary = crawl(
        tmp_path, db_url, [{"name": "dot", "type": "feed", "url": url}], crawl={"allow_private_addresses": False}
    )[0]
    assert summary["status"] == "blocked", summary
    assert "refused localhost.: a name for this machine" in summary["error"]
    listing = run_cli("sources", "--format", "json", config=tmp_path / "cfg" / "config.yaml")
    health = json.loads(listing.stdout)[0]
    assert health["status"] == "blocked"
    assert "refused localhost." in health["last_error"] and "crawl.allow_private_addresses" in health["last_error"]
    assert not site.requests_for("/dot/feed.xml")


def test_every_feedparser_sample_goes_through_the_feed_spider(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, real_fixtures: Path
) -> None:
    site = fresh_site
    files = sorted((real_fixtures / "feedparser").rglob("*.xml"))
    assert len(files) > 100
    sources = []
    for index, path in enumerate(files):
        route = f"/fp/{index}.xml"
        site.add(route, path.read_bytes(), headers={"Content-Type": "application/xml"})
        sources.append({"name": f"fp{index}", "type": "feed", "url": site.url(route), "max_articles": 1})
    summaries = crawl(tmp_path, db_url, sources, crawl={"retries": 0, "timeout": "2s", "concurrency": 64})
    assert len(summaries) == len(files)
    crashed = [s for s in summaries if "crashed" in (s["error"] or "")]
    assert not crashed
    statuses = {s["status"] for s in summaries}
    assert statuses <= {"ok", "empty", "error"}
    # The spider sees what the parser sees on the same bytes: same item count, and an error
    # exactly when the parser reports one.
    from crawler.discovery import parse_feed

    for index, path in enumerate(files):
        summary = next(s for s in summaries if s["source"] == f"fp{index}")
        parsed = parse_feed(path.read_bytes(), site.url(f"/fp/{index}.xml"), {"content-type": "application/xml"})
        # A document the parser refuses is the source's error; its items are not counted.
        found = 0 if parsed.error else len(parsed.entries) + len(parsed.rejected)
        assert summary["items_found"] == found, path.name
        outcomes = ("articles_new", "articles_seen", "articles_failed", "articles_skipped")
        assert sum(summary[k] for k in outcomes) == summary["items_found"], (path.name, summary)
        assert (summary["status"] == "error") == (parsed.error is not None), (path.name, summary, parsed.error)
    assert any(s["status"] == "ok" for s in summaries)


def test_per_host_limits_hold_across_sources(fresh_site: LoopbackSite, tmp_path: Path, db_url: str) -> None:
    # Every source has its own Scrapy crawler; four feeds of one outlet must still not
    # fetch its host four times as hard as crawl.concurrency_per_domain allows.
    site = fresh_site
    sources = []
    for feed in range(4):
        items = []
        for number in range(3):
            path = f"/outlet/{feed}/story-{number}.html"
            add_article(
                site, path, f"Story {number} of desk {feed}", paragraphs=[f"Desk {feed} item {number}.", *PARAGRAPHS]
            )
            site.routes[path].delay = 0.2  # slow pages: concurrent requests would overlap
            items.append({"title": f"S{feed}-{number}", "link": site.url(path), "guid": f"{feed}-{number}"})
        site.add(f"/outlet/{feed}.xml", rss(items), headers={"Content-Type": "application/rss+xml"})
        sources.append({"name": f"desk{feed}", "type": "feed", "url": site.url(f"/outlet/{feed}.xml")})
    summaries = crawl(tmp_path, db_url, sources, crawl={"concurrency_per_domain": 2, "concurrency": 16})
    assert sum(s["articles_new"] + s["articles_seen"] for s in summaries) == 12
    assert site.max_in_flight["/outlet"] == 2, site.max_in_flight  # and not 8: the limit is per host, not per source
