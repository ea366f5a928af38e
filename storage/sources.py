"""Queries about sources: syncing them from the config, recording fetches, health."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from sqlalchemy import func, select

from storage.db import utcnow
from storage.models import Article, ArticleSighting, CrawlRun, Source

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy import Table
    from sqlalchemy.orm import Session

# Statuses that mean the last poll worked.
OK_STATUSES = frozenset({"ok", "not_modified", "empty"})
# Detection lag is the median over articles first seen in this window.
LAG_WINDOW = timedelta(days=30)
# A published time this far after we first saw the article is a wrong date, not a lag.
MAX_CLOCK_SKEW = timedelta(hours=1)


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
    specs = list(specs)
    # Only the named rows: a poll of one source must not load every source.
    existing = {s.name: s for s in session.scalars(select(Source).where(Source.name.in_([s.name for s in specs])))}
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


def record_fetch(
    session: Session,
    source_id: int,
    outcome: FetchOutcome,
    *,
    now: datetime | None = None,
    next_fetch: datetime | None = None,
) -> PollState:
    """Store the outcome of a poll: validators, status, error counters (reset on success).

    ``next_fetch`` is the planned next poll (the service's); default: the server's
    ``retry_at``. One Core UPDATE ... RETURNING rather than an ORM load and flush: it runs
    after every poll, most of which are a 304. Source objects already loaded in ``session``
    are not refreshed.
    """
    now = now or utcnow()
    table = cast("Table", Source.__table__)
    values: dict[str, object] = {
        "last_fetch_at": now,
        "status": outcome.status,
        "http_status": outcome.http_status,
        "next_fetch_at": next_fetch if next_fetch is not None else outcome.retry_at,
    }
    if outcome.status in OK_STATUSES:
        values.update(last_success_at=now, consecutive_errors=0)
        if outcome.status != "not_modified":
            # Keep old validators when the server stops sending them only if it answered 304.
            values.update(items_last_fetch=outcome.items_found, etag=outcome.etag, last_modified=outcome.last_modified)
    else:
        values.update(
            consecutive_errors=table.c.consecutive_errors + 1,
            error_count=table.c.error_count + 1,
            last_error=outcome.error,
            last_error_at=now,
        )
    row = (
        session.connection()
        .execute(
            table.update()
            .where(table.c.id == source_id)
            .values(**values)
            .returning(table.c.name, table.c.last_fetch_at, table.c.next_fetch_at, table.c.consecutive_errors)
        )
        .one()
    )
    return PollState(row[0], row[1], row[2], row[3])


def after_poll(outcome: FetchOutcome, consecutive_errors: int) -> int:
    """Failures in a row after ``outcome``, given the count before it."""
    return 0 if outcome.status in OK_STATUSES else consecutive_errors + 1


@dataclass(frozen=True)
class PollPrepared:
    """What a poll needs from the archive before it starts."""

    source_id: int
    etag: str | None
    last_modified: str | None
    consecutive_errors: int = 0

    def after(self, outcome: FetchOutcome) -> PollPrepared:
        """What the next poll needs once ``outcome`` is recorded: the same rules as :func:`record_fetch`.

        Lets a long-running crawler keep a source's validators in memory instead of reading
        them back from the database before every poll.
        """
        etag, last_modified = self.etag, self.last_modified
        if outcome.status in OK_STATUSES and outcome.status != "not_modified":
            etag, last_modified = outcome.etag, outcome.last_modified
        return PollPrepared(self.source_id, etag, last_modified, after_poll(outcome, self.consecutive_errors))


def poll_sources(session: Session, specs: Iterable[SourceSpec]) -> dict[str, PollPrepared]:
    """Ids and validators of the sources about to be polled, syncing them first if needed.

    The common case (every source known, unchanged) is one SELECT of plain columns; a new
    or changed source goes through :func:`sync_sources`.
    """
    specs = list(specs)
    table = cast("Table", Source.__table__)
    columns = (table.c.id, table.c.name, table.c.url, table.c.type, table.c.etag, table.c.last_modified)
    rows = (
        session.connection()
        .execute(select(*columns, table.c.consecutive_errors).where(table.c.name.in_([s.name for s in specs])))
        .all()
    )
    known = {row.name: row for row in rows}
    if any(
        spec.name not in known or known[spec.name].url != spec.url or known[spec.name].type != spec.type
        for spec in specs
    ):
        synced = sync_sources(session, specs)
        return {
            name: PollPrepared(s.id, s.etag, s.last_modified, s.consecutive_errors or 0) for name, s in synced.items()
        }
    return {
        name: PollPrepared(row.id, row.etag, row.last_modified, row.consecutive_errors) for name, row in known.items()
    }


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
    median_lag: timedelta | None = None
    lag_samples: int = 0


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
    selected = list(session.scalars(query))
    lags = detection_lags(session, [s.id for s in selected], now=now)
    for source in selected:
        run = runs.get(source.id)
        lag = lags.get(source.id, [])
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
                median_lag=timedelta(seconds=statistics.median(lag)) if lag else None,
                lag_samples=len(lag),
            )
        )
    return out


def detection_lags(session: Session, source_ids: list[int], *, now: datetime) -> dict[int, list[float]]:
    """Seconds from publication to first sight, per source, for articles that appeared while watched.

    An article counts for the source that stored it first, when it has a published time
    from the page or the feed, was first seen within :data:`LAG_WINDOW`, and was published
    after the source's first poll: an archive full of last month's items on the first
    crawl says nothing about how fast we are. Small negative lags (clocks, time zones
    rounded by the outlet) count as zero; larger ones are a wrong date and are left out.
    """
    if not source_ids:
        return {}
    first_poll = dict(
        session.execute(
            select(CrawlRun.source_id, func.min(CrawlRun.started_at))
            .where(CrawlRun.source_id.in_(source_ids))
            .group_by(CrawlRun.source_id)
        ).all()
    )
    rows = session.execute(
        select(Article.source_id, Article.published_at, Article.fetched_at).where(
            Article.source_id.in_(source_ids),
            Article.fetched_at >= now - LAG_WINDOW,
            Article.published_at.is_not(None),
            Article.published_source.in_(("page", "feed")),
            Article.is_seed.is_(False),
        )
    )
    out: dict[int, list[float]] = {}
    for source_id, published, fetched in rows:
        start = first_poll.get(source_id) if source_id is not None else None
        if start is None or published is None or published < start:
            continue
        lag = (fetched - published).total_seconds()
        if lag < -MAX_CLOCK_SKEW.total_seconds():
            continue
        out.setdefault(int(source_id or 0), []).append(max(lag, 0.0))
    return out


@dataclass(frozen=True)
class PollState:
    """What the scheduler needs to plan a source's next poll (one cheap query, no counts).

    ``next_fetch`` is the earliest next poll: a server's Retry-After or Cache-Control
    max-age, or the time a previous service run planned (which carries a failing source's
    back-off over a restart). The defaults describe a source never polled.
    """

    name: str = ""
    last_fetch: datetime | None = None
    next_fetch: datetime | None = None
    consecutive_errors: int = 0


def poll_states(session: Session, names: Iterable[str]) -> dict[str, PollState]:
    """Last fetch, earliest next fetch and failures in a row of the named sources.

    Called around every poll by the service, so unlike :func:`health` it reads the
    ``sources`` rows only: its cost does not grow with the archive.
    """
    rows = session.execute(
        select(Source.name, Source.last_fetch_at, Source.next_fetch_at, Source.consecutive_errors).where(
            Source.name.in_(list(names))
        )
    )
    return {row.name: PollState(row.name, row[1], row[2], row[3]) for row in rows}


# Statuses of a poll that mean the source did not work: the dashboard's banner, the
# digest's header and its per-period trouble counts all read them from here.
FAILING_STATUSES = frozenset({"error", "blocked", "rate_limited"})


@dataclass(frozen=True)
class HealthSummary:
    """How many of the watched sources work: ``failing`` and ``unpolled`` of ``total``."""

    total: int
    failing: list[str]
    unpolled: int

    @property
    def all_unpolled(self) -> bool:
        """Whether no source has been polled yet (a fresh install before its first crawl)."""
        return self.total > 0 and self.unpolled == self.total


def health_summary(session: Session, names: Iterable[str]) -> HealthSummary:
    """Which of the sources ``names`` failed their last poll, in one query on ``sources``.

    The status is the one ``newswatch sources`` shows (the last poll's); cheap enough for
    every page of the dashboard. A name the table does not have yet was never polled.
    """
    names = list(names)
    rows = dict(session.execute(select(Source.name, Source.status).where(Source.name.in_(names))).all())
    failing = [name for name in names if rows.get(name) in FAILING_STATUSES]
    unpolled = sum(1 for name in names if rows.get(name, "new") == "new")
    return HealthSummary(len(names), failing, unpolled)
