"""An article the database refused to store is found again at the next poll, not hidden behind a 304."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.conftest import loopback_config, run_cli, write_config
from tests.crawler.test_crawl import add_article, by_source, crawl
from tests.site import LoopbackSite, rss

pytestmark = pytest.mark.slow


def _refuse_articles(engine: Engine) -> None:
    """Make the database fail every new article (seeds aside), as a database going away would."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_article() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'the database refused the article'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_articles BEFORE INSERT ON articles FOR EACH ROW "
                    "WHEN (NOT NEW.is_seed) EXECUTE FUNCTION refuse_article()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_articles BEFORE INSERT ON articles WHEN NOT NEW.is_seed "
                    "BEGIN SELECT RAISE(ABORT, 'the database refused the article'); END"
                )
            )


def _accept_articles(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("DROP TRIGGER refuse_articles" + (" ON articles" if engine.dialect.name == "postgresql" else ""))
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP FUNCTION refuse_article()"))


def _etag_feed(site: LoopbackSite, guid: str) -> list[dict[str, str]]:
    """A feed answering conditional requests (ETag) with one article; the sources that poll it."""
    link = add_article(site, f"/r/{guid}.html", "Border crossing reopens after talks")
    site.add(
        "/etag.xml",
        rss([{"title": "Reopens", "link": link, "guid": guid}]),
        headers={"Content-Type": "application/rss+xml"},
        conditional=True,
    )
    return [{"name": "etag", "type": "feed", "url": site.url("/etag.xml")}]


def test_an_article_the_database_refused_is_stored_at_the_next_poll(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, engine: Engine
) -> None:
    sources = _etag_feed(fresh_site, "r1")
    _refuse_articles(engine)
    try:
        first = by_source(crawl(tmp_path, db_url, sources))
    finally:
        _accept_articles(engine)
    assert first["etag"]["articles_new"] == 0
    assert first["etag"]["articles_failed"] == 1

    # The feed did not change; without the refused article, its validators would get a 304.
    second = by_source(crawl(tmp_path, db_url, sources))
    assert second["etag"]["http_status"] == 200
    assert second["etag"]["articles_new"] == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM articles WHERE NOT is_seed")).scalar() == 1


def _refuse_open_runs(engine: Engine, refuse: bool) -> None:
    """Make the database fail (or no longer fail) opening a crawl run, the write a poll makes on reading its feed."""
    pg = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        if not refuse:
            conn.execute(text("DROP TRIGGER refuse_open_runs" + (" ON crawl_runs" if pg else "")))
            if pg:
                conn.execute(text("DROP FUNCTION refuse_open_run()"))
        elif pg:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse_open_run() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'the database went away'; END $$"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_open_runs BEFORE INSERT ON crawl_runs FOR EACH ROW "
                    "WHEN (NEW.status = 'running') EXECUTE FUNCTION refuse_open_run()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER refuse_open_runs BEFORE INSERT ON crawl_runs WHEN NEW.status = 'running' "
                    "BEGIN SELECT RAISE(ABORT, 'the database went away'); END"
                )
            )


def test_a_feed_whose_reading_the_database_broke_off_is_read_in_full_at_the_next_poll(
    fresh_site: LoopbackSite, tmp_path: Path, db_url: str, engine: Engine
) -> None:
    """The database fails while the poll decides which entries are new: none is fetched, no validator kept.

    Seen in the cluster's PostgreSQL restart test: the poll was recorded ``ok`` with the
    feed's ETag, every later poll got a 304, and the feed's articles were never stored.
    """
    sources = _etag_feed(fresh_site, "r2")
    config = write_config(tmp_path / "cfg", loopback_config(db_url, sources))
    _refuse_open_runs(engine, True)
    try:
        first = run_cli("crawl", "--format", "json", config=config)
    finally:
        _refuse_open_runs(engine, False)
    (summary,) = json.loads(first.stdout)
    assert summary["articles_new"] == 0
    assert summary["status"] == "error", summary
    assert "the database went away" in summary["error"]

    # The feed did not change: with the first poll's validators the second would get a 304.
    second = by_source(crawl(tmp_path, db_url, sources))
    assert second["etag"]["http_status"] == 200
    assert second["etag"]["articles_new"] == 1
