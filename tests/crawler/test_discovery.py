"""Feeds, sitemaps and listing pages (crawler/discovery.py), on real fixtures and inline documents.

The feedparser fixtures describe themselves (``Expect:`` / ``Header:`` in a leading comment,
see feedparser's tests/test_well_formed.py); rss-parser's expected JSON is an item-count oracle.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.discovery import Discovered, DiscoveryError, maybe_gunzip, parse_feed, parse_listing, parse_sitemap
from tests.conftest import REAL_FIXTURES

FEEDPARSER = REAL_FIXTURES / "feedparser"
RSS_PARSER = REAL_FIXTURES / "rss-parser"
FEED_URL = "https://news.example.com/feed.xml"


def _feedparser_files() -> list[Path]:
    return sorted(p for p in FEEDPARSER.rglob("*") if p.is_file() and p.name != "LICENSE")


def _leading_comment(data: bytes) -> str:
    # UTF-16/32 fixtures: dropping NUL bytes leaves the ASCII comment readable.
    return data[:4000].replace(b"\x00", b"").decode("latin-1")


def _expectation(comment: str) -> str:
    match = re.search(r"Expect:\s*(.*?)\s*(?:-->|$)", comment, re.MULTILINE)
    return match.group(1) if match else ""


def _headers(comment: str) -> dict[str, str]:
    # The same shape FeedSpider passes: lower-case names.
    return {name.lower(): value.strip() for name, value in re.findall(r"Header:\s*([\w-]+):(.*)", comment)}


@pytest.mark.parametrize("path", _feedparser_files(), ids=lambda p: str(p.relative_to(FEEDPARSER)))
def test_feedparser_fixture(path: Path):
    data = path.read_bytes()
    comment = _leading_comment(data)
    expect, headers = _expectation(comment), _headers(comment)
    result = parse_feed(data, FEED_URL, headers)
    assert isinstance(result, Discovered)
    assert all(e.url.startswith(("http://", "https://")) for e in result.entries)
    if expect.startswith("not bozo"):
        # A well-formed feed is never an error or a warning, even with no items or no links
        # (Content-Type and Header: lines are the server's label, not the document).
        assert result.error is None, result.error
        assert result.warning is None, result.warning
    elif re.match(r"bozo\b", expect) and not headers and "chardet" not in comment:
        # Malformed: reported, as an error (nothing usable) or a warning (entries kept).
        # Header: cases are bozo only for their Content-Type, which parse_feed ignores on purpose;
        # the chardet cases need chardet to notice the wrong encoding.
        assert result.error or result.warning


def test_json_feed_entries():
    result = parse_feed((FEEDPARSER / "json" / "example.json").read_bytes(), FEED_URL, {})
    assert result.error is None
    assert [e.url for e in result.entries] == ["https://example.org/second-item", "https://example.org/initial-post"]
    assert result.entries[0].title == "post 2"
    assert result.entries[1].author == "you"


def _rss_parser_cases() -> list[Path]:
    return sorted(p for p in (RSS_PARSER / "input").iterdir() if (RSS_PARSER / "output" / f"{p.stem}.json").exists())


@pytest.mark.parametrize("path", _rss_parser_cases(), ids=lambda p: p.name)
def test_rss_parser_item_counts(path: Path):
    # output/*.json is rss-parser's result: {"feed": {"items": [{"link": ..., "title": ...}, ...]}}.
    # encoding.json is Latin-1 (it mirrors an ISO-8859-1 feed).
    raw = (RSS_PARSER / "output" / f"{path.stem}.json").read_bytes()
    try:
        expected = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        expected = json.loads(raw.decode("latin-1"))
    linked = [item for item in expected["feed"]["items"] if item.get("link")]
    result = parse_feed(path.read_bytes(), FEED_URL, {})
    assert len(result.entries) == len(linked)
    if linked:
        assert result.error is None
        # rss-parser keeps markup (ft<sup>2</sup>) and its UOL output is mojibake: compare ASCII words.
        assert _words(result.entries[0].title) == _words(linked[0].get("title"))


def _words(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", html.unescape(re.sub(r"<[^>]+>", "", text or "")).lower())


def test_rss_parser_unrecognized_is_reported_not_raised():
    result = parse_feed((RSS_PARSER / "input" / "unrecognized.rss").read_bytes(), FEED_URL, {})
    assert result.error or not result.entries


RSS_ITEMS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Dawn - Pakistan</title><language>en-PK</language>
<item><title>Talks resume in Istanbul</title><link>https://www.dawn.com/news/1952010/talks-resume</link>
<pubDate>Thu, 30 Oct 2025 09:15:00 +0500</pubDate>
<description>&lt;p&gt;Delegations met &lt;b&gt;again&lt;/b&gt;.&lt;/p&gt;</description></item>
<item><title>Relative link</title><link>/news/1952011/relative-link</link></item>
<item><title>No link</title><description>nothing to fetch</description></item>
</channel></rss>"""


