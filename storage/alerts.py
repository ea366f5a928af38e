"""Queries about alerts and their deliveries: the outbox.

An alert is created once per event, in the same transaction as the article
that triggered it, together with one delivery row per configured channel (the transactional
outbox: either the article, the alert and its deliveries are all stored, or none is).
Workers then claim due deliveries, send them and mark them sent or failed.

Delivery states::

    pending --claim--> sending --mark_sent--> sent
                          |----mark_failed--> pending (retry later, exponential backoff)
                          |----mark_failed--> failed  (after max_attempts)
                          '----lease expires (worker died)--> claimable again
    pending --its alert merged into an earlier one (storage.alert_updates.fold_alerts)--> cancelled

While a delivery is ``sending``, ``next_attempt_at`` holds the end of the worker's lease;
a worker that crashes mid-send leaves the row there and it is claimed again once the lease
has passed. So each channel gets an alert at least once; the claim (a conditional UPDATE
that only one worker can win) keeps two live workers from sending the same one at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.alert_history import delivered_update, update_views
from storage.coverage import story_coverage
from storage.db import utcnow
from storage.models import Alert, Article, Delivery, Event, Source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
CANCELLED = "cancelled"

# How long a worker may hold a claimed delivery before another worker may take it over.
# Longer than any channel's timeout, so a slow but live send is not duplicated.
LEASE = timedelta(minutes=5)
BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=6)
MAX_ATTEMPTS = 12
# last_error is for people reading `newswatch alerts`, not a log archive.
MAX_ERROR_LENGTH = 1000


def create_alert(
    session: Session,
    *,
    story_id: int,
    kind: str,
    subtype: str | None,
    article_id: int | None,
    event_id: int | None,
    channels: Sequence[str],
    now: datetime | None = None,
    hold: timedelta = timedelta(0),
) -> Alert | None:
    """Create the alert of event ``event_id`` (in ``story_id``) and one pending delivery per channel.

    Runs in the caller's transaction (the outbox), inside a savepoint. Returns None, without
    error and without touching the caller's other work, when the event already has an alert,
    including one inserted concurrently by another process (the UNIQUE constraint on the
    event decides; on PostgreSQL the second insert waits for the first to commit). Without
    an event, the story's alert of this kind counts. The deliveries are due ``hold`` from
    now (``alerts.group_wait``): a report arriving meanwhile is in the alert when it is sent,
    since it is rendered at send time.
    """
    now = now or utcnow()
    same = Alert.event_id == event_id if event_id is not None else (Alert.story_id == story_id) & (Alert.kind == kind)
    exists = session.scalar(select(Alert.id).where(same))
    if exists is not None:
        return None
    try:
        with session.begin_nested():
            alert = Alert(
                story_id=story_id,
                kind=kind,
                subtype=subtype,
                article_id=article_id,
                event_id=event_id,
                created_at=now,
            )
            session.add(alert)
            session.flush()
            for channel in dict.fromkeys(channels):
                session.add(
                    Delivery(alert_id=alert.id, channel=channel, status=PENDING, attempts=0, next_attempt_at=now + hold)
                )
            session.flush()
    except IntegrityError:
        return None
    return alert


# --- reading ---------------------------------------------------------------------------


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    """Seconds from ``start`` to ``end``, when both are known."""
    if start is None or end is None:
        return None
    return round((end - start).total_seconds(), 1)


def _views(session: Session, alerts: Sequence[Alert]) -> list[dict[str, Any]]:
    """The JSON-ready view of each alert, with a fixed number of queries for the batch."""
    if not alerts:
        return []
    story_ids = sorted({a.story_id for a in alerts})
    alert_ids = [a.id for a in alerts]

    triggers: dict[int, tuple[Article, str | None]] = {}
    article_ids = sorted({a.article_id for a in alerts if a.article_id is not None})
    if article_ids:
        for article, source_name in session.execute(
            select(Article, Source.name)
            .outerjoin(Source, Source.id == Article.source_id)
            .where(Article.id.in_(article_ids))
        ):
            triggers[article.id] = (article, source_name)

    events_by_id: dict[int, Event] = {}
    events_by_story: dict[tuple[int, str], Event] = {}
    for event in session.scalars(
        select(Event).where(Event.story_id.in_(story_ids), Event.merged_into.is_(None)).order_by(Event.id)
    ):
        events_by_id[event.id] = event
        events_by_story[(event.story_id, event.kind)] = event

    urls: dict[int, list[str]] = {}
    for story_id, url in session.execute(
        select(Article.story_id, Article.url)
        .where(Article.story_id.in_(story_ids))
        .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
    ):
        urls.setdefault(int(story_id or 0), []).append(url)

    coverage = story_coverage(session, story_ids)

    deliveries: dict[int, list[dict[str, Any]]] = {}
    for delivery in session.scalars(
        select(Delivery).where(Delivery.alert_id.in_(alert_ids)).order_by(Delivery.channel, Delivery.id)
    ):
        deliveries.setdefault(delivery.alert_id, []).append(
            {
                "channel": delivery.channel,
                "update_id": delivery.update_id,
                "status": delivery.status,
                "attempts": delivery.attempts,
                "last_error": delivery.last_error,
                "delivered_at": delivery.delivered_at,
            }
        )

    history = update_views(session, alert_ids)
    views = []
    for alert in alerts:
        updates = history.get(alert.id, [])
        trigger = triggers.get(alert.article_id or -1)
        trigger_article = trigger[0] if trigger else None
        trigger_source = trigger[1] if trigger else None
        published = trigger_article.published_at if trigger_article else None
        sends = [{**d, "lag_s": _seconds(published, d["delivered_at"])} for d in deliveries.get(alert.id, [])]
        found = events_by_id.get(alert.event_id or -1) or events_by_story.get((alert.story_id, alert.kind))
        covered = coverage[alert.story_id]
        first = covered.first
        views.append(
            {
                "id": alert.id,
                "kind": alert.kind,
                "subtype": alert.subtype,
                "story_id": alert.story_id,
                "title": trigger_article.title if trigger_article else None,
                "url": trigger_article.url if trigger_article else None,
                "source": trigger_source,
                "published": trigger_article.published_at if trigger_article else None,
                "created_at": alert.created_at,
                # Set when the alert's event turned out to be an earlier alert's: that alert
                # (this one is an update of it; its unsent deliveries were cancelled).
                "merged_into": alert.merged_into,
                "articles": urls.get(alert.story_id, []),
                # Outlets of the independent reports; syndicated copies counted apart.
                "outlets": list(covered.outlets),
                "copies": covered.copies,
                "coverage": covered.text(),
                # The outlet that published first (by published time), not the triggering one.
                "first_report": {
                    "source": first.source,
                    "url": first.url,
                    "title": first.title,
                    "published": first.published,
                }
                if first
                else None,
                "evidence": found.evidence if found else None,
                "fields": dict(found.fields or {}) if found else {},
                # Detection lag: from the triggering article's published time to the alert,
                # and (per delivery) to its delivery.
                "detection_lag_s": _seconds(published, alert.created_at),
                "deliveries": sends,
                # The alert's history (storage.alert_updates), oldest first, and its last time.
                "updates": updates,
                "updated_at": updates[-1]["created_at"] if updates else None,
            }
        )
    return views


def alert_view(session: Session, alert_id: int, update_id: int | None = None) -> dict[str, Any]:
    """One alert as the CLI, the webhook and the templates see it.

    Keys: id, kind, subtype, story_id, title, url, source, published (of the triggering
    article), created_at, merged_into (the earlier alert of the same event this one was
    folded into, or None), articles (URLs of the story's articles in time order, duplicates
    included), outlets (of its independent reports), copies (syndicated copies), coverage
    (``3 articles from 2 outlets, +1 copy``), first_report (source, url, title, published
    of the story's earliest article by published time), evidence and fields (of the event),
    deliveries (channel, update_id, status, attempts, last_error, delivered_at), updates
    (its history, :func:`storage.alert_history.update_views`) and updated_at. Times are
    aware datetimes. With ``update_id`` (a delivery of an update), also ``update``: what
    that delivery tells (:func:`storage.alert_history.delivered_update`). Raises
    ``LookupError`` for an unknown id.
    """
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise LookupError(f"no alert with id {alert_id}")
    view = _views(session, [alert])[0]
    if update_id is not None:
        view["update"] = delivered_update(session, alert_id, update_id)
    return view


def list_alerts(
    session: Session,
    *,
    since: datetime | None = None,
    kind: str | None = None,
    limit: int = 100,
    story_id: int | None = None,
) -> list[dict[str, Any]]:
    """Alerts newest first (by creation time), as :func:`alert_view` dicts; or one story's."""
    query = select(Alert).order_by(Alert.created_at.desc(), Alert.id.desc()).limit(limit)
    if story_id is not None:
        query = query.where(Alert.story_id == story_id)
    if since is not None:
        query = query.where(Alert.created_at >= since)
    if kind is not None:
        query = query.where(Alert.kind == kind)
    return _views(session, list(session.scalars(query)))


# --- delivering ------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDelivery:
    """A delivery a worker may try: which alert, which channel, attempts so far."""

    id: int
    alert_id: int
    channel: str
    attempts: int
    # Set for the delivery of an update of the alert (storage.alert_updates), None for the alert.
    update_id: int | None = None


def _due(now: datetime) -> Any:
    # A pending delivery whose time has come, or one whose sender's lease ran out.
    return (Delivery.status.in_((PENDING, SENDING))) & (
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now)
    )


