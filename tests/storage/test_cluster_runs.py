"""Which crawl runs the acting scheduler closes as left by a stopped worker (PostgreSQL: the job queue's tables)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from storage import cluster, crawl_runs
from storage.db import make_engine, make_sessionmaker, transaction, upgrade, utcnow
from storage.models import CrawlRun, Source
from tests.conftest import _drop_pg_database, _pg_database_or_skip


@pytest.fixture
def pg_sessions() -> Iterator[sessionmaker[Session]]:
    url = _pg_database_or_skip()
    engine = make_engine(url)
    try:
        upgrade(url)
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()
        _drop_pg_database(url)


def _source(session: Session, name: str) -> int:
    source = Source(name=name, type="feed", url=f"http://example.test/{name}.xml", created_at=utcnow())
    session.add(source)
    session.flush()
    return source.id


def _running_poll(session: Session, name: str) -> None:
    """A poll job of ``name`` taken by a worker (``doing``), as procrastinate does it."""
    session.execute(
        text(
            "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW('newswatch', 'poll_source', 0, CAST(:key AS text), NULL, "
            "jsonb_build_object('source', CAST(:name AS text)), NULL)]::procrastinate_job_to_defer_v1[])"
        ),
        {"key": f"source:{name}", "name": name},
    )
    worker = session.execute(text("SELECT procrastinate_register_worker_v1()")).scalar_one()
    session.execute(text("SELECT procrastinate_fetch_job_v2(ARRAY['newswatch'], :w)"), {"w": worker})


def _status(session: Session, run_id: int) -> str:
    return session.get_one(CrawlRun, run_id).status


def test_orphaned_runs_are_closed_and_live_ones_kept(pg_sessions) -> None:
    with transaction(pg_sessions) as session:
        live, dead, replaced = _source(session, "live"), _source(session, "dead"), _source(session, "replaced")
        earlier = utcnow() - timedelta(minutes=1)
        live_run = crawl_runs.open_run(session, live)
        dead_run = crawl_runs.open_run(session, dead)
        old_run = crawl_runs.open_run(session, replaced, earlier)
        new_run = crawl_runs.open_run(session, replaced)
        _running_poll(session, "live")
        _running_poll(session, "replaced")

    with transaction(pg_sessions) as session:
        closed = cluster.close_orphaned_runs(session)
    with transaction(pg_sessions) as session:
        # No poll running for "dead"; "replaced" has a newer run, its poll's.
        assert closed == sorted([dead_run, old_run])
        assert _status(session, dead_run) == crawl_runs.INTERRUPTED
        assert _status(session, old_run) == crawl_runs.INTERRUPTED
        assert _status(session, live_run) == "running"
        assert _status(session, new_run) == "running"
        # A stalled poll about to be handed back: its source's open run is orphaned.
        assert cluster.close_orphaned_runs(session, ["live"], stalled=True) == [live_run]
        assert _status(session, new_run) == "running"
