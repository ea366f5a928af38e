"""An alert's history: what later reports changed about an alerted event, and what is sent again.

An alert is raised once per event; a later report of the same event (another outlet, a
higher casualty figure, a later subtype such as talks "ended without agreement" →
"collapsed") is an *update* of it, recorded in ``alert_updates``. Whether an update is
delivered again follows Alertmanager's grouping (``group_interval``) and PagerDuty's alert
log (a trigger for an open incident is appended, not paged):

* ``alerts.updates: none``: updates are recorded and shown, never sent.
* ``alerts.updates: material`` (default): a *material* update (the subtype changed, or a
  casualty figure was stated for the first time or at least doubled) is sent again to the
  alert's channels, as deliveries tagged with the update, no sooner than
  ``alerts.group_interval`` after that channel's last delivery of the alert. A channel that
  still has an unsent delivery of the alert (the alert itself, held by ``group_wait``, or an
  earlier update held by ``group_interval``) gets nothing new: that delivery is rendered at
  send time and so carries this change too.

A delivered update says everything that changed since the alert's previous delivered
update, in one line (:func:`storage.alert_history.describe`): ``subtype ended without agreement -> talks
collapsed; casualties Pakistan 12 -> 31 killed; 3 more outlets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select

from storage.alert_history import merge_changes
from storage.db import utcnow
from storage.models import Alert, AlertUpdate, Article, Delivery, Event, Source

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.orm import Session

UPDATES_NONE = "none"
UPDATES_MATERIAL = "material"
UPDATE_MODES = (UPDATES_NONE, UPDATES_MATERIAL)

# A delivery of an alert merged into an earlier one before it was sent (storage.alerts).
CANCELLED = "cancelled"

# What became of an update (alert_updates.delivery).
RECORDED = "recorded"
SCHEDULED = "scheduled"
FOLDED = "folded"

# A figure at least this many times the one already alerted is news again.
MATERIAL_FACTOR = 2


@dataclass(frozen=True)
class UpdatePolicy:
    """Which updates are delivered again, and how far apart (``alerts.updates``, ``alerts.group_interval``)."""

    updates: str = UPDATES_MATERIAL
    group_interval: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class EventChange:
    """What one report changed about an alerted event."""

    article_id: int | None
    subtype: tuple[str | None, str | None] | None = None
    casualties: dict[str, tuple[int, int]] = field(default_factory=dict)
    outlets_added: tuple[str, ...] = ()
    # Alerts of the same event raised apart, found to be this one's (storage.alert_updates.fold_alerts).
    merged_alerts: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.subtype or self.casualties or self.outlets_added or self.merged_alerts)

    @property
    def material(self) -> bool:
        """A subtype change, or a casualty figure stated for the first time or at least doubled."""
        if self.subtype is not None and self.subtype[0] != self.subtype[1]:
            return True
        return any(is_material_figure(old, new) for old, new in self.casualties.values())

    def as_json(self) -> dict[str, Any]:
        """The stored ``changes``: only what changed, ``{"old": .., "new": ..}`` per value."""
        out: dict[str, Any] = {}
        if self.subtype is not None:
            out["subtype"] = {"old": self.subtype[0], "new": self.subtype[1]}
        if self.casualties:
            out["casualties"] = {k: {"old": old, "new": new} for k, (old, new) in sorted(self.casualties.items())}
        if self.outlets_added:
            out["outlets_added"] = sorted(self.outlets_added)
        if self.merged_alerts:
            out["merged_alerts"] = sorted(self.merged_alerts)
        return out


def is_material_figure(old: int, new: int) -> bool:
    """A casualty figure worth telling again: the first one stated, or at least double the old."""
    if new <= 0:
        return False
    return old <= 0 or new >= MATERIAL_FACTOR * old


def _figures(fields: Mapping[str, Any] | None) -> dict[str, int]:
    raw = (fields or {}).get("casualties") or {}
    out = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            try:
                out[str(key)] = int(value)
            except (TypeError, ValueError):
                continue
    return out


# --- recording (the ingest path) --------------------------------------------------------


class ReportedChange(Protocol):
    """What a report changed in an event, before and after (the ingest path's update of it)."""

    @property
    def event_id(self) -> int: ...

    @property
    def old_subtype(self) -> str | None: ...

    @property
    def new_subtype(self) -> str | None: ...

    @property
    def old_casualties(self) -> dict[str, int]: ...

    @property
    def new_casualties(self) -> dict[str, int]: ...


@dataclass(frozen=True)
class EventState:
    """An event as it stood before a report updated it (read by :func:`prior_state`)."""

    event_id: int
    subtype: str | None
    casualties: dict[str, int]


@dataclass(frozen=True)
class _Updated:
    """A :class:`ReportedChange` from an :class:`EventState` and the event after the update."""

    event_id: int
    old_subtype: str | None
    new_subtype: str | None
    old_casualties: dict[str, int]
    new_casualties: dict[str, int]


def _alert_of(session: Session, event: Event) -> Alert | None:
    # The alert raised for this event; an alert stored without its event id is the story's of this kind.
    found = session.scalar(select(Alert).where(Alert.event_id == event.id))
    if found is None:
        found = session.scalar(
            select(Alert).where(Alert.story_id == event.story_id, Alert.kind == event.kind, Alert.event_id.is_(None))
        )
    return found


def prior_state(session: Session, story_id: int, kind: str) -> EventState | None:
    """The event of ``story_id``/``kind`` as it stands, when it has alerted; else None.

    Read before a report updates the event, so :func:`note_event_update` can tell what the
    report changed.
    """
    event = session.scalar(select(Event).where(Event.story_id == story_id, Event.kind == kind))
    if event is None or _alert_of(session, event) is None:
        return None
    return EventState(event.id, event.subtype, _figures(event.fields))


def _new_outlet(session: Session, story_id: int, article_id: int) -> str | None:
    """The article's outlet, if no other independent report of the story came from it."""
    row = session.execute(
        select(Article.source_id, Article.duplicate_of, Source.name)
        .join(Source, Source.id == Article.source_id)
        .where(Article.id == article_id)
    ).first()
    if row is None or row.duplicate_of is not None:
        return None  # a syndicated copy is not another outlet's report
    seen = session.scalar(
        select(Article.id).where(
            Article.story_id == story_id,
            Article.id != article_id,
            Article.source_id == row.source_id,
            Article.duplicate_of.is_(None),
        )
    )
    return None if seen is not None else str(row.name)


def note_event_update(
    session: Session,
    prior: EventState | None,
    event: Event,
    *,
    article_id: int,
    policy: UpdatePolicy,
    now: datetime | None = None,
) -> AlertUpdate | None:
    """Record what a report changed about an alerted event (``prior`` from :func:`prior_state`)."""
    if prior is None:
        return None
    after = _Updated(event.id, prior.subtype, event.subtype, prior.casualties, _figures(event.fields))
    return note_change(session, after, article_id=article_id, policy=policy, now=now)


def note_change(
    session: Session,
    reported: ReportedChange,
    *,
    article_id: int,
    policy: UpdatePolicy,
    now: datetime | None = None,
) -> AlertUpdate | None:
    """Record in its alert's history what a report changed about an event, if it has alerted.

    The hook the ingest path calls after updating an event. Nothing for an event without an
    alert or a report that changed nothing a reader would see.
    """
    event = session.get(Event, reported.event_id)
    alert = _alert_of(session, event) if event is not None else None
    if event is None or alert is None:
        return None
    old = reported.old_casualties
    casualties = {k: (old.get(k, 0), new) for k, new in reported.new_casualties.items() if new > old.get(k, 0)}
    outlet = _new_outlet(session, event.story_id, article_id)
    change = EventChange(
        article_id=article_id,
        subtype=(reported.old_subtype, reported.new_subtype) if reported.new_subtype != reported.old_subtype else None,
        casualties=casualties,
        outlets_added=(outlet,) if outlet else (),
    )
    if not change:
        return None
    return record_update(session, alert, change, policy, now=now)


def state_of(event: Event) -> EventState:
    """What an event shows now (subtype, casualty figures): read before a fold changes it."""
    return EventState(event.id, event.subtype, _figures(event.fields))


def fold_alerts(
    session: Session,
    survivor: Event,
    absorbed: Event,
    before: Mapping[int, EventState],
    *,
    article_id: int | None,
    policy: UpdatePolicy,
    now: datetime | None = None,
) -> AlertUpdate | None:
    """After :func:`storage.events.fold_event`: one alert for the folded event, its history told.

    ``before`` holds the two events' states read before the fold. The alert that stays is
    the one raised first (by time, then id); it ends on the survivor and its story, and its
    history records what the fold changed about the event it told (a later subtype, higher
    figures) and, when the other event had alerted too, that alert's id (``merged_alerts``).
    That later alert keeps its row with ``merged_into`` set, and its unsent deliveries are
    cancelled: nobody is told the event twice. A delivery already being sent cannot be
    recalled. ``article_id`` is the report that tied the two (None for the merge pass).
    """
    found = {
        alert.event_id: alert
        for alert in session.scalars(select(Alert).where(Alert.event_id.in_((survivor.id, absorbed.id))))
    }
    alerts = sorted(found.values(), key=lambda a: (a.created_at, a.id))
    if not alerts:
        return None
    keeper, later = alerts[0], alerts[1] if len(alerts) > 1 else None
    told = before.get(keeper.event_id or survivor.id) or state_of(survivor)
    if keeper.event_id != survivor.id:
        # The survivor's alert is the one its later reports update (unique per event): swap.
        if later is not None:
            later.event_id = None
            session.flush()
        keeper.event_id, keeper.story_id = survivor.id, survivor.story_id
        session.flush()
        if later is not None:
            later.event_id = absorbed.id
    keeper.story_id = survivor.story_id
    merged: tuple[int, ...] = ()
    if later is not None:
        later.merged_into = keeper.id
        later.story_id = survivor.story_id
        merged = (later.id,)
        session.flush()
        # Alerts merged into the later one before now point at the one that stays.
        for earlier in session.scalars(select(Alert).where(Alert.merged_into == later.id)):
            earlier.merged_into = keeper.id
        for delivery in session.scalars(
            select(Delivery).where(Delivery.alert_id == later.id, Delivery.status == "pending")
        ):
            delivery.status = CANCELLED
            delivery.next_attempt_at = None
    new = state_of(survivor)
    casualties = {k: (told.casualties.get(k, 0), n) for k, n in new.casualties.items() if n > told.casualties.get(k, 0)}
    change = EventChange(
        article_id=article_id,
        subtype=(told.subtype, new.subtype) if new.subtype != told.subtype else None,
        casualties=casualties,
        merged_alerts=merged,
    )
    session.flush()
    if not change:
        return None
    return record_update(session, keeper, change, policy, now=now)


def record_update(
    session: Session, alert: Alert, change: EventChange, policy: UpdatePolicy, *, now: datetime | None = None
) -> AlertUpdate:
    """Append ``change`` to the alert's history and, when it is material and the policy says
    so, schedule its delivery on each of the alert's channels (see the module docstring).

    Runs in the caller's transaction, like the alert itself (the outbox).
    """
    now = now or utcnow()
    update = _entry_of_report(session, alert, change)
    if update is None:
        update = AlertUpdate(
            alert_id=alert.id,
            article_id=change.article_id,
            created_at=now,
            changes=change.as_json(),
            material=change.material,
            delivery=RECORDED,
        )
        session.add(update)
    else:
        # One report, one entry: a report that tied two events recorded the fold, then its own change.
        update.changes = merge_changes([dict(update.changes or {}), change.as_json()])
        update.material = bool(update.material or change.material)
    if change.subtype is not None and change.subtype[1]:
        # The alert tells what the event is now ("talks collapsed"); its history keeps the old.
        alert.subtype = change.subtype[1]
    session.flush()
    if update.delivery == SCHEDULED or not (update.material and policy.updates == UPDATES_MATERIAL):
        return update
    by_channel: dict[str, list[Delivery]] = {}
    for delivery in session.scalars(select(Delivery).where(Delivery.alert_id == alert.id).order_by(Delivery.id)):
        by_channel.setdefault(delivery.channel, []).append(delivery)
    scheduled = False
    for channel, deliveries in by_channel.items():
        if any(d.status == "pending" for d in deliveries):
            continue  # an unsent delivery is rendered at send time: it carries this change
        last = max((t for d in deliveries if (t := _last_sent(d, now)) is not None), default=None)
        due = now if last is None else max(now, last + policy.group_interval)
        session.add(
            Delivery(
                alert_id=alert.id,
                channel=channel,
                update_id=update.id,
                status="pending",
                attempts=0,
                next_attempt_at=due,
            )
        )
        scheduled = True
    if by_channel:  # an alert without channels has nothing to send or fold into
        update.delivery = SCHEDULED if scheduled else FOLDED
    session.flush()
    return update


def _entry_of_report(session: Session, alert: Alert, change: EventChange) -> AlertUpdate | None:
    """The entry the same report already wrote in this alert's history, if any and not yet told.

    None for the merge pass (no report), and when a delivery of that entry has left: what
    was sent stays as it was sent.
    """
    if change.article_id is None:
        return None
    entry = session.scalar(
        select(AlertUpdate)
        .where(AlertUpdate.alert_id == alert.id, AlertUpdate.article_id == change.article_id)
        .order_by(AlertUpdate.id.desc())
        .limit(1)
    )
    if entry is None:
        return None
    told = session.scalar(
        select(Delivery.id).where(Delivery.update_id == entry.id, Delivery.status != "pending").limit(1)
    )
    return entry if told is None else None


def _last_sent(delivery: Delivery, now: datetime) -> datetime | None:
    # A delivery being sent right now counts as sent now: the next one waits group_interval.
    if delivery.status == "sending":
        return now
    return delivery.delivered_at
