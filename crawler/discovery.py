"""Finding article links in what a source serves: feeds, news sitemaps, listing pages.

Each parser turns bytes into :class:`Entry` objects and reports, rather than raises, what
was wrong with the document (feedparser's ``bozo`` idea: keep the usable entries).
"""

from __future__ import annotations

import calendar
import gzip
import io
import json
import logging
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from crawler.urls import canonicalize, registrable_domain

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entry:
    """An article link and what the source said about it."""

    url: str
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    guid: str | None = None
    author: str | None = None
    language: str | None = None


@dataclass
class Discovered:
    """Result of parsing a source document."""

    entries: list[Entry] = field(default_factory=list)
    # Child sitemaps of a sitemap index, to fetch next.
    sitemaps: list[str] = field(default_factory=list)
    # Set when the document is not what the source type promises (HTML instead of a feed).
    error: str | None = None
    # Set when the document was malformed but usable entries were kept.
    warning: str | None = None
    # Items of the document that name no fetchable article, as (link or title, reason): an
    # item is counted and reported against the source, never dropped without a word.
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def reject(self, link: str, title: str | None, reason: str) -> None:
        """Record an item without a usable link; ``title`` names it when the link is empty."""
        what = link or (f"item {title!r}" if title else "an item")
        self.rejected.append((what, reason))


class DiscoveryError(Exception):
    """Raised by a parser for a document it cannot use at all."""


def _item_link(base: str, raw: str) -> tuple[str, str | None]:
    """(absolute link, None) for a fetchable item link, else (the link as given, why not)."""
    raw = raw.strip()
    if not raw:
        return "", "no link"
    try:
        link = urljoin(base, raw)
        canonicalize(link)
    except ValueError as exc:
        # urljoin and urlsplit refuse some links outright (http://[::1/x: "Invalid IPv6 URL").
        reason = str(exc)
        if reason.startswith("not an http(s) URL"):
            # feedparser copies an Atom id into link: tag: or urn: URIs are not fetchable.
            return raw, f"not an http(s) link: {raw[:200]!r}"
        return raw, f"unparsable link {raw[:200]!r}: {reason}"
    return link, None


