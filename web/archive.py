"""Pages of archive rows for the API and the dashboard, on top of the storage queries.

The storage queries take a ``limit`` but (some) no offset yet, so paging is done here:
ask for ``offset + limit + 1`` rows, keep the window, and the extra row says whether a
next page exists. Offsets are capped (:data:`MAX_OFFSET`, from :mod:`core.bounds`),
which bounds that cost; deep history is reached with filters (``since``/``until``), not by
paging through everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from core.bounds import PAGE_LIMIT_MAX, PAGE_OFFSET_MAX
from storage.alerts import list_alerts
from storage.articles import SearchFilters, search
from storage.models import Alert
from storage.rows import article_row, source_rows, story_row
from storage.sources import health
from storage.stories import list_stories, reported_events, resolve

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.config import Config

MAX_LIMIT = PAGE_LIMIT_MAX
MAX_OFFSET = PAGE_OFFSET_MAX
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Page:
    """One page of rows, and whether there are more after it."""

    rows: list[dict[str, Any]]
    limit: int
    offset: int
    more: bool


def _window(rows: list[Any], limit: int, offset: int) -> tuple[list[Any], bool]:
    return rows[offset : offset + limit], len(rows) > offset + limit


@dataclass(frozen=True)
class ArticleQuery:
    """The archive search filters, as ``newswatch search`` takes them."""

    q: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    language: str | None = None
    kind: str | None = None
    story: int | None = None
    include_irrelevant: bool = False
    order: str = "newest"  # newest | relevance


def search_page(session: Session, query: ArticleQuery, *, limit: int, offset: int) -> Page:
    """Articles matching ``query`` in its order, the ``offset``-th to ``offset + limit``-th.

    Raises ``storage.query.QueryError`` for a query that cannot be read.
    """
    filters = SearchFilters(
        query=query.q or None,
        since=query.since,
        until=query.until,
        source=query.source or None,
        language=query.language or None,
        kind=query.kind or None,
        story_id=query.story,
        include_irrelevant=query.include_irrelevant,
        order="relevance" if query.order == "relevance" else "newest",
        offset=offset,
        limit=limit + 1,  # one more, to know whether there is a next page
    )
    found = search(session, filters)
    return Page([article_row(r) for r in found[:limit]], limit, offset, len(found) > limit)


def stories_page(session: Session, *, since: datetime | None, limit: int, offset: int) -> Page:
    """Stories newest first (by first-seen time), with their articles in time order."""
    found = list_stories(session, limit=offset + limit + 1, since=since)
    rows, more = _window(found, limit, offset)
    return Page([story_row(s) for s in rows], limit, offset, more)


def surviving_story(session: Session, story_id: int) -> int | None:
    """The story ``story_id`` is now (itself, or the one it was merged into); None if unknown."""
    return resolve(session, story_id)


def story_detail(session: Session, story_id: int) -> dict[str, Any] | None:
    """One story (as in the stories listing) with ``events`` (kind, subtype, date, evidence,
    fields) and ``alerts`` (as :func:`alerts_page` rows, with their updates).

    A story merged into another gives the one it was merged into.
    """
    found = list_stories(session, limit=1, story_id=story_id)
    if not found:
        return None
    story_id = found[0].id
    row = story_row(found[0])
    row["events"] = [
        {
            "kind": event.kind,
            "subtype": event.subtype,
            "event_date": event.event_date,
            "evidence": event.evidence,
            "fields": dict(event.fields or {}),
            "created_at": event.created_at,
            "updated_at": event.updated_at,
        }
        # An event folded into another counts as that one (storage.stories.reported_events).
        for event in reported_events(session, [story_id]).get(story_id, [])
    ]
    # The story's alerts with their history (what later reports changed), for the story page.
    row["alerts"] = list_alerts(session, story_id=story_id)
    return row


def alerts_page(session: Session, *, since: datetime | None, kind: str | None, limit: int, offset: int) -> Page:
    """Alerts newest first, as ``newswatch alerts --format json`` shows them."""
    found = list_alerts(session, since=since, kind=kind, limit=offset + limit + 1)
    rows, more = _window(found, limit, offset)
    return Page(rows, limit, offset, more)


def count_alerts_since(session: Session, since: datetime) -> int:
    """How many alerts were raised after ``since`` (the dashboard's "new" count)."""
    return int(session.scalar(select(func.count()).select_from(Alert).where(Alert.created_at > since)) or 0)


def sources_health(session: Session, config: Config) -> list[dict[str, Any]]:
    """Every configured source's health, in config order (reads only; never syncs the table)."""
    return source_rows(config, health(session))
