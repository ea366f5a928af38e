"""A later report of an alerted event is recorded in the alert's history, and a material one
is delivered again (alerts.updates, alerts.group_interval), on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from crawler.analysis.events.classifier import EventResult
from crawler.ingest import AlertPolicy, IngestPlan, write
from storage.alert_updates import UpdatePolicy
from storage.db import transaction, utcnow
from storage.models import AlertUpdate, Delivery
from tests.crawler.test_ingest import CLASH, _record, _sources


def _with(casualties: dict[str, int]) -> EventResult:
    return EventResult(**{**CLASH.__dict__, "fields": {"places": ["Chaman"], "casualties": casualties}})


def _policy(**updates) -> AlertPolicy:
    return AlertPolicy(channels=["email", "webhook"], updates=UpdatePolicy(**updates))


def _write(sessions, plan: IngestPlan):
    with transaction(sessions) as session:
        return write(session, plan)


def _send_everything(sessions, when) -> None:
    with transaction(sessions) as session:
        session.execute(update(Delivery).values(status="sent", delivered_at=when, next_attempt_at=None))


def test_a_material_update_is_delivered_again_after_group_interval(sessions) -> None:
    ids = _sources(sessions)
    policy = _policy(group_interval=timedelta(minutes=30))
    first = _write(sessions, IngestPlan(_record("http://a.example/1", ids["a"]), event=CLASH, policy=policy))
    (alert_id,) = first.alert_ids
    sent_at = utcnow()
    _send_everything(sessions, sent_at)

    # Another outlet: 2 -> 5 killed (more than doubled), material.
    _write(
        sessions,
        IngestPlan(
            _record("http://b.example/2", ids["b"]),
            event=_with({"pakistan_killed": 5}),
            story_hint=first.story_id,
            policy=policy,
        ),
    )
    # A third outlet: 5 -> 6, not material; recorded, not sent.
    _write(
        sessions,
        IngestPlan(
            _record("http://c.example/3", ids["c"]),
            event=_with({"pakistan_killed": 6}),
            story_hint=first.story_id,
            policy=policy,
        ),
    )
    with sessions() as session:
        updates = session.scalars(select(AlertUpdate).order_by(AlertUpdate.id)).all()
        assert [(u.alert_id, u.material, u.delivery) for u in updates] == [
            (alert_id, True, "scheduled"),
            (alert_id, False, "recorded"),
        ]
        assert updates[0].changes == {
            "casualties": {"pakistan_killed": {"old": 2, "new": 5}},
            "outlets_added": ["b"],
        }
        assert updates[1].changes == {
            "casualties": {"pakistan_killed": {"old": 5, "new": 6}},
            "outlets_added": ["c"],
        }
        again = session.scalars(select(Delivery).where(Delivery.update_id.is_not(None))).all()
        assert sorted((d.channel, d.update_id, d.status) for d in again) == [
            ("email", updates[0].id, "pending"),
            ("webhook", updates[0].id, "pending"),
        ]
        # Spaced from the last delivery of the alert on that channel.
        assert {d.next_attempt_at for d in again} == {sent_at + timedelta(minutes=30)}


def test_updates_none_records_but_never_delivers(sessions) -> None:
    ids = _sources(sessions)
    policy = _policy(updates="none")
    first = _write(sessions, IngestPlan(_record("http://a.example/1", ids["a"]), event=CLASH, policy=policy))
    _send_everything(sessions, utcnow())
    _write(
        sessions,
        IngestPlan(
            _record("http://b.example/2", ids["b"]),
            event=_with({"pakistan_killed": 40}),
            story_hint=first.story_id,
            policy=policy,
        ),
    )
    with sessions() as session:
        (recorded,) = session.scalars(select(AlertUpdate)).all()
        assert (recorded.material, recorded.delivery) == (True, "recorded")
        assert session.scalars(select(Delivery).where(Delivery.update_id.is_not(None))).all() == []


def test_an_update_before_the_first_send_is_folded_into_it(sessions) -> None:
    ids = _sources(sessions)
    policy = _policy()
    first = _write(
        sessions,
        IngestPlan(
            _record("http://a.example/1", ids["a"]),
            event=CLASH,
            policy=AlertPolicy(channels=["email"], group_wait=timedelta(minutes=5), updates=UpdatePolicy()),
        ),
    )
    with sessions() as session:
        (held,) = session.scalars(select(Delivery)).all()
        assert held.next_attempt_at > utcnow() + timedelta(minutes=4), "group_wait holds the first delivery"
    _write(
        sessions,
        IngestPlan(
            _record("http://b.example/2", ids["b"]),
            event=_with({"pakistan_killed": 9}),
            story_hint=first.story_id,
            policy=policy,
        ),
    )
    with sessions() as session:
        (folded,) = session.scalars(select(AlertUpdate)).all()
        assert (folded.material, folded.delivery) == (True, "folded")
        assert len(session.scalars(select(Delivery)).all()) == 1