def due_deliveries(session: Session, now: datetime, limit: int = 100) -> list[DueDelivery]:
    """Deliveries that may be attempted at ``now``, oldest due first.

    Reading them does not reserve them: call :func:`claim_delivery` before sending.
    """
    rows = session.scalars(
        select(Delivery).where(_due(now)).order_by(Delivery.next_attempt_at, Delivery.id).limit(limit)
    )
    return [DueDelivery(d.id, d.alert_id, d.channel, d.attempts, d.update_id) for d in rows]


def claim_delivery(
    session: Session, delivery_id: int, now: datetime, *, lease: timedelta = LEASE
) -> DueDelivery | None:
    """Reserve a due delivery for one worker until ``now + lease``; None if someone else has it.

    One conditional UPDATE: on PostgreSQL a concurrent claimer waits for the row lock and
    then re-checks the condition (READ COMMITTED), on SQLite writers are serialised, so
    exactly one claimer wins either way. Counts the attempt now, so a delivery that kills
    its worker every time still runs out of attempts. Commit right after claiming: make
    this the first statement of a short transaction (on SQLite a transaction that read
    before writing cannot take the write lock once another writer committed).
    """
    row = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, _due(now))
        .values(status=SENDING, next_attempt_at=now + lease, attempts=Delivery.attempts + 1)
        .returning(Delivery.alert_id, Delivery.channel, Delivery.attempts, Delivery.update_id)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        return None
    return DueDelivery(delivery_id, row.alert_id, row.channel, row.attempts, row.update_id)


