"""Sources: syncing from the config, recording polls, and the health report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage import crawl_runs
from storage.articles import ArticleRecord, store_article
from storage.db import transaction
from storage.models import ArticleSighting, Source
from storage.sources import FetchOutcome, SourceSpec, health, poll_sources, record_fetch, sync_sources

NOW = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)


@pytest.fixture
def dawn_id(sessions) -> int:
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home")])
        return rows["dawn"].id


def _source(sessions, source_id: int) -> Source:
    with transaction(sessions) as session:
        return session.get_one(Source, source_id)


def test_sync_inserts_updates_and_keeps_removed_sources(sessions):
    with transaction(sessions) as session:
        first = sync_sources(
            session, [SourceSpec("dawn", "feed", "https://a/feed"), SourceSpec("geo", "listing", "https://geo/")]
        )
        assert first["dawn"].status == "new"
    with transaction(sessions) as session:
        row = session.get_one(Source, first["dawn"].id)
        row.etag, row.last_modified = '"abc"', "Sat, 08 Nov 2025 10:00:00 GMT"
    with transaction(sessions) as session:
        second = sync_sources(session, [SourceSpec("dawn", "feed", "https://a/feed")])
        assert second["dawn"].id == first["dawn"].id
        assert second["dawn"].etag == '"abc"'  # unchanged URL keeps its validators
    with transaction(sessions) as session:
        third = sync_sources(session, [SourceSpec("dawn", "sitemap", "https://a/sitemap.xml")])
        assert (third["dawn"].type, third["dawn"].url) == ("sitemap", "https://a/sitemap.xml")
        assert third["dawn"].etag is None and third["dawn"].last_modified is None
    with transaction(sessions) as session:
        assert [h.name for h in health(session, now=NOW)] == ["dawn", "geo"]  # geo stays


def test_successful_fetch_records_validators_and_items(sessions, dawn_id):
    with transaction(sessions) as session:
        record_fetch(
            session,
            dawn_id,
            FetchOutcome("ok", http_status=200, etag='"v1"', last_modified="Sat", items_found=12),
            now=NOW,
        )
    source = _source(sessions, dawn_id)
    assert (source.status, source.http_status, source.items_last_fetch) == ("ok", 200, 12)
    assert source.last_fetch_at == NOW and source.last_success_at == NOW
    assert (source.etag, source.last_modified) == ('"v1"', "Sat")
    assert source.consecutive_errors == 0 and source.last_error is None


def test_errors_count_up_and_success_resets_them(sessions, dawn_id):
    with transaction(sessions) as session:
        record_fetch(session, dawn_id, FetchOutcome("ok", 200, items_found=3), now=NOW)
        for i in range(3):
            record_fetch(
                session,
                dawn_id,
                FetchOutcome("error", 503, error=f"HTTP 503 #{i}"),
                now=NOW + timedelta(minutes=i + 1),
            )
    source = _source(sessions, dawn_id)
    assert source.consecutive_errors == 3 and source.error_count == 3
    assert source.status == "error" and source.http_status == 503
    assert source.last_error == "HTTP 503 #2"
    assert source.last_error_at == NOW + timedelta(minutes=3)
    assert source.last_success_at == NOW  # the last success is still known
    assert source.items_last_fetch == 3
    with transaction(sessions) as session:
        record_fetch(session, dawn_id, FetchOutcome("ok", 200, items_found=5), now=NOW + timedelta(hours=1))
    source = _source(sessions, dawn_id)
    assert source.consecutive_errors == 0
    assert source.error_count == 3  # lifetime total
    assert source.last_success_at == NOW + timedelta(hours=1)
    assert source.last_error == "HTTP 503 #2"  # kept for the record


def test_not_modified_keeps_validators_and_item_count(sessions, dawn_id):
    with transaction(sessions) as session:
        record_fetch(session, dawn_id, FetchOutcome("ok", 200, etag='"v1"', items_found=7), now=NOW)
        record_fetch(session, dawn_id, FetchOutcome("not_modified", 304), now=NOW + timedelta(minutes=15))
    source = _source(sessions, dawn_id)
    assert source.status == "not_modified"
    assert source.etag == '"v1"' and source.items_last_fetch == 7
    assert source.last_success_at == NOW + timedelta(minutes=15)


@pytest.mark.parametrize("status", ["rate_limited", "blocked"])
def test_other_failures_count_as_errors_and_keep_retry_time(sessions, dawn_id, status):
    retry = NOW + timedelta(hours=1)
    with transaction(sessions) as session:
        record_fetch(session, dawn_id, FetchOutcome(status, 429, error="slow down", retry_at=retry), now=NOW)
    source = _source(sessions, dawn_id)
    assert source.consecutive_errors == 1
    assert source.next_fetch_at == retry


def test_health_counts_articles_and_last_run(sessions):
    with transaction(sessions) as session:
        rows = sync_sources(
            session,
            [SourceSpec("tribune", "feed", "https://t/feed"), SourceSpec("dawn", "feed", "https://d/feed")],
        )
        dawn, tribune = rows["dawn"].id, rows["tribune"].id
        old = store_article(
            session, ArticleRecord(url="https://d/1", title="old", text="old text", source_id=dawn)
        ).article_id
        store_article(session, ArticleRecord(url="https://d/2", title="new", text="new text", source_id=dawn))
        # The old article was also carried by tribune.
        store_article(session, ArticleRecord(url="https://d/1", title="old", text="old text", source_id=tribune))
        for sighting in session.scalars(select(ArticleSighting).where(ArticleSighting.article_id == old)):
            sighting.seen_at = NOW - timedelta(days=3)
        first = crawl_runs.start_run(session, dawn)
        crawl_runs.finish_run(
            session,
            first.id,
            status="ok",
            counts=crawl_runs.RunCounts(items_found=9, articles_new=5, articles_seen=3, articles_failed=1),
            http_status=200,
            error=None,
        )
        second = crawl_runs.start_run(session, dawn)
        crawl_runs.finish_run(
            session,
            second.id,
            status="ok",
            counts=crawl_runs.RunCounts(items_found=4, articles_new=2, articles_seen=1, articles_failed=0),
            http_status=200,
            error=None,
        )
        crawl_runs.start_run(session, dawn)  # still running: not "the last run"
        record_fetch(session, dawn, FetchOutcome("ok", 200, items_found=4), now=NOW)
    with transaction(sessions) as session:
        report = health(session, now=NOW)
    assert [h.name for h in report] == ["dawn", "tribune"]
    by_name = {h.name: h for h in report}
    assert (by_name["dawn"].articles_total, by_name["dawn"].articles_24h) == (2, 1)
    assert (by_name["tribune"].articles_total, by_name["tribune"].articles_24h) == (1, 0)
    assert (by_name["dawn"].last_run_new, by_name["dawn"].last_run_seen, by_name["dawn"].last_run_failed) == (2, 1, 0)
    assert by_name["tribune"].last_run_new == 0
    assert by_name["dawn"].status == "ok" and by_name["dawn"].last_fetch == NOW
    assert by_name["tribune"].status == "new" and by_name["tribune"].last_fetch is None
    with transaction(sessions) as session:
        assert [h.name for h in health(session, now=NOW, names=["tribune"])] == ["tribune"]


def test_detection_lag_is_the_median_over_articles_that_appeared_while_watched(sessions, dawn_id):
    watched_from = NOW - timedelta(days=2)
    with transaction(sessions) as session:
        run = crawl_runs.start_run(session, dawn_id)
        run.started_at = watched_from
        # (published before first sight by): 10 min, 30 min, 50 min -> median 30 min.
        for i, minutes in enumerate((10, 30, 50)):
            store_article(
                session,
                ArticleRecord(
                    url=f"https://d/lag{i}",
                    title=f"t{i}",
                    text=f"text {i}",
                    source_id=dawn_id,
                    published_at=NOW - timedelta(minutes=minutes),
                    published_source="feed",
                    fetched_at=NOW,
                ),
            )
        # Left out: published before the source was first polled (backlog on the first
        # crawl), no trustworthy date, or dated well after we saw it (a wrong date).
        for i, (published, origin) in enumerate(
            [
                (watched_from - timedelta(days=5), "page"),
                (NOW - timedelta(days=1), "none"),
                (NOW + timedelta(hours=5), "page"),
            ]
        ):
            store_article(
                session,
                ArticleRecord(
                    url=f"https://d/skip{i}",
                    title=f"s{i}",
                    text=f"skip {i}",
                    source_id=dawn_id,
                    published_at=published,
                    published_source=origin,
                    fetched_at=NOW,
                ),
            )
    with transaction(sessions) as session:
        (row,) = health(session, now=NOW)
    assert row.median_lag == timedelta(minutes=30)
    assert row.lag_samples == 3


def test_runs_left_open_by_a_dead_process_are_closed_as_interrupted(sessions, dawn_id):
    with transaction(sessions) as session:
        open_run = crawl_runs.start_run(session, dawn_id).id
        done = crawl_runs.start_run(session, dawn_id)
        crawl_runs.finish_run(session, done.id, status="ok", counts=crawl_runs.RunCounts(), http_status=200, error=None)
    with transaction(sessions) as session:
        assert crawl_runs.close_interrupted(session) == 1
    with transaction(sessions) as session:
        from storage.models import CrawlRun

        assert session.get_one(CrawlRun, open_run).status == "interrupted"
        assert session.get_one(CrawlRun, done.id).status == "ok"
        assert crawl_runs.close_interrupted(session) == 0


def test_a_run_cut_short_by_a_stop_is_closed_with_its_counts_and_a_finished_one_is_left(sessions, dawn_id):
    with transaction(sessions) as session:
        cut = crawl_runs.start_run(session, dawn_id).id
        done = crawl_runs.start_run(session, dawn_id).id
        crawl_runs.finish_run(session, done, status="ok", counts=crawl_runs.RunCounts(), http_status=200, error=None)
    so_far = crawl_runs.RunCounts(items_found=5, articles_new=2, articles_seen=1)
    with transaction(sessions) as session:
        assert crawl_runs.interrupt_run(session, cut, so_far, "stopped")
        # The poll's own outcome, written first, stands.
        assert not crawl_runs.interrupt_run(session, done, so_far, "stopped")
    with transaction(sessions) as session:
        from storage.models import CrawlRun

        run = session.get_one(CrawlRun, cut)
        assert (run.status, run.error, run.items_found, run.articles_new) == ("interrupted", "stopped", 5, 2)
        assert run.finished_at is not None
        assert session.get_one(CrawlRun, done).status == "ok"


def test_in_memory_poll_state_follows_what_the_archive_records(sessions, dawn_id):
    # The service keeps each source's validators and failures in memory between polls
    # (PollPrepared.after) instead of reading them back: after every kind of outcome the two
    # must agree, or the next conditional GET sends the wrong validators.
    outcomes = [
        FetchOutcome(status="ok", http_status=200, etag='"v1"', last_modified="Sat, 08 Nov 2025 10:00:00 GMT"),
        FetchOutcome(status="not_modified", http_status=304),  # no validators in the answer: keep ours
        FetchOutcome(status="error", http_status=500, error="HTTP 500"),
        FetchOutcome(status="rate_limited", http_status=429, error="HTTP 429"),
        FetchOutcome(status="blocked", http_status=403, error="HTTP 403"),
        FetchOutcome(status="empty", http_status=200, etag=None, last_modified="Sun, 09 Nov 2025 10:00:00 GMT"),
        FetchOutcome(status="error", error="timeout"),
        FetchOutcome(status="ok", http_status=200, etag='"v2"'),
        FetchOutcome(status="not_modified", http_status=304, etag='"ignored"'),
    ]
    with transaction(sessions) as session:
        memory = poll_sources(session, [SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home")])["dawn"]
    for number, outcome in enumerate(outcomes):
        memory = memory.after(outcome)
        with transaction(sessions) as session:
            record_fetch(session, dawn_id, outcome, now=NOW + timedelta(minutes=number))
        with transaction(sessions) as session:
            stored = poll_sources(session, [SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home")])["dawn"]
        assert memory == stored, (number, outcome)
    assert memory.etag == '"v2"' and memory.consecutive_errors == 0
