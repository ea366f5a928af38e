"""The acting scheduler's bookkeeping of crawl runs, one tick at a time (PostgreSQL: the cluster mode needs it).

A worker is played by the test with procrastinate's own SQL functions (take a job, end
it), so the interleavings that the cluster tests of tests/scheduler/test_cluster.py meet
only now and then happen here every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from core.config import resolve_database_url
from core.configfile import load_config
from scheduler.cluster import queue
from scheduler.cluster.acting import ActingScheduler
from storage import crawl_runs
from storage.db import make_engine, transaction
from tests.conftest import _drop_pg_database, _pg_database_or_skip, loopback_config, write_config


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[ActingScheduler]:
    """An acting scheduler of one feed (never fetched, so always due) on a fresh database."""
    url = _pg_database_or_skip()
    try:
        sources = [{"name": "f0", "type": "feed", "url": "http://127.0.0.1:9/f0.xml", "interval": "1m"}]
        config = load_config(write_config(tmp_path, loopback_config(url, sources)))
        queue.migrate_cluster(config)
        acting = ActingScheduler(config)
        try:
            acting.step()  # takes the lock, lists the source, defers its first poll
            assert acting.leader.acting
            yield acting
        finally:
            acting.leader.lose()
            acting.engine.dispose()
    finally:
        _drop_pg_database(url)


def _take_poll(conn: Any) -> int:
    """What a worker does: take the waiting poll job (``doing``); its id. Other jobs it ends at once."""
    worker = conn.execute(text("SELECT procrastinate_register_worker_v1()")).scalar_one()
    while True:
        job_id, task = conn.execute(
            text("SELECT id, task_name FROM procrastinate_fetch_job_v2(ARRAY['newswatch'], :w)"), {"w": worker}
        ).one()
        assert job_id is not None, "no poll job waiting"
        if task == queue.POLL:
            return int(job_id)
        # The delivery sweep the first tick deferred: nothing to deliver.
        conn.execute(text("SELECT procrastinate_finish_job_v1(:job, 'succeeded', true)"), {"job": job_id})


def test_the_run_of_a_failed_poll_is_closed_when_the_next_poll_already_runs(scheduler: ActingScheduler) -> None:
    """A poll fails with its run open (the database restarted under it); the next tick closes that run.

    In a tick the scheduler defers due polls before it looks at failed ones, so a worker
    may take the source's next poll in between: the failed poll's source then has a poll
    ``doing`` and no newer run yet, which alone does not tell the failed poll's run from the
    new poll's. Seen in tests/scheduler/test_cluster.py: the run stayed ``running`` until
    the 5-minute sweep.
    """
    engine = make_engine(resolve_database_url(scheduler.config))
    try:
        with engine.begin() as conn:
            job = _take_poll(conn)
            source_id = conn.execute(text("SELECT id FROM sources WHERE name = 'f0'")).scalar_one()
        with transaction(scheduler.sessions) as session:
            run = crawl_runs.open_run(session, source_id)
        with engine.begin() as conn:
            conn.execute(text("SELECT procrastinate_finish_job_v1(:job, 'failed', false)"), {"job": job})

        # The next tick, as act() runs it, with a worker taking the new poll in the middle.
        assert scheduler.defer_due_polls(datetime.now(UTC)) == 1
        with engine.begin() as conn:
            _take_poll(conn)
        scheduler.close_runs_of_failed_polls()

        with engine.connect() as conn:
            status = conn.execute(text("SELECT status FROM crawl_runs WHERE id = :id"), {"id": run}).scalar_one()
        assert status == crawl_runs.INTERRUPTED, f"the failed poll's run is still {status}"
    finally:
        engine.dispose()


def test_failed_jobs_are_deleted_once_older_than_the_setting(scheduler: ActingScheduler) -> None:
    """Failed jobs pile up in procrastinate's table otherwise: the acting scheduler prunes them.

    A job failed eight days ago is deleted (``cluster.keep_failed_jobs``: 7 days); one failed
    just now stays for an operator to read, and so does a job waiting to run.
    """
    engine = make_engine(resolve_database_url(scheduler.config))
    try:
        with engine.begin() as conn:
            old = _take_poll(conn)
            conn.execute(text("SELECT procrastinate_finish_job_v1(:job, 'failed', false)"), {"job": old})
            conn.execute(
                text("UPDATE procrastinate_events SET at = now() - interval '8 days' WHERE job_id = :job"), {"job": old}
            )
        assert scheduler.defer_due_polls(datetime.now(UTC)) == 1
        with engine.begin() as conn:
            recent = _take_poll(conn)
            conn.execute(text("SELECT procrastinate_finish_job_v1(:job, 'failed', false)"), {"job": recent})
        assert scheduler.defer_due_polls(datetime.now(UTC)) == 1  # a third poll, left waiting

        assert scheduler.prune_failed_jobs() == 1
        with engine.connect() as conn:
            left = dict(
                conn.execute(
                    text("SELECT id, status FROM procrastinate_jobs WHERE task_name = :t"), {"t": queue.POLL}
                ).all()
            )
        assert old not in left
        assert left.get(recent) == "failed"
        assert "todo" in left.values()
    finally:
        engine.dispose()