def mark_sent(session: Session, delivery_id: int, now: datetime) -> bool:
    """Record a successful send. False if the delivery was not being sent (nothing changed)."""
    result = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status.in_((PENDING, SENDING)))
        .values(status=SENT, delivered_at=now, next_attempt_at=None, last_error=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def backoff(attempts: int, *, base: timedelta = BACKOFF_BASE, cap: timedelta = BACKOFF_CAP) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: base, 2×base, 4×base, ... up to cap."""
    exponent = min(max(attempts - 1, 0), 30)  # 2**30 minutes is past any cap; avoids huge ints
    return min(base * (2**exponent), cap)


def mark_failed(
    session: Session,
    delivery_id: int,
    error: str,
    now: datetime,
    *,
    base: timedelta = BACKOFF_BASE,
    cap: timedelta = BACKOFF_CAP,
    max_attempts: int = MAX_ATTEMPTS,
) -> str | None:
    """Record a failed send: retry after an exponential backoff, or give up after ``max_attempts``.

    ``attempts`` was counted when the delivery was claimed. Returns the new status
    (``pending`` or ``failed``), or None if the delivery was not being sent (for instance a
    worker whose lease ran out, after another worker already sent it).
    """
    # Write first (the conditional UPDATE takes the row or database lock), then decide.
    attempts = session.scalar(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status.in_((PENDING, SENDING)))
        .values(last_error=error[:MAX_ERROR_LENGTH])
        .returning(Delivery.attempts)
        .execution_options(synchronize_session=False)
    )
    if attempts is None:
        return None
    attempts = max(attempts, 1)  # a delivery failed without a claim still counts one attempt
    if attempts >= max_attempts:
        status, next_attempt = FAILED, None
    else:
        status, next_attempt = PENDING, now + backoff(attempts, base=base, cap=cap)
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(status=status, attempts=attempts, next_attempt_at=next_attempt)
        .execution_options(synchronize_session=False)
    )
    return status
