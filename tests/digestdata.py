"""Test helpers for digests: a period with an outcome, a clash, other coverage and source trouble."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage import crawl_runs
from storage.articles import ArticleRecord, store_article
from storage.db import utcnow
from storage.sources import FetchOutcome, SourceSpec, record_fetch, sync_sources
from storage.stories import attach
from tests.alertdata import make_alert


def fill_period(session, *, clash_title: str = "Pakistani and Afghan forces exchange fire at Chaman") -> datetime:
    """Stories first seen now: an outcome (3 articles), a clash, other coverage, a seed copy;
    a failing and an empty source. Returns the time just before they were stored."""
    start = utcnow() - timedelta(seconds=1)
    make_alert(session, slug="outcome")
    make_alert(session, slug="clash", kind="new_clash", subtype="border_clash", title=clash_title)
    sources = sync_sources(
        session,
        [
            SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home"),
            SourceSpec("broken", "feed", "https://broken.example/feed"),
            SourceSpec("quiet", "feed", "https://quiet.example/feed"),
        ],
    )
    other = store_article(
        session,
        ArticleRecord(
            url="https://news.example/other/analysis",
            title="Traders at Torkham count the cost of the closure",
            text="Traders waited at the crossing for the third week. " * 8,
            source_id=sources["dawn"].id,
        ),
    ).article_id
    attach(session, other, None, title="Traders at Torkham count the cost of the closure", when=utcnow())
    seed = store_article(
        session,
        ArticleRecord(
            url="seed:istanbul.txt",
            title="Third round opens in Istanbul",
            text="The seed article. " * 10,
            source_id=None,
            is_seed=True,
        ),
    ).article_id
    attach(session, seed, None, title="Third round opens in Istanbul", when=utcnow())
    for name, outcome in (
        ("broken", FetchOutcome(status="error", http_status=500, error="HTTP 500 Internal Server Error")),
        ("quiet", FetchOutcome(status="not_modified", http_status=304)),
    ):
        run = crawl_runs.start_run(session, sources[name].id)
        record_fetch(session, sources[name].id, outcome)
        crawl_runs.finish_run(
            session,
            run.id,
            status=outcome.status,
            counts=crawl_runs.RunCounts(),
            http_status=outcome.http_status,
            error=outcome.error,
        )
    session.flush()
    return start