def test_feed_entries_fields():
    result = parse_feed(
        RSS_ITEMS.encode(), "https://www.dawn.com/feeds/pakistan", {"content-type": "application/rss+xml"}
    )
    assert result.error is None and result.warning is None
    assert [e.url for e in result.entries] == [
        "https://www.dawn.com/news/1952010/talks-resume",
        "https://www.dawn.com/news/1952011/relative-link",
    ]
    first = result.entries[0]
    assert first.published == datetime(2025, 10, 30, 4, 15, tzinfo=UTC)
    # In the outlet's own zone, as its feed wrote it: the event classifier reads "on Thursday"
    # against the outlet's day.
    assert first.published.utcoffset() == timedelta(hours=5)
    assert first.summary == "Delegations met again."
    assert first.language == "en"


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/plain", "application/octet-stream"])
def test_feed_served_with_wrong_content_type_is_still_a_feed(content_type):
    result = parse_feed(RSS_ITEMS.encode(), "https://www.dawn.com/feeds/pakistan", {"content-type": content_type})
    assert result.error is None and result.warning is None
    assert len(result.entries) == 2


def test_well_formed_feed_without_items_is_empty_not_an_error():
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    result = parse_feed(body, FEED_URL, {})
    assert result.error is None and result.entries == []


def test_atom_id_is_not_a_link():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
    <entry><id>tag:example.com,2025:1</id><title>no link</title></entry></feed>"""
    assert parse_feed(body, FEED_URL, {}).entries == []


def test_html_page_given_as_feed():
    page = b"<!DOCTYPE html><html><head><title>Dawn</title></head><body><p>Not a feed<br></body></html>"
    result = parse_feed(page, FEED_URL, {"content-type": "text/html"})
    assert result.error is not None and "HTML" in result.error
    assert result.entries == []


@pytest.mark.parametrize("body", [b"", b"  \r\n\t "])
def test_empty_feed_is_an_error(body):
    assert parse_feed(body, FEED_URL, {}).error


def test_malformed_feed_keeps_items_and_warns():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>
    <item><title>First</title><link>https://ex.com/news/2025/first-story</link></item>
    <item><title>Second <b>unclosed</title><link>https://ex.com/news/2025/second-story</link></item>
    </channel>"""
    result = parse_feed(body, FEED_URL, {"content-type": "application/rss+xml"})
    assert result.error is None
    assert result.warning and "malformed" in result.warning
    assert [e.url for e in result.entries] == [
        "https://ex.com/news/2025/first-story",
        "https://ex.com/news/2025/second-story",
    ]


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <image:image><image:loc>https://i.tribune.com.pk/media/talks.jpg</image:loc><image:title>Delegates</image:title></image:image>
    <loc>https://tribune.com.pk/story/2575001/istanbul-talks-third-round</loc>
    <news:news>
      <news:publication><news:name>The Express Tribune</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2025-10-30T14:05:00+05:00</news:publication_date>
      <news:title>Istanbul talks enter third round</news:title>
    </news:news>
  </url>
  <url>
    <loc>/story/2575002/border-crossing-reopens</loc>
    <news:news>
      <news:publication>
        <news:name>The Express Tribune</news:name><news:language>ur-PK</news:language>
      </news:publication>
      <news:publication_date>2025-10-30T09:00:00Z</news:publication_date>
      <news:title>Border crossing reopens</news:title>
    </news:news>
  </url>
</urlset>"""


def test_google_news_sitemap():
    result = parse_sitemap(NEWS_SITEMAP.encode(), "https://tribune.com.pk/sitemap-news.xml")
    assert result.error is None and result.sitemaps == []
    first, second = result.entries
    # The page's <loc> and <news:title>, not the image's.
    assert first.url == "https://tribune.com.pk/story/2575001/istanbul-talks-third-round"
    assert first.title == "Istanbul talks enter third round"
    assert first.published == datetime(2025, 10, 30, 9, 5, tzinfo=UTC)
    assert first.published.tzinfo is not None
    assert first.language == "en"
    # Relative <loc> resolved against the sitemap URL.
    assert second.url == "https://tribune.com.pk/story/2575002/border-crossing-reopens"
    assert second.published == datetime(2025, 10, 30, 9, 0, tzinfo=UTC)
    assert second.language == "ur"


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.geo.tv/sitemap-news-1.xml.gz</loc><lastmod>2025-10-30T10:00:00+05:00</lastmod></sitemap>
  <sitemap><loc>sitemap-news-2.xml</loc></sitemap>
</sitemapindex>"""


def test_sitemap_index_lists_children():
    result = parse_sitemap(SITEMAP_INDEX, "https://www.geo.tv/sitemaps/index.xml")
    assert result.error is None and result.entries == []
    assert result.sitemaps == [
        "https://www.geo.tv/sitemap-news-1.xml.gz",
        "https://www.geo.tv/sitemaps/sitemap-news-2.xml",
    ]


def test_gzip_sitemap_inflated():
    body = maybe_gunzip(gzip.compress(NEWS_SITEMAP.encode()), limit=1_000_000)
    assert len(parse_sitemap(body, "https://tribune.com.pk/sitemap-news.xml.gz").entries) == 2
    # Plain XML passes through untouched.
    assert maybe_gunzip(SITEMAP_INDEX, limit=10) == SITEMAP_INDEX


