"""Alert history (storage.alert_updates, storage.alert_history): materiality, scheduling, the views, both DBs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.alert_history import delivered_update, describe, merge_changes
from storage.alert_updates import EventChange, UpdatePolicy, is_material_figure, record_update
from storage.alerts import alert_view, list_alerts
from storage.db import transaction
from storage.models import Alert, Delivery
from tests.alertdata import make_alert

NOW = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)


def test_material_means_subtype_change_or_a_figure_first_stated_or_doubled():
    assert is_material_figure(0, 3) and is_material_figure(12, 24) and is_material_figure(12, 31)
    assert not is_material_figure(12, 23) and not is_material_figure(5, 0)
    assert EventChange(None, subtype=("no_agreement", "collapsed")).material
    assert not EventChange(None, outlets_added=("geo", "dawn")).material
    assert not EventChange(None, casualties={"pakistan_killed": (12, 20)}).material
    assert EventChange(None, casualties={"pakistan_killed": (12, 20), "civilians_killed": (0, 2)}).material


def test_describe_says_what_changed():
    changes = EventChange(
        None,
        subtype=("no_agreement", "collapsed"),
        casualties={"pakistan_killed": (12, 31)},
        outlets_added=("geo", "dawn", "bbc"),
    ).as_json()
    assert describe(changes) == (
        "subtype ended without agreement -> talks collapsed; casualties Pakistan 12 -> 31 killed; "
        "3 more outlets (bbc, dawn, geo)"
    )
    merged = merge_changes(
        [
            {"subtype": {"old": "no_agreement", "new": "collapsed"}, "outlets_added": ["geo"]},
            {"casualties": {"pakistan_killed": {"old": 2, "new": 5}}},
            {"casualties": {"pakistan_killed": {"old": 5, "new": 9}}, "outlets_added": ["geo", "bbc"]},
        ]
    )
    assert merged == {
        "subtype": {"old": "no_agreement", "new": "collapsed"},
        "casualties": {"pakistan_killed": {"old": 2, "new": 9}},
        "outlets_added": ["bbc", "geo"],
    }


def _sent_alert(sessions, channels) -> int:
    with transaction(sessions) as session:
        alert_id = make_alert(session, channels=channels, created_at=NOW, subtype="no_agreement")
        for delivery in session.scalars(select(Delivery).where(Delivery.alert_id == alert_id)):
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = "sent", NOW, None
        return alert_id


def _record(sessions, alert_id, change, policy=UpdatePolicy(), when=NOW):  # noqa: B008 (frozen)
    with transaction(sessions) as session:
        return record_update(session, session.get_one(Alert, alert_id), change, policy, now=when).id


def test_a_material_update_goes_to_each_channel_once_and_later_ones_fold_into_it(sessions):
    alert_id = _sent_alert(sessions, ["email", "webhook"])
    later = NOW + timedelta(minutes=5)
    first = _record(sessions, alert_id, EventChange(None, subtype=("no_agreement", "collapsed")), when=later)
    # Before that delivery goes out (group_interval), another material change: no new delivery.
    second = _record(sessions, alert_id, EventChange(None, casualties={"pakistan_killed": (0, 3)}), when=later)
    with transaction(sessions) as session:
        rows = session.scalars(select(Delivery).where(Delivery.update_id.is_not(None))).all()
        assert sorted((d.channel, d.update_id) for d in rows) == [("email", first), ("webhook", first)]
        assert {d.next_attempt_at for d in rows} == {NOW + timedelta(minutes=30)}
        told = delivered_update(session, alert_id, first)
        view = alert_view(session, alert_id)
    assert told["text"] == "subtype ended without agreement -> talks collapsed; casualties Pakistan 0 -> 3 killed"
    assert [(u["id"], u["material"], u["delivery"]) for u in view["updates"]] == [
        (first, True, "scheduled"),
        (second, True, "folded"),
    ]
    assert view["updated_at"] == later
    assert (view["created_at"], view["subtype"]) == (NOW, "collapsed")


def test_the_next_delivered_update_tells_only_what_changed_since_the_last(sessions):
    alert_id = _sent_alert(sessions, ["email"])
    first = _record(sessions, alert_id, EventChange(None, casualties={"pakistan_killed": (0, 3)}))
    with transaction(sessions) as session:
        for delivery in session.scalars(select(Delivery).where(Delivery.update_id == first)):
            delivery.status, delivery.delivered_at = "sent", NOW + timedelta(hours=1)
    second = _record(
        sessions, alert_id, EventChange(None, casualties={"pakistan_killed": (3, 8)}), when=NOW + timedelta(hours=2)
    )
    with transaction(sessions) as session:
        (row,) = session.scalars(select(Delivery).where(Delivery.update_id == second)).all()
        assert row.next_attempt_at == NOW + timedelta(hours=2)  # more than group_interval since the last
        assert delivered_update(session, alert_id, second)["text"] == "casualties Pakistan 3 -> 8 killed"
        (listed,) = list_alerts(session)
    assert len(listed["updates"]) == 2 and listed["updated_at"] == NOW + timedelta(hours=2)


def test_an_alert_without_channels_only_records(sessions):
    alert_id = _sent_alert(sessions, [])
    update_id = _record(sessions, alert_id, EventChange(None, subtype=("no_agreement", "collapsed")))
    with transaction(sessions) as session:
        (listed,) = alert_view(session, alert_id)["updates"]
    assert (listed["id"], listed["material"], listed["delivery"]) == (update_id, True, "recorded")


def test_another_event_of_the_same_kind_in_the_story_never_updates_this_alert(sessions):
    """The story fallback of note_change is for alerts stored without an event id only."""
    from storage.alert_updates import note_change
    from storage.events import EventChange as ReportedChange
    from storage.models import AlertUpdate, Event

    alert_id = _sent_alert(sessions, ["email"])
    with transaction(sessions) as session:
        alert = session.get_one(Alert, alert_id)
        other = Event(
            story_id=alert.story_id,
            kind=alert.kind,
            subtype="collapsed",
            evidence="Another meeting of the same story ended in failure.",
            fields={},
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(other)
        session.flush()
        reported = ReportedChange(event_id=other.id, created=False, old_subtype="no_agreement", new_subtype="collapsed")
        assert note_change(session, reported, article_id=alert.article_id, policy=UpdatePolicy()) is None
    with sessions() as session:
        assert session.scalars(select(AlertUpdate).where(AlertUpdate.alert_id == alert_id)).all() == []


def test_one_report_writes_one_entry_until_that_entry_is_told(sessions):
    # A report that ties two events writes the fold, then its own change: one entry, not two.
    alert_id = _sent_alert(sessions, ["email"])
    with sessions() as session:
        report = session.get_one(Alert, alert_id).article_id
    first = _record(sessions, alert_id, EventChange(report, outlets_added=("geo",)))
    again = _record(sessions, alert_id, EventChange(report, casualties={"pakistan_killed": (0, 3)}))
    assert again == first
    with transaction(sessions) as session:
        (entry,) = alert_view(session, alert_id)["updates"]
        assert entry["changes"] == {"casualties": {"pakistan_killed": {"old": 0, "new": 3}}, "outlets_added": ["geo"]}
        # It became material with the second change, so it is now scheduled on the channel.
        assert (entry["material"], entry["delivery"]) == (True, "scheduled")
        for delivery in session.scalars(select(Delivery).where(Delivery.update_id == first)):
            delivery.status, delivery.delivered_at = "sent", NOW + timedelta(hours=1)
    # Once told, what was sent stays as sent: a later change of the same report is a new entry.
    later = _record(sessions, alert_id, EventChange(report, casualties={"pakistan_killed": (3, 9)}))
    assert later != first
