"""Two events that each alerted, later found to be one: one alert stays, the other becomes its
update (merged, its unsent deliveries cancelled), and the fold is in the alert's history, on
both databases. Through a report that ties them (ingest) and through the merge pass."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from crawler.analysis.events.classifier import EventResult
from crawler.analysis.events.identity import EventSignature, IdentityRules
from crawler.ingest import AlertPolicy, IngestPlan, write
from crawler.stories.merge import consolidate
from storage.alert_updates import UpdatePolicy
from storage.alerts import list_alerts
from storage.db import transaction, utcnow
from storage.models import Alert, AlertUpdate, Delivery, Event
from tests.crawler.test_ingest import NOW, _record, _sources
from web.atom import entry_title

RULES = IdentityRules()
POLICY = AlertPolicy(channels=["email"], updates=UpdatePolicy())


def _report(kind: str, subtype: str, day: date, fields: dict, **sig) -> tuple[EventResult, EventSignature]:
    result = EventResult(
        kind=kind, subtype=subtype, evidence=f"{kind} {subtype}.", score=1.0, event_date=day, fields=fields
    )
    return result, EventSignature(kind, frozenset({subtype}), day, day, **sig)


def _write(sessions, url: str, source: int, report=None, *, identity=RULES, hint=None):
    event, signature = report if report is not None else (None, None)
    plan = IngestPlan(
        _record(url, source), event=event, signature=signature, identity=identity, story_hint=hint, policy=POLICY
    )
    with transaction(sessions) as session:
        return write(session, plan)


def _send(sessions, alert_id: int) -> None:
    with transaction(sessions) as session:
        session.execute(
            update(Delivery)
            .where(Delivery.alert_id == alert_id)
            .values(status="sent", delivered_at=utcnow(), next_attempt_at=None)
        )


def test_a_report_tying_two_alerted_events_makes_the_later_alert_an_update(sessions) -> None:
    ids = _sources(sessions)
    day = NOW.date()
    # Two days apart, nothing placing them: two events, two alerts.
    first = _write(
        sessions, "http://a.example/1", ids["a"], _report("new_clash", "border_clash", day - timedelta(days=2), {})
    )
    second = _write(
        sessions,
        "http://b.example/2",
        ids["b"],
        _report("new_clash", "border_clash", day, {"casualties": {"pakistan_killed": 9}}),
    )
    (early,), (late,) = first.alert_ids, second.alert_ids
    _send(sessions, early)  # the first alert is out; the second still waits
    # A report of the day between: both are this one event.
    tie = _write(
        sessions,
        "http://c.example/3",
        ids["c"],
        _report("new_clash", "border_clash", day - timedelta(days=1), {"casualties": {"pakistan_killed": 3}}),
    )
    assert tie.alert_ids == ()
    with sessions() as session:
        kept, merged = session.get(Alert, early), session.get(Alert, late)
        assert kept.merged_into is None and merged.merged_into == early
        assert kept.event_id == tie.event_id and kept.story_id == merged.story_id == tie.story_id
        assert [d.status for d in session.scalars(select(Delivery).where(Delivery.alert_id == late))] == ["cancelled"]
        history = session.scalars(select(AlertUpdate).where(AlertUpdate.alert_id == early)).all()
        # One report, one entry: the fold raised the figure the first alert told (none -> 9),
        # material, and the tying report's own outlet is in the same entry, not a second one.
        assert len(history) == 1
        assert history[0].article_id == tie.article_id
        assert history[0].changes == {
            "casualties": {"pakistan_killed": {"old": 0, "new": 9}},
            "merged_alerts": [late],
            "outlets_added": ["c"],
        }
        assert history[0].material and history[0].delivery == "scheduled"
        assert session.scalars(select(AlertUpdate).where(AlertUpdate.alert_id == late)).all() == []
        views = {v["id"]: v for v in list_alerts(session)}
        assert views[late]["merged_into"] == early and views[early]["merged_into"] is None
        assert "merged into this one" in views[early]["updates"][0]["text"]
        assert entry_title(views[late]).endswith(f"(merged into alert {early})")
        assert "merged" not in entry_title(views[early])


def test_the_merge_pass_folds_alerts_history_subtype_and_story(sessions) -> None:
    ids = _sources(sessions)
    day = NOW.date()
    # A story with no event yet (a preview), then the talks' failure reported twice apart:
    # once with event identity, once joining the preview's story without it.
    preview = _write(sessions, "http://a.example/0", ids["a"])
    first = _write(
        sessions,
        "http://a.example/1",
        ids["a"],
        _report("talks_outcome", "no_agreement", day, {}, venues=frozenset({"Istanbul"})),
    )
    second = _write(
        sessions,
        "http://b.example/2",
        ids["b"],
        _report("talks_outcome", "collapsed", day, {}, venues=frozenset({"Istanbul"})),
        identity=None,
        hint=preview.story_id,
    )
    assert second.story_id == preview.story_id < first.story_id
    (early,), (late,) = first.alert_ids, second.alert_ids
    _send(sessions, early)
    with transaction(sessions) as session:
        consolidate(session, RULES, utcnow(), policy=UpdatePolicy())
    with sessions() as session:
        survivor, folded = session.get(Event, first.event_id), session.get(Event, second.event_id)
        assert folded.merged_into == survivor.id
        # The later step of the ladder wins: stalled/no agreement -> collapsed.
        assert survivor.subtype == "collapsed"
        # The older story stays; the survivor and both alerts end there.
        assert survivor.story_id == preview.story_id
        kept, merged = session.get(Alert, early), session.get(Alert, late)
        assert (kept.story_id, merged.story_id) == (preview.story_id, preview.story_id)
        assert merged.merged_into == early and kept.subtype == "collapsed"
        assert [d.status for d in session.scalars(select(Delivery).where(Delivery.alert_id == late))] == ["cancelled"]
        (entry,) = session.scalars(select(AlertUpdate).where(AlertUpdate.alert_id == early)).all()
        assert entry.changes == {"subtype": {"old": "no_agreement", "new": "collapsed"}, "merged_alerts": [late]}
        assert entry.article_id is None and entry.material
        # The first alert was sent: the subtype change is sent again, once, to its channel.
        again = session.scalars(select(Delivery).where(Delivery.update_id == entry.id)).all()
        assert [(d.channel, d.status) for d in again] == [("email", "pending")]
