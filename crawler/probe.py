"""What a URL is to the crawler, and what a crawl of it would find: ``newswatch check``.

Uses the crawl's own parsers (:mod:`crawler.discovery`) and article preparation
(:func:`crawler.analysis.prepare.prepare`), so what the check shows is what a poll would
do: the same entries, the same extracted fields, the same relevance and event decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler.analysis.extract import extract, is_article
from crawler.analysis.prepare import Analyser, Fallback, Prepared, prepare
from crawler.decoding import decode_page
from crawler.discovery import (
    DiscoveryError,
    Entry,
    looks_like_html,
    maybe_gunzip,
    parse_feed,
    parse_listing,
    parse_sitemap,
)
from crawler.fetch_once import Fetched, FetchError, fetch
from crawler.urls import registrable_domain

if TYPE_CHECKING:
    from core.config import Config

Kind = Literal["feed", "sitemap", "sitemap index", "listing", "article"]
# How many entries (or child sitemaps) a check shows.
SAMPLE = 5
# A page that links to at least this many article-like pages is a listing, even with a teaser
# long enough for trafilatura to call it an article; an article page's own "related" links
# rarely reach it, and an article page with a published date stays an article.
LISTING_MIN_LINKS = 5
# The XML media types a feed or sitemap may come as (the body decides; these only help say so).
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


class ProbeError(FetchError):
    """Raised when the URL answers but with nothing the crawler can use (not text, no entries)."""


@dataclass
class Probe:
    """What :func:`probe` found at a URL."""

    url: str
    kind: Kind
    # "RSS 2.0 feed", "news sitemap", ...: what a person reads.
    description: str
    entries: list[Entry] = field(default_factory=list)
    # A sitemap index's child sitemaps.
    sitemaps: list[str] = field(default_factory=list)
    # Feeds an HTML page announces (<link rel=alternate>): usually the better source.
    feeds: list[str] = field(default_factory=list)
    warning: str | None = None
    # The article sampled: the first entry's page (or the URL itself, for an article page).
    article_url: str | None = None
    article: Prepared | None = None
    # Why no article could be sampled.
    article_error: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def source_type(self) -> str | None:
        """The ``type:`` of a ``sources:`` entry for this URL; None for an article page."""
        return {"feed": "feed", "sitemap": "sitemap", "sitemap index": "sitemap", "listing": "listing"}.get(self.kind)


def probe(url: str, config: Config, *, analyser: Analyser | None = None) -> Probe:
    """Fetch ``url`` and say what it is, with up to :data:`SAMPLE` entries and one article extracted.

    Raises :class:`FetchError` when the URL cannot be fetched and :class:`ProbeError` when
    what it serves is of no use to the crawler.
    """
    analyser = analyser or Analyser(config.topic, config.dedup)
    fetched = fetch(url, config.crawl)
    result = _classify(fetched, config)
    if result.kind == "sitemap index" and result.sitemaps:
        _sample_child_sitemap(result, config)
    if result.kind != "article" and result.entries:
        _sample_article(result, result.entries[0], config, analyser)
    elif result.kind == "article":
        html, _ = _text(fetched)
        result.article_url = fetched.url
        result.article = prepare(html, fetched.url, Fallback(), analyser)
        result.article_error = result.article.failure
    return result


def _classify(fetched: Fetched, config: Config) -> Probe:
    try:
        body = maybe_gunzip(fetched.body, config.crawl.max_response_size)
    except DiscoveryError as exc:
        raise ProbeError(f"unreadable gzip document: {exc}") from None
    if not body.strip():
        raise ProbeError(f"empty response (HTTP {fetched.status}, {fetched.content_type or 'no Content-Type'})")
    if looks_like_html(body):
        return _classify_html(fetched)
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        sitemap = parse_sitemap(body, fetched.url)
        if sitemap.error is None:
            kind: Kind = "sitemap index" if sitemap.sitemaps else "sitemap"
            news = b"sitemap-news" in body[:4096]
            description = "sitemap index" if sitemap.sitemaps else ("news sitemap" if news else "sitemap")
            return Probe(fetched.url, kind, description, sitemap.entries, sitemap.sitemaps, warning=sitemap.warning)
    feed = parse_feed(body, fetched.url, fetched.headers)
    if feed.error is None:
        return Probe(fetched.url, "feed", _feed_description(body), feed.entries, warning=feed.warning)
    if fetched.content_type.startswith("text/") or fetched.content_type in _FEED_TYPES:
        raise ProbeError(feed.error)
    raise ProbeError(f"not a feed, sitemap or web page (Content-Type {fetched.content_type or 'none'}): {feed.error}")


def _feed_description(body: bytes) -> str:
    head = body[:2048].lower()
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "JSON Feed"
    if b"<feed" in head:
        return "Atom feed"
    if b"<rdf:rdf" in head:
        return "RSS 1.0 feed"
    return "RSS feed"


def _text(fetched: Fetched) -> tuple[str, str]:
    try:
        return decode_page(fetched.body, fetched.headers.get("content-type"))
    except LookupError as exc:
        raise ProbeError(f"the page declares an unknown charset: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ProbeError(
            f"the page is not valid {exc.encoding} text (byte 0x{fetched.body[exc.start]:02x} at offset "
            f"{exc.start}); declare its charset in the Content-Type header or a <meta charset>"
        ) from None


def _classify_html(fetched: Fetched) -> Probe:
    html, _ = _text(fetched)
    feeds = _announced_feeds(html, fetched.url)
    listing = parse_listing(html, fetched.url, None, None)
    extracted = extract(html, fetched.url)
    if is_article(extracted) and (extracted.published is not None or len(listing.entries) < LISTING_MIN_LINKS):
        return Probe(fetched.url, "article", "article page", feeds=feeds)
    if listing.entries:
        return Probe(fetched.url, "listing", "listing page", listing.entries, feeds=feeds)
    hint = f"; it announces a feed: {feeds[0]}" if feeds else ""
    raise ProbeError(f"an HTML page with neither article text nor links that look like articles{hint}")


def _announced_feeds(html: str, base: str) -> list[str]:
    """The feeds a page names in ``<link rel="alternate" type="application/rss+xml">`` (Miniflux's discovery)."""
    try:
        tree = lxml.html.fromstring(re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", html, count=1))
    except (lxml.etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in _FEED_TYPES and href:
            absolute = urljoin(base, href)
            if absolute.startswith(("http://", "https://")) and absolute not in found:
                found.append(absolute)
    return found


def _sample_child_sitemap(result: Probe, config: Config) -> None:
    """Entries of the index's first child sitemap: what a poll would find one level down."""
    child = result.sitemaps[0]
    try:
        fetched = fetch(child, config.crawl)
        body = maybe_gunzip(fetched.body, config.crawl.max_response_size)
    except (FetchError, DiscoveryError) as exc:
        result.notes.append(f"first child sitemap {child}: {exc}")
        return
    parsed = parse_sitemap(body, fetched.url)
    if parsed.error:
        result.notes.append(f"first child sitemap {child}: {parsed.error}")
    result.entries = parsed.entries


def _sample_article(result: Probe, entry: Entry, config: Config, analyser: Analyser) -> None:
    result.article_url = entry.url
    try:
        fetched = fetch(entry.url, config.crawl)
        html, _ = _text(fetched)
    except FetchError as exc:
        result.article_error = str(exc)
        return
    fallback = Fallback(entry.title, entry.summary, entry.author, entry.language, entry.published)
    result.article = prepare(html, fetched.url, fallback, analyser)
    result.article_error = result.article.failure


def source_name(url: str) -> str:
    """A ``name:`` for a source at ``url``: its site's name (``www.dawn.com`` -> ``dawn``)."""
    host = (urlsplit(url).hostname or "source").lower()
    site = registrable_domain(host)
    name = site.split(".", 1)[0] if not re.fullmatch(r"[\d.]+|[0-9a-f:]+", site) else host
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-._") or "source"
    return name[:64]
