"""Queries about sources: syncing them from the config, recording fetches, health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from storage.db import utcnow
from storage.models import ArticleSighting, CrawlRun, Source

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

# Statuses that mean the last poll worked.
OK_STATUSES = frozenset({"ok", "not_modified", "empty"})


@dataclass(frozen=True)
class SourceSpec:
    """What the config says about a source (name, type, url)."""

    name: str
    type: str
    url: str


@dataclass
class FetchOutcome:
    """The result of one poll of a source, as the crawler saw it."""

    status: str  # ok | not_modified | empty | error | rate_limited | blocked
    http_status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    items_found: int = 0
    retry_at: datetime | None = None


def sync_sources(session: Session, specs: Iterable[SourceSpec]) -> dict[str, Source]:
    """Insert or update the configured sources and return them by name.

    A source whose URL changed loses its validators: an ETag belongs to one URL.
    Sources removed from the config stay in the table so their articles keep a name.
    """
    existing = {s.name: s for s in session.scalars(select(Source))}
    out: dict[str, Source] = {}
    for spec in specs:
        source = existing.get(spec.name)
        if source is None:
            source = Source(name=spec.name, type=spec.type, url=spec.url, created_at=utcnow(), status="new")
            session.add(source)
        elif source.url != spec.url or source.type != spec.type:
            source.url, source.type = spec.url, spec.type
            source.etag = source.last_modified = None
        out[spec.name] = source
    session.flush()
    return out


def record_fetch(session: Session, source_id: int, outcome: FetchOutcome, *, now: datetime | None = None) -> Source:
    """Store the outcome of a poll: validators, status, error counters (reset on success)."""
    now = now or utcnow()
    source = session.get_one(Source, source_id)
    source.last_fetch_at = now
    source.status = outcome.status
    source.http_status = outcome.http_status
    if outcome.status in OK_STATUSES:
        source.last_success_at = now
        source.consecutive_errors = 0
        if outcome.status != "not_modified":
            source.items_last_fetch = outcome.items_found
            # Keep old validators when the server stops sending them only if it answered 304.
            source.etag = outcome.etag
            source.last_modified = outcome.last_modified
    else:
        source.consecutive_errors += 1
        source.error_count += 1
        source.last_error = outcome.error
        source.last_error_at = now
    source.next_fetch_at = outcome.retry_at
    return source


@dataclass(frozen=True)
class SourceHealth:
    """One row of ``newswatch sources``."""

    name: str
    type: str
    url: str
    status: str
    http_status: int | None
    last_fetch: datetime | None
    last_success: datetime | None
    next_fetch: datetime | None
    items_last_fetch: int
    articles_total: int
    articles_24h: int
    consecutive_errors: int
    last_error: str | None
    last_error_at: datetime | None
    last_run_new: int
    last_run_seen: int
    last_run_failed: int


def health(session: Session, *, now: datetime | None = None, names: Iterable[str] | None = None) -> list[SourceHealth]:
    """Health of every source (or of ``names``), ordered by name."""
    now = now or utcnow()
    day_ago = now - timedelta(hours=24)
    totals = dict(
        session.execute(select(ArticleSighting.source_id, func.count()).group_by(ArticleSighting.source_id)).all()
    )
    recent = dict(
        session.execute(
            select(ArticleSighting.source_id, func.count())
            .where(ArticleSighting.seen_at >= day_ago)
            .group_by(ArticleSighting.source_id)
        ).all()
    )
    latest_run = (
        select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id"))
        .where(CrawlRun.finished_at.is_not(None))
        .group_by(CrawlRun.source_id)
        .subquery()
    )
    runs = {
        run.source_id: run
        for run in session.scalars(select(CrawlRun).join(latest_run, CrawlRun.id == latest_run.c.run_id))
    }
    query = select(Source).order_by(Source.name)
    if names is not None:
        query = query.where(Source.name.in_(list(names)))
    out = []
    for source in session.scalars(query):
        run = runs.get(source.id)
        out.append(
            SourceHealth(
                name=source.name,
                type=source.type,
                url=source.url,
                status=source.status,
                http_status=source.http_status,
                last_fetch=source.last_fetch_at,
                last_success=source.last_success_at,
                next_fetch=source.next_fetch_at,
                items_last_fetch=source.items_last_fetch,
                articles_total=totals.get(source.id, 0),
                articles_24h=recent.get(source.id, 0),
                consecutive_errors=source.consecutive_errors,
                last_error=source.last_error,
                last_error_at=source.last_error_at,
                last_run_new=run.articles_new if run else 0,
                last_run_seen=run.articles_seen if run else 0,
                last_run_failed=run.articles_failed if run else 0,
            )
        )
    return out