def test_gzip_bomb_refused():
    bomb = gzip.compress(b"<" + b" " * 5_000_000 + b">")
    assert len(bomb) < 10_000
    with pytest.raises(DiscoveryError, match="size limit"):
        maybe_gunzip(bomb, limit=1_000_000)


def test_gzip_sitemap_inflated_under_a_huge_limit():
    # crawl.max_response_size may be 1TiB: one read of the whole limit reserved that much
    # memory before inflating anything (MemoryError), however small the sitemap.
    body = gzip.compress(NEWS_SITEMAP.encode())
    assert maybe_gunzip(body, limit=2**40) == NEWS_SITEMAP.encode()
    # Read in pieces, the limit still holds to the byte.
    assert maybe_gunzip(gzip.compress(b"x" * 200_000), limit=200_000) == b"x" * 200_000
    with pytest.raises(DiscoveryError, match="size limit"):
        maybe_gunzip(gzip.compress(b"x" * 200_001), limit=200_000)


@pytest.mark.parametrize(
    "damage",
    [
        lambda body: body[:10] + b"\xff" * 10 + body[20:],  # corrupt deflate data: zlib.error
        lambda body: body[: len(body) // 2],  # truncated: EOFError
        lambda body: body[:2] + b"\x07" + body[3:],  # no deflate method in the header: BadGzipFile
    ],
    ids=["corrupt", "truncated", "bad-header"],
)
def test_damaged_gzip_sitemap_is_a_discovery_error(damage):
    body = damage(gzip.compress(NEWS_SITEMAP.encode() * 50))
    with pytest.raises(DiscoveryError):
        maybe_gunzip(body, limit=1_000_000)


def test_html_instead_of_sitemap():
    page = b"<!DOCTYPE html><html><body><a href='/story/1'>story</a></body></html>"
    result = parse_sitemap(page, "https://ex.com/sitemap.xml")
    assert result.error and "HTML" in result.error
    assert result.entries == []


def test_other_xml_is_not_a_sitemap():
    result = parse_sitemap(b"<?xml version='1.0'?><rss><channel/></rss>", "https://ex.com/sitemap.xml")
    assert result.error and "<rss>" in result.error


LISTING = """<!DOCTYPE html><html><body>
<header><nav>
  <a href="/">Home</a> <a href="/world">World</a> <a href="/about">About us</a>
  <a href="https://www.facebook.com/dawndotcom">Facebook</a> <a href="javascript:void(0)">Menu</a>
</nav></header>
<main>
  <div class="story"><h2><a href="/news/1952010/talks-resume-in-istanbul">Talks resume in Istanbul</a></h2></div>
  <div class="story"><h2><a href="https://www.dawn.com/news/1952011">Border reopens</a></h2></div>
  <div class="story">
    <a href="/news/pakistan-afghanistan-agree-to-extend-the-ceasefire-deal">Ceasefire extended</a>
  </div>
  <aside><a href="/trending/most-read">Most read</a></aside>
  <a href="https://www.othersite.com/news/2025/10/30/pakistan-afghanistan-talks-123456">Elsewhere</a>
</main>
<footer><a href="/privacy-policy">Privacy</a> <a href="/news">News</a></footer>
</body></html>"""
LISTING_URL = "https://www.dawn.com/latest-news"


def test_listing_css_selector_picks_article_links():
    result = parse_listing(LISTING, LISTING_URL, "div.story h2 a", None)
    assert result.error is None
    assert [(e.url, e.title) for e in result.entries] == [
        ("https://www.dawn.com/news/1952010/talks-resume-in-istanbul", "Talks resume in Istanbul"),
        ("https://www.dawn.com/news/1952011", "Border reopens"),
    ]


def test_listing_selector_on_container_takes_its_links():
    result = parse_listing(LISTING, LISTING_URL, "div.story", None)
    assert len(result.entries) == 3


def test_listing_link_pattern_filters():
    # Matched against the absolute URL, so a pattern can pin the host.
    result = parse_listing(LISTING, LISTING_URL, None, r"^https://www\.dawn\.com/news/\d+")
    assert [e.url for e in result.entries] == [
        "https://www.dawn.com/news/1952010/talks-resume-in-istanbul",
        "https://www.dawn.com/news/1952011",
    ]


def test_listing_default_heuristic_keeps_article_links_drops_navigation():
    urls = {e.url for e in parse_listing(LISTING, LISTING_URL, None, None).entries}
    assert urls == {
        "https://www.dawn.com/news/1952010/talks-resume-in-istanbul",  # numeric id
        "https://www.dawn.com/news/1952011",
        "https://www.dawn.com/news/pakistan-afghanistan-agree-to-extend-the-ceasefire-deal",  # long slug
    }


def test_listing_without_matches_warns():
    result = parse_listing(LISTING, LISTING_URL, None, r"/video/")
    assert result.entries == [] and result.warning


def test_listing_xhtml_with_xml_declaration():
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + LISTING
    assert len(parse_listing(page, LISTING_URL, None, None).entries) == 3


def test_listing_invalid_selector_is_an_error():
    assert parse_listing(LISTING, LISTING_URL, "div[[", None).error
