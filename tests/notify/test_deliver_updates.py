"""A delivered update says what changed: to a real local SMTP server and webhook receiver."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.config import Config
from notify.deliver import deliver_due
from storage.alert_updates import EventChange, UpdatePolicy, record_update
from storage.db import transaction
from storage.models import Alert, Delivery
from tests.alertdata import make_alert

NOW = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)
UPDATE = "Update: subtype ended without agreement -> talks collapsed; casualties Pakistan 12 -> 31 killed"


def test_a_material_update_is_sent_again_saying_what_changed(sessions, smtp_server, receiver):
    config = Config.model_validate(
        {
            "alerts": {"channels": {"email": {"to": ["desk@example.org"]}, "webhook": {"url": receiver.url}}},
            "smtp": {"host": smtp_server.host, "port": smtp_server.port, "sender": "newswatch@example.org"},
        }
    )
    with transaction(sessions) as session:
        alert_id = make_alert(
            session,
            channels=["email", "webhook"],
            created_at=NOW,
            subtype="no_agreement",
            fields={"casualties": {"pakistan_killed": 12}},
        )
    assert deliver_due(config, sessions, now=NOW, env={})["sent"] == 2
    change = EventChange(
        None,
        subtype=("no_agreement", "collapsed"),
        casualties={"pakistan_killed": (12, 31)},
        outlets_added=("bbc", "geo", "tolo"),
    )
    with transaction(sessions) as session:
        record_update(session, session.get_one(Alert, alert_id), change, UpdatePolicy(), now=NOW)
    # Held by group_interval (30 minutes after the first delivery), then sent.
    assert deliver_due(config, sessions, now=NOW + timedelta(minutes=29), env={})["due"] == 0
    assert deliver_due(config, sessions, now=NOW + timedelta(minutes=30), env={})["sent"] == 2

    (_, first), (_, again) = smtp_server.received
    assert not first["Subject"].startswith("[newswatch] Update:")
    assert again["Subject"].startswith("[newswatch] Update: Talks outcome: talks collapsed — ")
    text = again.get_body(("plain",)).get_content()
    assert text.splitlines()[0] == UPDATE + "; 3 more outlets (bbc, geo, tolo)"
    assert UPDATE.replace(">", "&gt;") in again.get_body(("html",)).get_content()
    assert len(receiver.ok) == 2
    body = json.loads(receiver.ok[1].body)
    assert body["update"]["text"] == UPDATE.removeprefix("Update: ") + "; 3 more outlets (bbc, geo, tolo)"
    assert body["update"]["changes"]["casualties"] == {"pakistan_killed": {"old": 12, "new": 31}}
    assert [u["material"] for u in body["updates"]] == [True]
    with transaction(sessions) as session:
        statuses = sorted(
            (d.channel, d.update_id is not None, d.status)
            for d in session.scalars(select(Delivery).where(Delivery.alert_id == alert_id))
        )
    assert statuses == [
        ("email", False, "sent"),
        ("email", True, "sent"),
        ("webhook", False, "sent"),
        ("webhook", True, "sent"),
    ]
