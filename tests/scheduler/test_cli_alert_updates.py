"""``newswatch alerts`` shows each alert's updates: a column in the table, a list in JSON and CSV."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from storage.alert_updates import EventChange, UpdatePolicy, record_update
from storage.db import transaction
from storage.models import Alert
from tests.alertdata import make_alert
from tests.conftest import run_cli, write_config
from tests.coveragedata import COVERAGE, FIRST, make_covered_story

NOW = datetime.now(UTC).replace(microsecond=0)


def test_alerts_show_their_updates(tmp_path, db_url, sessions):
    with transaction(sessions) as session:
        alert_id = make_alert(session, subtype="no_agreement", created_at=NOW - timedelta(hours=2))
        alert = session.get_one(Alert, alert_id)
        record_update(session, alert, EventChange(None, subtype=("no_agreement", "collapsed")), UpdatePolicy(), now=NOW)
        quiet = make_alert(session, slug="quiet", kind="new_clash", subtype="border_clash", created_at=NOW)
    config = write_config(tmp_path, {"database": {"url": db_url}})
    rows = {r["id"]: r for r in json.loads(run_cli("alerts", "--format", "json", config=config).stdout)}
    assert [u["text"] for u in rows[alert_id]["updates"]] == ["subtype ended without agreement -> talks collapsed"]
    assert rows[alert_id]["subtype"] == "collapsed"
    assert rows[quiet]["updates"] == [] and rows[quiet]["updated_at"] is None

    table = run_cli("alerts", config=config, env={"COLUMNS": "250"})
    assert table.returncode == 0, table.stderr
    assert "Updated" in table.stdout and "1×, " in table.stdout
    csv_out = run_cli("alerts", "--format", "csv", config=config).stdout
    assert "subtype ended without agreement -> talks collapsed" in csv_out


def test_alerts_name_the_first_outlet(tmp_path, db_url, sessions):
    with transaction(sessions) as session:
        make_covered_story(session)
    config = write_config(tmp_path, {"database": {"url": db_url}})
    (row,) = json.loads(run_cli("alerts", "--format", "json", config=config).stdout)
    assert (row["first_report"]["source"], row["coverage"], row["copies"]) == (FIRST, COVERAGE, 1)
    table = run_cli("alerts", config=config, env={"COLUMNS": "250"}).stdout
    assert "First reported by" in table and f" {FIRST} " in table and "2 +1 cop." in table
