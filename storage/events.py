"""Queries about events (what a story reports) and the facts alerting decisions rest on.

Which stored event a report tells is decided by :mod:`crawler.analysis.events.identity`;
this module finds the candidates, records new events, folds later reports in (returning an
:class:`EventChange`) and folds an event found twice into the older one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update

from storage.db import utcnow
from storage.models import Alert, Article, Event

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class EventChange:
    """What a later report changed in an event (for the alert's update history)."""

    event_id: int
    created: bool
    old_subtype: str | None = None
    new_subtype: str | None = None
    old_casualties: dict[str, int] = field(default_factory=dict)
    new_casualties: dict[str, int] = field(default_factory=dict)
    old_outlets: int = 0
    new_outlets: int = 0

    @property
    def changed(self) -> bool:
        """Whether the report changed anything a reader sees (subtype, figures, outlets)."""
        return (
            self.old_subtype != self.new_subtype
            or self.old_casualties != self.new_casualties
            or self.old_outlets != self.new_outlets
        )


def _day(value: date | None) -> datetime | None:
    return datetime.combine(value, time(0, 0), tzinfo=UTC) if value else None


def create_event(
    session: Session,
    *,
    story_id: int,
    article_id: int,
    kind: str,
    subtype: str,
    event_date: date | None,
    evidence: str,
    fields: dict[str, Any],
    signature: dict[str, Any] | None = None,
) -> Event:
    """Record a new event, first reported by ``article_id`` in ``story_id``."""
    now = utcnow()
    event = Event(
        story_id=story_id,
        article_id=article_id,
        kind=kind,
        subtype=subtype,
        event_date=_day(event_date),
        evidence=evidence[:2000],
        fields=fields,
        signature=signature,
        created_at=now,
        updated_at=now,
    )
    session.add(event)
    session.flush()
    return event


def update_event(
    session: Session,
    event: Event,
    *,
    subtype: str | None,
    event_date: date | None,
    fields: dict[str, Any],
    signature: dict[str, Any] | None,
    outlets: tuple[int, int] = (0, 0),
) -> EventChange:
    """Fold a later report into ``event``: fields merged, the later subtype, the wider signature.

    The first evidence sentence and the first report stay. Returns what changed; ``outlets``
    are the caller's counts of the event's outlets before and after the report.
    """
    old_subtype, old_casualties = event.subtype, dict(_casualties(event.fields))
    event.fields = merge_fields(dict(event.fields or {}), fields)
    if subtype is not None:
        event.subtype = subtype
    if signature is not None:
        event.signature = signature
    day = _day(event_date)
    if day is not None and (event.event_date is None or day < event.event_date):
        event.event_date = day
    event.updated_at = utcnow()
    session.flush()
    return EventChange(
        event_id=event.id,
        created=False,
        old_subtype=old_subtype,
        new_subtype=event.subtype,
        old_casualties=old_casualties,
        new_casualties=dict(_casualties(event.fields)),
        old_outlets=outlets[0],
        new_outlets=outlets[1],
    )


def _casualties(fields: dict[str, Any] | None) -> dict[str, int]:
    counts = (fields or {}).get("casualties") or {}
    return {str(k): int(v) for k, v in counts.items()} if isinstance(counts, dict) else {}


def candidates(session: Session, kind: str, first: date, last: date, window: timedelta) -> list[Event]:
    """Live events of ``kind`` that may be the one a report dated ``first``..``last`` tells.

    Wide on purpose (an event's stored date is its first report's; its reports may run later):
    the identity match decides.
    """
    low = _day(first - window - timedelta(days=14))
    high = _day(last + window)
    return list(
        session.scalars(
            select(Event)
            .where(
                Event.kind == kind,
                Event.merged_into.is_(None),
                Event.event_date.is_not(None),
                Event.event_date >= low,
                Event.event_date <= high,
            )
            .order_by(Event.id)
        )
    )


def active_events(session: Session, since: datetime) -> list[Event]:
    """Live events updated since ``since``, oldest first (for the merge pass)."""
    return list(
        session.scalars(select(Event).where(Event.merged_into.is_(None), Event.updated_at >= since).order_by(Event.id))
    )


def fold_event(
    session: Session,
    survivor: Event,
    absorbed: Event,
    signature: dict[str, Any] | None,
    *,
    subtype: str | None = None,
) -> None:
    """Make ``absorbed`` a report of ``survivor`` (the same event found twice).

    Its fields fold into the survivor's and the survivor shows ``subtype`` (the caller's
    later step of the two, :func:`crawler.analysis.events.identity.later_subtype`); it keeps
    its row, ``merged_into`` the survivor. The alerts of the two are the caller's to fold
    (:func:`storage.alert_updates.fold_alerts`), with the states read before this call.
    """
    survivor.fields = merge_fields(dict(survivor.fields or {}), dict(absorbed.fields or {}))
    if subtype is not None:
        survivor.subtype = subtype
    if signature is not None:
        survivor.signature = signature
    if absorbed.event_date is not None and (survivor.event_date is None or absorbed.event_date < survivor.event_date):
        survivor.event_date = absorbed.event_date
    survivor.updated_at = utcnow()
    absorbed.merged_into = survivor.id
    session.flush()
    session.execute(
        update(Event)
        .where(Event.merged_into == absorbed.id)
        .values(merged_into=survivor.id)
        .execution_options(synchronize_session=False)
    )


def event_alerted(session: Session, event_id: int) -> bool:
    """Whether the event (or one found to be it) has alerted."""
    merged = select(Event.id).where(Event.merged_into == event_id)
    return (
        session.scalar(
            select(func.count()).select_from(Alert).where(or_(Alert.event_id == event_id, Alert.event_id.in_(merged)))
        )
        or 0
    ) > 0


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
    """The events of a story, oldest first (events merged into another left out)."""
    return list(
        session.scalars(select(Event).where(Event.story_id == story_id, Event.merged_into.is_(None)).order_by(Event.id))
    )


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