def _struct_to_datetime(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _outlet_time(instant: datetime | None, raw: Any) -> datetime | None:
    """``instant`` (feedparser's, in UTC) in the outlet's own time zone, as its feed wrote it.

    The event classifier reads "on Friday" against the publication day in the outlet's
    zone: 03:30 on a Friday in Islamabad is Thursday in UTC, and "Friday" would be a week ago.
    """
    if instant is None or not isinstance(raw, str):
        return instant
    stated: datetime | None
    try:
        stated = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        stated = _parse_w3c_date(raw)
    if stated is None or stated.tzinfo is None or stated != instant:
        return instant
    return instant.astimezone(stated.tzinfo)


def _strip_html(text: str | None) -> str | None:
    if not text:
        return None
    if "<" not in text:
        return text.strip() or None
    try:
        return lxml.html.fromstring(text).text_content().strip() or None
    except (lxml.etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", text).strip() or None


def looks_like_html(body: bytes) -> bool:
    """True when a document starts like an HTML page rather than XML or JSON."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<rss" not in head)


def parse_feed(body: bytes, url: str, headers: dict[str, str]) -> Discovered:
    """Parse an RSS 0.9x/1.0/2.0, Atom or JSON feed from bytes already fetched.

    feedparser never sees a URL or a path: given a string it may try to open it.
    """
    result = Discovered()
    if not body.strip():
        result.error = "empty response: no feed document"
        return result
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        # feedparser 6.0.x does not read JSON Feed (https://www.jsonfeed.org/version/1.1/).
        return _parse_json_feed(body, url)
    # response_headers lets feedparser use the HTTP charset and base URL.
    parsed = feedparser.parse(io.BytesIO(body), response_headers={**headers, "content-location": url})
    version = parsed.get("version") or ""
    # A missing or non-XML Content-Type (text/html, text/plain, octet-stream: common for
    # real feeds) is the server's label, not a malformed document: the parse itself is fine.
    malformed = bool(parsed.bozo) and not isinstance(parsed.get("bozo_exception"), feedparser.NonXMLContentType)
    if malformed:
        reason = parsed.get("bozo_exception")
        reason_text = f"{type(reason).__name__}: {reason}" if reason else "malformed feed"
        if not parsed.entries:
            if looks_like_html(body):
                result.error = "not a feed: the URL returned an HTML page"
            else:
                result.error = f"malformed feed with no usable entries ({reason_text[:200]})"
            return result
        result.warning = f"malformed feed, usable entries kept ({reason_text[:200]})"
    elif not version and not parsed.entries:
        result.error = "not a feed: the URL returned an HTML page" if looks_like_html(body) else "not a feed"
        return result
    language = (parsed.feed.get("language") or "").split("-")[0].lower() or None
    for item in parsed.entries:
        link = item.get("link") or ""
        if not link:
            # Some feeds put the permalink only in the guid.
            guid = item.get("id") or ""
            if guid.startswith(("http://", "https://")):
                link = guid
        link, unusable = _item_link(url, link)
        if unusable:
            result.reject(link, _strip_html(item.get("title")), unusable)
            continue
        # `"updated_parsed" in item` first: reading a missing updated_parsed when published_parsed
        # is None (an unparseable date) makes feedparser warn (DeprecationWarning, issue 310).
        updated = item.get("updated_parsed") if "updated_parsed" in item else None
        # dict.get: FeedParserDict.get maps a missing "published" to "updated", with a warning.
        raw = dict.get(item, "published") if dict.get(item, "published_parsed") else dict.get(item, "updated")
        published = _outlet_time(_struct_to_datetime(item.get("published_parsed") or updated), raw)
        summary = _strip_html(item.get("summary"))
        if not summary and item.get("content"):
            summary = _strip_html(item["content"][0].get("value"))
        result.entries.append(
            Entry(
                url=link,
                title=_strip_html(item.get("title")),
                summary=summary,
                published=published,
                guid=item.get("id") or None,
                author=item.get("author") or None,
                language=language,
            )
        )
    if malformed and not result.entries:
        result.warning = None
        result.error = "malformed feed with no usable entries (no item has a link)"
    return result


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _parse_json_feed(body: bytes, url: str) -> Discovered:
    result = Discovered()
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        result.error = f"malformed JSON feed with no usable entries ({exc})"[:250]
        return result
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith("https://jsonfeed.org/"):
        result.error = "not a feed: JSON without a JSON Feed version"
        return result
    language = (_str(document.get("language")) or "").split("-")[0].lower() or None
    items = document.get("items")
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            result.reject("", None, f"not a JSON Feed item (a {type(item).__name__}, not an object)")
            continue
        raw_link = _str(item.get("url")) or _str(item.get("external_url"))
        link, unusable = _item_link(url, raw_link or "")
        if unusable:
            result.reject(link, _strip_html(_str(item.get("title"))), unusable)
            continue
        authors = item.get("authors")
        if not isinstance(authors, list):
            authors = [item.get("author")]  # JSON Feed 1.0 had a single "author"
        author = next((a["name"] for a in authors if isinstance(a, dict) and _str(a.get("name"))), None)
        summary = _str(item.get("summary")) or _str(item.get("content_text")) or _str(item.get("content_html"))
        result.entries.append(
            Entry(
                url=link,
                title=_strip_html(_str(item.get("title"))),
                summary=_strip_html(summary),
                published=_parse_w3c_date(_str(item.get("date_published")) or _str(item.get("date_modified"))),
                guid=str(item["id"]) if item.get("id") is not None else None,
                author=author,
                language=(_str(item.get("language")) or "").split("-")[0].lower() or language,
            )
        )
    return result


_NS_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def _local(tag: object) -> str:
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def _parse_w3c_date(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# A gzip sitemap is inflated this much at a time: GzipFile.read(n) reserves n bytes before
# it inflates anything, so one read of the whole limit asked for a terabyte when
# crawl.max_response_size was 1TiB (MemoryError). Read in pieces, memory follows the size.
_GUNZIP_CHUNK = 64 * 1024


def maybe_gunzip(body: bytes, limit: int) -> bytes:
    """Decompress a gzip sitemap (``.xml.gz``), refusing to inflate past ``limit`` bytes.

    Raises :class:`DiscoveryError` for a corrupt or truncated stream, and for one that
    inflates past ``limit`` or past the memory the process can get.
    """
    if not body.startswith(b"\x1f\x8b"):
        return body
    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
            while size <= limit:
                chunk = handle.read(min(_GUNZIP_CHUNK, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        if size > limit:
            raise DiscoveryError(f"gzip sitemap inflates past the size limit ({limit} bytes)")
        return b"".join(chunks)
    # A corrupt deflate stream raises zlib.error, which is no OSError; a bad header
    # BadGzipFile (an OSError), a truncated stream EOFError.
    except (OSError, EOFError, zlib.error) as exc:
        raise DiscoveryError(str(exc)) from exc
    # Caught here only, where the inflated sitemap is the one thing that grows: it is freed
    # on the way out, and the poll goes on without it.
    except MemoryError as exc:
        raise DiscoveryError(f"out of memory inflating it ({size} bytes so far)") from exc


def parse_sitemap(body: bytes, url: str) -> Discovered:
    """Parse a sitemap, a Google News sitemap or a sitemap index."""
    result = Discovered()
    if not body.strip():
        result.error = "empty response: no sitemap document"
        return result
    if looks_like_html(body):
        result.error = "not a sitemap: the URL returned an HTML page"
        return result
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        result.error = f"malformed sitemap: {exc}"
        return result
    if root is None:
        result.error = "malformed sitemap: no document element"
        return result
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        result.error = f"not a sitemap: root element is <{kind}>"
        return result
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            # <image:image> and <video:video> have a <loc>/<title> of their own: not the page's.
            if child is node or _local(child.getparent().tag) in ("image", "video"):
                continue
            if name and child.text and child.text.strip():
                fields.setdefault(name, child.text.strip())
        loc = fields.get("loc")
        if not loc:
            continue
        loc = urljoin(url, loc)
        if kind == "sitemapindex":
            result.sitemaps.append(loc)
            continue
        language = fields.get("language")
        result.entries.append(
            Entry(
                url=loc,
                title=fields.get("title"),
                published=_parse_w3c_date(fields.get("publication_date") or fields.get("lastmod")),
                language=language.split("-")[0].lower() if language else None,
            )
        )
    if not result.entries and not result.sitemaps:
        result.warning = "sitemap lists no URLs"
    return result


# lxml refuses a str that starts with an XML declaration naming an encoding (XHTML pages).
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")


def parse_listing(html: str, url: str, selector: str | None, pattern: str | None) -> Discovered:
    """Pick article links from an HTML section page by CSS selector and/or URL regex.

    Without either rule, takes same-site links whose path looks like an article (long,
    several segments or a numeric id): a default, not a per-site selector.
    """
    result = Discovered()
    try:
        tree = lxml.html.fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (lxml.etree.ParserError, ValueError) as exc:
        result.error = f"unparseable listing page: {exc}"
        return result
    if selector:
        try:
            anchors = tree.cssselect(selector)
        except Exception as exc:  # cssselect raises its own SelectorError family
            result.error = f"invalid link_selector {selector!r}: {exc}"
            return result
        links: list[tuple[str | None, str]] = []
        for node in anchors:
            targets = [node] if node.tag == "a" else node.iterfind(".//a")
            links.extend((a.get("href"), a.text_content()) for a in targets)
    else:
        links = [(a.get("href"), a.text_content()) for a in tree.iterfind(".//a")]
    regex = re.compile(pattern) if pattern else None
    site = registrable_domain(urlsplit(url).hostname or "")
    seen: set[str] = set()
    for href, text in links:
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        absolute = urljoin(url, href.strip())
        if not absolute.startswith(("http://", "https://")) or absolute in seen:
            continue
        if regex is not None:
            if not regex.search(absolute):
                continue
        elif not selector and not _looks_like_article(absolute, site):
            continue
        seen.add(absolute)
        title = re.sub(r"\s+", " ", text or "").strip() or None
        result.entries.append(Entry(url=absolute, title=title))
    if not result.entries:
        result.warning = "listing page has no article links matching the rules"
    return result


def _looks_like_article(url: str, site: str) -> bool:
    parts = urlsplit(url)
    if not parts.hostname or registrable_domain(parts.hostname) != site:
        return False
    path = parts.path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return bool(re.search(r"\d{4,}", path)) or (last.count("-") >= 3 and len(last) > 20)
