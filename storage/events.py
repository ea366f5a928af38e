"""Queries about events (what a story reports) and the facts alerting decisions rest on."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from storage.db import utcnow
from storage.models import Article, Event

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def upsert_event(
    session: Session,
    *,
    story_id: int,
    article_id: int,
    kind: str,
    subtype: str,
    event_date: date | None,
    evidence: str,
    fields: dict[str, Any],
) -> tuple[Event, bool]:
    """Record what a story reports; returns (event, created).

    A later report of an event the story already has updates it instead: higher casualty
    figures win, new places and parties are added; the first evidence sentence stays.
    """
    now = utcnow()
    when = datetime.combine(event_date, time(0, 0), tzinfo=UTC) if event_date else None
    event = session.scalar(select(Event).where(Event.story_id == story_id, Event.kind == kind))
    if event is None:
        event = Event(
            story_id=story_id,
            article_id=article_id,
            kind=kind,
            subtype=subtype,
            event_date=when,
            evidence=evidence[:2000],
            fields=fields,
            created_at=now,
            updated_at=now,
        )
        session.add(event)
        session.flush()
        return event, True
    event.fields = merge_fields(dict(event.fields or {}), fields)
    event.updated_at = now
    session.flush()
    return event, False


def merge_fields(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Combine two reports' fields: union of lists, the highest casualty counts."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list):
            merged[key] = sorted(set(merged.get(key) or []) | set(value))
        elif key == "casualties" and isinstance(value, dict):
            counts = dict(merged.get("casualties") or {})
            for side, number in value.items():
                counts[side] = max(int(counts.get(side, 0)), int(number))
            merged["casualties"] = counts
        elif key not in merged or merged[key] in (None, "", []):
            merged[key] = value
    return merged


def story_events(session: Session, story_id: int) -> list[Event]:
    """The events of a story, oldest first."""
    return list(session.scalars(select(Event).where(Event.story_id == story_id).order_by(Event.id)))


def story_has_seed(session: Session, story_id: int) -> bool:
    """Whether the story contains a seed article (its event is known to the user)."""
    return bool(
        session.scalar(select(func.count()).select_from(Article).where(Article.story_id == story_id, Article.is_seed))
    )


def independent_sources(session: Session, story_id: int) -> int:
    """Distinct outlets that reported the story themselves (syndicated copies count once)."""
    return (
        session.scalar(
            select(func.count(func.distinct(Article.source_id))).where(
                Article.story_id == story_id, Article.duplicate_of.is_(None), Article.source_id.is_not(None)
            )
        )
        or 0
    )
