"""The database writer thread: deferred bookkeeping is group-committed, in order, and never lost on close."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from crawler.writer import GROUP_COMMIT, DbWriter
from storage import articles, crawl_runs, sources
from storage.db import utcnow
from storage.models import Article, CrawlRun, Source
from storage.sources import FetchOutcome, SourceSpec


def _source_id(db_url: str, name: str = "wire") -> int:
    writer = DbWriter(db_url)
    try:
        return writer.call(sources.sync_sources, [SourceSpec(name, "feed", f"http://example.org/{name}.xml")])[name].id
    finally:
        writer.close()


def _poll(session, source_id: int, status: str) -> None:
    now = utcnow()
    sources.record_fetch(session, source_id, FetchOutcome(status=status, http_status=304), now=now)
    crawl_runs.record_run(
        session,
        source_id,
        started_at=now - timedelta(seconds=1),
        status=status,
        counts=crawl_runs.RunCounts(),
        http_status=304,
        error=None,
    )


def _runs(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(CrawlRun.status).order_by(CrawlRun.id)))


def test_deferred_writes_are_committed_together_within_the_group_commit(db_url, sessions):
    source_id = _source_id(db_url)
    writer = DbWriter(db_url)

    async def main() -> tuple[list[str], list[str]]:
        for _ in range(5):
            writer.defer(_poll, source_id, "not_modified")
        before = _runs(sessions)  # nothing written yet: the writes wait for company
        await asyncio.sleep(GROUP_COMMIT)
        # The timer has fired; wait for the writer thread (a loaded machine may be slow),
        # and take the first non-empty read: one transaction shows all five at once.
        deadline = asyncio.get_running_loop().time() + 30
        while not (after := _runs(sessions)) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
        return before, after

    try:
        before, after = asyncio.run(main())
    finally:
        writer.close()
    assert before == []
    assert after == ["not_modified"] * 5


def test_deferred_writes_run_before_anything_submitted_after_them(db_url, sessions):
    source_id = _source_id(db_url)
    writer = DbWriter(db_url)

    def read_status(session) -> str:
        return session.scalars(select(Source.status).where(Source.id == source_id)).one()

    async def main() -> str:
        writer.defer(_poll, source_id, "not_modified")
        # A read submitted later sees the deferred write, long before the group commit is due.
        return await writer.run(read_status)

    try:
        assert asyncio.run(main()) == "not_modified"
    finally:
        writer.close()


def test_close_writes_what_is_still_deferred(db_url, sessions):
    source_id = _source_id(db_url)
    writer = DbWriter(db_url)

    async def main() -> None:
        writer.defer(_poll, source_id, "not_modified")
        writer.defer(_poll, source_id, "empty")

    asyncio.run(main())
    writer.close()  # at shutdown, well before the group commit was due
    assert _runs(sessions) == ["not_modified", "empty"]


def test_a_failing_deferred_write_loses_only_itself(db_url, sessions, caplog):
    source_id = _source_id(db_url)
    writer = DbWriter(db_url)

    def broken(session) -> None:
        raise RuntimeError("disk on fire")

    async def main() -> None:
        writer.defer(_poll, source_id, "not_modified")
        writer.defer(broken)
        writer.defer(_poll, source_id, "empty")
        await writer.flush()

    try:
        asyncio.run(main())
    finally:
        writer.close()
    assert _runs(sessions) == ["not_modified", "empty"]
    assert "deferred write failed: RuntimeError: disk on fire" in caplog.text


def test_an_article_is_not_stored_when_the_rest_of_its_transaction_fails(db_url, sessions):
    # store_article writes in a savepoint; on SQLite that savepoint's release committed the
    # article on its own, before its story, event and alert rows.
    source_id = _source_id(db_url)
    writer = DbWriter(db_url)

    def store_then_fail(session) -> None:
        record = articles.ArticleRecord(url="http://example.org/a", title="A", text="text " * 40, source_id=source_id)
        record.content_hash = "digest"
        articles.store_article(session, record)
        raise RuntimeError("failed after the article, before its story and alert")

    try:
        with pytest.raises(RuntimeError):
            writer.call(store_then_fail)
    finally:
        writer.close()
    with sessions() as session:
        assert session.scalars(select(Article.id)).all() == []
