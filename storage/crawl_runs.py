"""Queries about crawl runs (one poll of one source) and article fetch failures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from sqlalchemy import update

from storage.db import utcnow
from storage.models import CrawlRun, FetchFailure

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Table
    from sqlalchemy.orm import Session


# The status of a run that did not end on its own: its process stopped (SIGTERM, or a
# crash closed at the next start) while the poll was still fetching.
INTERRUPTED = "interrupted"


@dataclass
class RunCounts:
    """What one poll produced."""

    items_found: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    articles_failed: int = 0


def start_run(session: Session, source_id: int) -> CrawlRun:
    """Open a crawl run for a source and return it as an ORM object (for tools and tests)."""
    return session.get_one(CrawlRun, open_run(session, source_id))


def open_run(session: Session, source_id: int, started_at: datetime | None = None) -> int:
    """Open a crawl run for a source with one INSERT ... RETURNING; its id.

    The crawler opens a run only once a poll is about to fetch articles, so that a process
    killed in the middle leaves a ``running`` row for the next start to close; a poll that
    fetches no article is recorded whole afterwards (:func:`record_run`).
    """
    table = cast("Table", CrawlRun.__table__)
    return int(
        session.connection()
        .execute(
            table.insert()
            .values(
                source_id=source_id,
                started_at=started_at or utcnow(),
                status="running",
                items_found=0,
                articles_new=0,
                articles_seen=0,
                articles_failed=0,
            )
            .returning(table.c.id)
        )
        .scalar_one()
    )


def _outcome(*, status: str, counts: RunCounts, http_status: int | None, error: str | None) -> dict[str, object]:
    """The columns a finished run gets, whichever way it is written."""
    return {
        "finished_at": utcnow(),
        "status": status,
        "http_status": http_status,
        "items_found": counts.items_found,
        "articles_new": counts.articles_new,
        "articles_seen": counts.articles_seen,
        "articles_failed": counts.articles_failed,
        "error": error,
    }


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    counts: RunCounts,
    http_status: int | None,
    error: str | None,
) -> None:
    """Close a run opened by :func:`open_run` with its counts and outcome (one UPDATE)."""
    table = cast("Table", CrawlRun.__table__)
    values = _outcome(status=status, counts=counts, http_status=http_status, error=error)
    session.connection().execute(table.update().where(table.c.id == run_id).values(**values))


def record_run(
    session: Session,
    source_id: int,
    *,
    started_at: datetime,
    status: str,
    counts: RunCounts,
    http_status: int | None,
    error: str | None,
) -> None:
    """Record a finished poll that never opened a run (one INSERT): most polls, a 304 or a feed with nothing new."""
    table = cast("Table", CrawlRun.__table__)
    values = _outcome(status=status, counts=counts, http_status=http_status, error=error)
    session.connection().execute(table.insert().values(source_id=source_id, started_at=started_at, **values))


def record_failure(session: Session, source_id: int | None, url: str, reason: str) -> None:
    """Remember that an article URL failed, and why."""
    session.add(FetchFailure(source_id=source_id, url=url, reason=reason[:2000], occurred_at=utcnow()))


def interrupt_run(session: Session, run_id: int, counts: RunCounts, reason: str) -> bool:
    """Close a run a stopping process cut short as ``interrupted``, with what it did so far.

    Only a run still ``running`` is closed: if the poll's own outcome was written first,
    it stands. Returns whether the run was closed here.
    """
    table = cast("Table", CrawlRun.__table__)
    values = _outcome(status=INTERRUPTED, counts=counts, http_status=None, error=reason)
    result = session.connection().execute(
        table.update()
        .where(table.c.id == run_id, table.c.status == "running", table.c.finished_at.is_(None))
        .values(**values)
    )
    return bool(result.rowcount)


def close_interrupted(session: Session) -> int:
    """Mark runs left ``running`` by a process that died as ``interrupted``; returns how many.

    Called when the service starts, before any crawl of its own: every run still open then
    belongs to a process that is gone (``kill -9``, power loss). Their articles were stored
    one transaction each, so nothing else needs repair.
    """
    result = session.execute(
        update(CrawlRun)
        .where(CrawlRun.status == "running", CrawlRun.finished_at.is_(None))
        .values(status=INTERRUPTED, finished_at=utcnow(), error="the crawling process stopped before the run ended")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
