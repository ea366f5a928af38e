"""``newswatch check URL`` against a loopback site: one kind of URL per test, and each failure."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from core.config import SourceConfig
from scheduler.cli import app
from tests.conftest import loopback_config, write_config
from tests.site import PARAGRAPHS, LoopbackSite, article_page, rss

PUBLISHED = "2025-11-07T18:00:00+05:00"


@pytest.fixture(scope="module")
def site() -> Iterator[LoopbackSite]:
    server = LoopbackSite().start()
    server.add("/news/2025/11/talks-end", article_page("Talks end without agreement", PARAGRAPHS, published=PUBLISHED))
    article = server.url("/news/2025/11/talks-end")
    server.add(
        "/feed.xml",
        rss([{"title": "Talks end", "link": article, "pubDate": "Fri, 07 Nov 2025 13:00:00 GMT"}]),
        headers={"Content-Type": "application/rss+xml"},
    )
    server.add(
        "/atom.xml",
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        f"<id>urn:x</id><updated>2025-11-07T13:00:00Z</updated><entry><title>Talks end</title><id>urn:1</id>"
        f'<link href="{article}"/><updated>2025-11-07T13:00:00Z</updated></entry></feed>',
        headers={"Content-Type": "application/atom+xml"},
    )
    server.add(
        "/news-sitemap.xml",
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{article}</loc><news:news><news:publication_date>2025-11-07T13:00:00Z"
        "</news:publication_date><news:title>Talks end</news:title></news:news></url></urlset>",
        headers={"Content-Type": "application/xml"},
    )
    server.add(
        "/sitemap-index.xml",
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/news-sitemap.xml')}</loc></sitemap></sitemapindex>",
        headers={"Content-Type": "application/xml"},
    )
    links = "".join(
        f'<li><a href="/news/2025/11/{slug}">Headline {n}</a></li>'
        for n, slug in enumerate(["talks-end", "border-reopens-after-talks", "traders-wait-at-torkham", "x-y-z-w"])
    )
    server.add(
        "/world",
        f'<!DOCTYPE html><html lang="en"><head><title>World</title>'
        f'<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        f"<body><h1>World</h1><ul>{links}</ul></body></html>",
    )
    server.add("/broken", "oops", status=500)
    # windows-1252 bytes on a page that declares no charset: not the UTF-8 it is taken for.
    server.add("/latin", article_page("Caf\xe9", PARAGRAPHS).encode("cp1252"), headers={"Content-Type": "text/html"})
    server.add("/big", "<html>" + "x" * 5000 + "</html>")
    server.add("/slow", rss([]), delay=3)
    server.add("/image.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, headers={"Content-Type": "image/png"})
    yield server
    server.stop()


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = loopback_config("sqlite:///unused.db", [], crawl={"max_response_size": "2KB", "timeout": "1s"})
    return write_config(tmp_path_factory.mktemp("check"), data)


def _check(config: Path, url: str, *args: str) -> Result:
    return CliRunner().invoke(app, ["check", url, *args, "--config", str(config)])


def _report(config: Path, url: str) -> dict:
    result = _check(config, url, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [report] = json.loads(result.stdout)
    return report


def _pasted_entry(stdout: str) -> SourceConfig:
    """The line printed to paste under ``sources:``, loaded as config.yaml would load it."""
    line = stdout.split("under sources: in config.yaml:\n", 1)[1].strip()
    [entry] = yaml.safe_load(line)
    return SourceConfig.model_validate(entry)


@pytest.mark.parametrize(
    ("path", "kind", "description"),
    [
        ("/feed.xml", "feed", "RSS feed"),
        ("/atom.xml", "feed", "Atom feed"),
        ("/news-sitemap.xml", "sitemap", "news sitemap"),
        ("/sitemap-index.xml", "sitemap index", "sitemap index"),
        ("/world", "listing", "listing page"),
    ],
)
def test_check_says_what_a_source_is_and_extracts_its_first_article(site, config, path, kind, description):
    report = _report(config, site.url(path))
    assert (report["kind"], report["description"]) == (kind, description)
    assert report["entries"][0]["url"] == site.url("/news/2025/11/talks-end")
    article = report["article"]
    assert article["title"] == "Talks end without agreement"
    assert article["published"] == PUBLISHED
    assert article["language"] == "en"
    assert article["text"].startswith("Talks end without agreement")
    assert len(article["text"]) == 300
    assert article["relevant"] is True
    assert (article["event_kind"], article["event_subtype"]) == ("talks_outcome", "no_agreement")
    source_type = "sitemap" if kind == "sitemap index" else kind
    assert report["source"] == {"name": "127.0.0.1", "type": source_type, "url": site.url(path), "language": "en"}


def test_check_table_prints_entries_article_and_a_loadable_sources_entry(site, config):
    result = _check(config, site.url("/feed.xml"))
    assert result.exit_code == 0, result.stderr
    assert "Is: RSS feed" in result.stdout
    assert "Talks end" in result.stdout
    assert "Event: Talks outcome: ended without agreement" in result.stdout
    entry = _pasted_entry(result.stdout)
    assert (entry.type, entry.url) == ("feed", site.url("/feed.xml"))


def test_check_names_the_source_that_already_has_the_url(site, tmp_path):
    sources = [{"name": "testfeed", "type": "feed", "url": site.url("/feed.xml")}]
    config = write_config(tmp_path, loopback_config("sqlite:///unused.db", sources))
    report = _report(config, site.url("/feed.xml"))
    assert report["source"] is None
    assert "already configured: source 'testfeed' has this URL" in report["notes"]
    # Another URL of the same site gets a name of its own.
    assert _report(config, site.url("/atom.xml"))["source"]["name"] == "127.0.0.1"


def test_check_listing_page_names_the_feed_it_announces(site, config):
    report = _report(config, site.url("/world"))
    assert report["feeds"] == [site.url("/feed.xml")]
    assert report["entry_count"] == 4


def test_check_sitemap_index_lists_child_sitemaps(site, config):
    report = _report(config, site.url("/sitemap-index.xml"))
    assert report["sitemaps"] == [site.url("/news-sitemap.xml")]


def test_check_article_page_is_extracted_but_is_no_source(site, config):
    result = _check(config, site.url("/news/2025/11/talks-end"))
    assert result.exit_code == 0, result.stderr
    assert "Is: article page" in result.stdout
    assert "Title: Talks end without agreement" in result.stdout
    assert "not a source" in result.stdout
    assert "under sources:" not in result.stdout


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/broken", "HTTP 500 Internal Server Error"),
        ("/missing", "HTTP 404 Not Found"),
        ("/latin", "not valid utf-8 text (byte 0xe9"),
        ("/big", "larger than crawl.max_response_size (2KB)"),
        ("/slow", "no answer within crawl.timeout (1 s)"),
        ("/image.png", "Content-Type image/png"),
        (None, "unreachable: Connection refused"),
    ],
)
def test_check_failures_exit_1_with_the_reason(site, config, path, message):
    url = site.url(path) if path else f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = _check(config, url)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert f"{url}: " in result.stderr
    assert message in result.stderr


@pytest.mark.parametrize("args", [["ftp://example.org/feed"], ["http://[::1/"], ["https://example.org/", "-f", "csv"]])
def test_check_usage_errors_exit_2(config, args):
    result = CliRunner().invoke(app, ["check", *args, "--config", str(config)])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_check_refuses_private_addresses_unless_allowed(site, tmp_path):
    config = write_config(
        tmp_path, loopback_config("sqlite:///unused.db", [], crawl={"allow_private_addresses": False})
    )
    result = _check(config, site.url("/feed.xml"))
    assert result.exit_code == 1
    assert "crawl.allow_private_addresses" in result.stderr
