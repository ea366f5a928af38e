"""``newswatch alerts`` and ``newswatch deliver``, run as subprocesses against a real archive."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from scheduler.cli.alerts import ALERT_FIELDS
from storage.db import transaction
from storage.models import Delivery
from tests.alertdata import Receiver, make_alert
from tests.conftest import run_cli, write_config

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def archive(sessions) -> dict[str, int]:
    """Two alerts: an older talks outcome whose webhook failed three times, a newer clash."""
    with transaction(sessions) as session:
        outcome = make_alert(session, slug="talks", channels=["email", "webhook"], created_at=NOW - timedelta(days=2))
        clash = make_alert(
            session,
            slug="clash",
            title="Border clash at Chaman",
            kind="new_clash",
            subtype="border_clash",
            channels=["email"],
            created_at=NOW - timedelta(hours=1),
        )
        session.execute(
            update(Delivery)
            .where(Delivery.alert_id == outcome, Delivery.channel == "webhook")
            .values(status="failed", attempts=3, last_error="webhook answered HTTP 500")
        )
        session.execute(
            update(Delivery)
            .where(Delivery.alert_id == outcome, Delivery.channel == "email")
            .values(status="sent", attempts=1, delivered_at=NOW - timedelta(days=2), next_attempt_at=None)
        )
    return {"outcome": outcome, "clash": clash}


def _config(tmp_path, db_url, **alerts):
    return write_config(
        tmp_path, {"database": {"url": db_url}, "topic": {"seed": "seeds/istanbul-third-round.txt"}, "alerts": alerts}
    )


def test_alerts_json_newest_first_with_every_field(tmp_path, db_url, archive):
    result = run_cli("alerts", "--format", "json", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == [archive["clash"], archive["outcome"]]
    clash, outcome = rows
    assert set(ALERT_FIELDS) <= set(clash)
    assert (clash["kind"], clash["subtype"], clash["title"]) == ("new_clash", "border_clash", "Border clash at Chaman")
    assert clash["url"] == "https://news.example/clash/0" and clash["source"] == "dawn"
    assert datetime.fromisoformat(clash["published"]) == datetime(2025, 11, 7, 9, 0, tzinfo=UTC)
    assert datetime.fromisoformat(clash["created_at"]) == NOW - timedelta(hours=1)
    assert clash["articles"] == [f"https://news.example/clash/{i}" for i in (0, 2, 1)]
    assert clash["outlets"] == ["dawn", "geo"]
    assert clash["evidence"].startswith("Both sides agreed")
    assert clash["fields"] == {
        "event_date": "2025-11-07",
        "places": ["Istanbul"],
        "parties": ["Pakistan", "Afghanistan"],
    }
    # Detection lag: from the trigger's published time to the alert, and to each delivery.
    published = datetime(2025, 11, 7, 9, 0, tzinfo=UTC)
    assert clash["detection_lag_s"] == round((NOW - timedelta(hours=1) - published).total_seconds(), 1)
    assert outcome["deliveries"] == [
        {
            "channel": "email",
            "update_id": None,
            "status": "sent",
            "attempts": 1,
            "last_error": None,
            "delivered_at": (NOW - timedelta(days=2)).isoformat(),
            "lag_s": round((NOW - timedelta(days=2) - published).total_seconds(), 1),
        },
        {
            "channel": "webhook",
            "update_id": None,
            "status": "failed",
            "attempts": 3,
            "last_error": "webhook answered HTTP 500",
            "delivered_at": None,
            "lag_s": None,
        },
    ]


def test_alerts_filters(tmp_path, db_url, archive):
    config = _config(tmp_path, db_url)
    result = run_cli("alerts", "--kind", "talks_outcome", "--since", "3d", "--format", "json", config=config)
    assert [r["id"] for r in json.loads(result.stdout)] == [archive["outcome"]]
    result = run_cli("alerts", "--since", "1d", "--limit", "5", "--format", "json", config=config)
    assert [r["id"] for r in json.loads(result.stdout)] == [archive["clash"]]
    bad = run_cli("alerts", "--kind", "riot", config=config)
    assert bad.returncode == 2 and "--kind" in bad.stderr and bad.stdout == ""


def test_alerts_table_shows_failed_deliveries_and_csv_has_a_row_per_alert(tmp_path, db_url, archive):
    config = _config(tmp_path, db_url)
    table = run_cli("alerts", config=config)
    assert table.returncode == 0, table.stderr
    assert "Delivery" in table.stdout
    assert "email: sent, webhook: failed (3)" in table.stdout
    assert "New clash: border clash" in table.stdout
    result = run_cli("alerts", "--format", "csv", config=config)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ALERT_FIELDS
    assert [int(r["id"]) for r in rows] == [archive["clash"], archive["outcome"]]
    assert rows[1]["deliveries"] == "email: sent, webhook: failed (3)"
    assert rows[1]["articles"].split() == [f"https://news.example/talks/{i}" for i in (0, 2, 1)]
    assert json.loads(rows[1]["fields"])["places"] == ["Istanbul"]


def test_alerts_on_an_empty_archive(tmp_path, db_url):
    config = _config(tmp_path, db_url)
    assert json.loads(run_cli("alerts", "--format", "json", config=config).stdout) == []
    assert "No alerts yet." in run_cli("alerts", config=config).stdout


def test_deliver_sends_due_deliveries_and_exits_0(tmp_path, db_url, sessions, httpserver):
    receiver = Receiver(httpserver)
    with transaction(sessions) as session:
        alert_id = make_alert(session, channels=["webhook"])
    config = _config(tmp_path, db_url, channels={"webhook": {"url": receiver.url, "secret_env": "NEWSWATCH_HOOK"}})
    result = run_cli("deliver", config=config, env={"NEWSWATCH_HOOK": "s"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Deliveries: 1 sent, 0 to retry, 0 failed, 0 taken by another worker.\n"
    (hit,) = receiver.hits
    assert json.loads(hit.body)["id"] == alert_id
    assert hit.headers["X-Newswatch-Signature"].startswith("sha256=")
    # Nothing left to do: a second run sends nothing.
    again = run_cli("deliver", config=config, env={"NEWSWATCH_HOOK": "s"})
    assert again.returncode == 0 and again.stdout.startswith("Deliveries: 0 sent")
    assert len(receiver.hits) == 1
