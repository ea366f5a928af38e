"""The alert outbox: one alert per event, its view, claiming and retrying deliveries."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, event, func, select, text

from storage.alerts import (
    LEASE,
    alert_view,
    backoff,
    claim_delivery,
    create_alert,
    due_deliveries,
    list_alerts,
    mark_failed,
    mark_sent,
)
from storage.db import transaction
from storage.models import Alert, Delivery, Source
from tests.alertdata import make_alert

NOW = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)


def _story_and_event(sessions, channels=("email",)):
    with transaction(sessions) as session:
        alert_id = make_alert(session, channels=list(channels), created_at=NOW)
        alert = session.get_one(Alert, alert_id)
        return alert.story_id, alert.event_id, alert.article_id, alert_id


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_create_alert_once_per_story_and_kind(sessions):
    story_id, event_id, article_id, first = _story_and_event(sessions, channels=["email", "webhook"])
    with transaction(sessions) as session:
        again = create_alert(
            session,
            story_id=story_id,
            kind="talks_outcome",
            subtype="ceasefire_extended",
            article_id=article_id,
            event_id=event_id,
            channels=["email", "webhook"],
        )
        assert again is None
        # The caller's transaction goes on (the pipeline stores its article in it).
        session.add(Source(name="later", type="feed", url="https://later.example/", created_at=NOW))
        other = create_alert(
            session,
            story_id=story_id,
            kind="new_clash",
            subtype="border_clash",
            article_id=article_id,
            event_id=None,
            channels=["email", "email"],
        )
        assert other is not None and other.id != first
    with transaction(sessions) as session:
        assert _count(session, Alert) == 2
        assert _count(session, Delivery) == 3  # 2 for the first alert, 1 (deduplicated) for the second
        assert session.scalar(select(Source.id).where(Source.name == "later")) is not None
        deliveries = session.scalars(select(Delivery).where(Delivery.alert_id == first)).all()
        assert {(d.channel, d.status, d.attempts) for d in deliveries} == {
            ("email", "pending", 0),
            ("webhook", "pending", 0),
        }
        assert all(d.next_attempt_at == NOW for d in deliveries)


def _second_writer_blocked(engine: Engine) -> bool:
    """PostgreSQL: some backend waits for a lock (the second insert, on our uncommitted row)."""
    with engine.connect() as connection:
        return bool(connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")))


def test_concurrent_create_alert_gives_one_alert(engine, sessions):
    story_id, event_id, article_id, _ = _story_and_event(sessions)
    with transaction(sessions) as session:
        session.execute(Alert.__table__.delete())
    args = {
        "story_id": story_id,
        "kind": "talks_outcome",
        "subtype": "agreement",
        "article_id": article_id,
        "event_id": event_id,
        "channels": ["email"],
    }
    results = {}
    second: dict[str, int] = {}  # the second writer's thread id
    inserting = threading.Event()  # the second writer passed its "already there?" check

    def on_execute(conn, cursor, statement, parameters, context, executemany) -> None:
        is_insert = statement.lstrip().upper().startswith("INSERT INTO ALERTS")
        if is_insert and threading.get_ident() == second.get("thread"):
            inserting.set()

    def second_writer() -> None:
        second["thread"] = threading.get_ident()
        try:
            with transaction(sessions) as session:
                results["second"] = create_alert(session, **args)
        except Exception as exc:  # reported by the assertions below
            results["error"] = exc

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        with transaction(sessions) as session:
            # As in the pipeline, the alert joins a transaction that has written already. (On
            # SQLite, pysqlite begins the transaction at the first INSERT: a savepoint taken
            # before any would start and, released, commit it, so there would be no race.)
            session.add(Source(name="first", type="feed", url="https://first.example/", created_at=NOW))
            session.flush()
            results["first"] = create_alert(session, **args)
            thread = threading.Thread(target=second_writer)
            thread.start()
            # Keep our row uncommitted until the second writer found no alert and went on to
            # insert its own: it must meet the conflict, not our committed row.
            assert inserting.wait(30), "the second writer never tried to insert"
            if engine.dialect.name == "postgresql":
                # ... and until its insert waits on our row (SQLite: it waits on the write lock).
                deadline = time.monotonic() + 30
                while not _second_writer_blocked(engine):
                    assert time.monotonic() < deadline, "the second insert never waited for the first"
                    time.sleep(0.01)
        thread.join(timeout=30)
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert "error" not in results, results.get("error")
    assert results["first"] is not None
    assert results["second"] is None
    with transaction(sessions) as session:
        assert _count(session, Alert) == 1
        assert _count(session, Delivery) == 1


def test_alert_view_has_the_story_and_event(sessions):
    with transaction(sessions) as session:
        alert_id = make_alert(session, channels=["email"], created_at=NOW)
    with transaction(sessions) as session:
        view = alert_view(session, alert_id)
    assert view["id"] == alert_id
    assert (view["kind"], view["subtype"]) == ("talks_outcome", "agreement")
    assert view["title"] == "Pakistan and Afghanistan agree to extend ceasefire"
    assert view["url"] == "https://news.example/a/0"
    assert view["source"] == "dawn"
    assert view["published"] == datetime(2025, 11, 7, 9, 0, tzinfo=UTC)
    assert view["created_at"] == NOW
    # Time order, the duplicate (published at +10 min) included.
    assert view["articles"] == ["https://news.example/a/0", "https://news.example/a/2", "https://news.example/a/1"]
    assert view["outlets"] == ["dawn", "geo"]
    assert view["evidence"].startswith("Both sides agreed")
    assert view["fields"]["places"] == ["Istanbul"]
    assert view["deliveries"] == [
        {
            "channel": "email",
            "update_id": None,
            "status": "pending",
            "attempts": 0,
            "last_error": None,
            "delivered_at": None,
            "lag_s": None,
        }
    ]
    assert view["detection_lag_s"] == (NOW - datetime(2025, 11, 7, 9, 0, tzinfo=UTC)).total_seconds()
    assert (view["updates"], view["updated_at"]) == ([], None)


def test_list_alerts_newest_first_with_filters(sessions):
    with transaction(sessions) as session:
        old = make_alert(session, slug="old", created_at=NOW - timedelta(days=3))
        clash = make_alert(session, slug="clash", kind="new_clash", subtype="border_clash", created_at=NOW)
        new = make_alert(session, slug="new", created_at=NOW + timedelta(hours=1))
    with transaction(sessions) as session:
        assert [a["id"] for a in list_alerts(session)] == [new, clash, old]
        assert [a["id"] for a in list_alerts(session, kind="new_clash")] == [clash]
        assert [a["id"] for a in list_alerts(session, since=NOW - timedelta(days=1))] == [new, clash]
        assert [a["id"] for a in list_alerts(session, limit=1)] == [new]
        assert list_alerts(session, since=NOW + timedelta(days=1)) == []


def test_claim_is_exclusive_until_the_lease_runs_out(sessions):
    *_, alert_id = _story_and_event(sessions)
    with transaction(sessions) as session:
        (due,) = due_deliveries(session, NOW, 10)
        assert due.alert_id == alert_id and due.channel == "email" and due.attempts == 0
    with transaction(sessions) as session:
        claimed = claim_delivery(session, due.id, NOW)
        assert claimed is not None and claimed.attempts == 1
    with transaction(sessions) as session:
        assert claim_delivery(session, due.id, NOW) is None
        assert due_deliveries(session, NOW + LEASE - timedelta(seconds=1), 10) == []
        # A worker that died while sending: the delivery is due again after the lease.
        (again,) = due_deliveries(session, NOW + LEASE, 10)
        retaken = claim_delivery(session, again.id, NOW + LEASE)
        assert retaken is not None and retaken.attempts == 2
    with transaction(sessions) as session:
        assert mark_sent(session, due.id, NOW + LEASE)
        assert not mark_sent(session, due.id, NOW + LEASE)  # already sent
        assert mark_failed(session, due.id, "late worker", NOW + LEASE) is None  # a sent delivery stays sent
        assert due_deliveries(session, NOW + timedelta(days=1), 10) == []
        delivery = session.get_one(Delivery, due.id)
        assert (delivery.status, delivery.delivered_at, delivery.last_error) == ("sent", NOW + LEASE, None)


def test_failures_back_off_exponentially_then_give_up(sessions):
    *_, alert_id = _story_and_event(sessions)
    when = NOW
    with transaction(sessions) as session:
        (due,) = due_deliveries(session, when, 10)
    waits = []
    for attempt in range(1, 5):
        with transaction(sessions) as session:
            assert claim_delivery(session, due.id, when).attempts == attempt
        with transaction(sessions) as session:
            status = mark_failed(session, due.id, "HTTP 500" + "!" * 5000, when, max_attempts=4)
            delivery = session.get_one(Delivery, due.id)
            assert len(delivery.last_error) == 1000
        if attempt < 4:
            assert status == "pending"
            waits.append(delivery.next_attempt_at - when)
            with transaction(sessions) as session:
                assert due_deliveries(session, delivery.next_attempt_at - timedelta(seconds=1), 10) == []
            when = delivery.next_attempt_at
        else:
            assert status == "failed"
            assert delivery.next_attempt_at is None
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    with transaction(sessions) as session:
        assert due_deliveries(session, NOW + timedelta(days=30), 10) == []
        view = alert_view(session, alert_id)
    assert view["deliveries"][0]["status"] == "failed"
    assert view["deliveries"][0]["attempts"] == 4


def test_backoff_is_capped():
    assert backoff(1) == timedelta(seconds=60)
    assert backoff(3) == timedelta(seconds=240)
    assert backoff(12) == timedelta(hours=6)
    assert backoff(10_000) == timedelta(hours=6)
    assert backoff(2, base=timedelta(seconds=1), cap=timedelta(seconds=3)) == timedelta(seconds=2)
