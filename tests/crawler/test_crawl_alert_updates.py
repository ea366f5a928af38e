"""End to end: a later crawl's report of an alerted event is recorded in the alert's history.

Two passes of `newswatch crawl` over loopback coverage: the first brings one outlet's
report of the Istanbul outcome and raises its alert (the crawl sends it to a real SMTP server); the
second brings the other outlet's report of the same outcome, which joins the story and
becomes an update of the alert (one more outlet), shown by `newswatch alerts`. Not
material (no subtype change, no figure), so nothing is sent again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from storage.models import AlertUpdate, Delivery
from tests.alertdata import SmtpSink
from tests.conftest import loopback_config, run_cli, write_config
from tests.site import LoopbackSite, publish_labeled

pytestmark = pytest.mark.slow

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "articles.yaml"
OUTCOMES = ["oc-001-istanbul-no-deal-wire", "oc-002-deadlock-pk"]


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


def test_a_second_outlet_in_a_later_crawl_updates_the_alert(
    site: LoopbackSite, smtp: SmtpSink, tmp_path: Path, db_url: str, sessions
) -> None:
    labeled: dict[str, dict[str, Any]] = {a["id"]: a for a in yaml.safe_load(DATASET.read_text(encoding="utf-8"))}
    site.routes.clear()
    publish_labeled(site, labeled, "wire", [OUTCOMES[0]])
    publish_labeled(site, labeled, "regional", [])
    sources = [
        {"name": "wire", "type": "feed", "url": site.url("/wire.xml")},
        {"name": "regional", "type": "feed", "url": site.url("/regional.xml")},
    ]
    config = write_config(
        tmp_path / "cfg",
        loopback_config(
            db_url,
            sources,
            alerts={"max_age": None, "channels": {"email": {"to": ["desk@example.org"]}}},
            smtp={"host": smtp.host, "port": smtp.port, "sender": "newswatch@example.org"},
        ),
    )
    first = run_cli("crawl", "--format", "json", config=config)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(smtp.received) == 1  # the crawl delivers what it raised

    publish_labeled(site, labeled, "regional", [OUTCOMES[1]])
    second = run_cli("crawl", "--format", "json", config=config)
    assert second.returncode == 0, second.stderr[-3000:]

    with sessions() as session:
        (update,) = session.scalars(select(AlertUpdate)).all()
        assert update.changes.get("outlets_added") == ["regional"]
        assert (update.material, update.delivery) == (False, "recorded")
        assert session.scalars(select(Delivery).where(Delivery.update_id.is_not(None))).all() == []
    (alert,) = json.loads(run_cli("alerts", "--format", "json", config=config).stdout)
    assert [u["text"] for u in alert["updates"]] == ["1 more outlet (regional)"]
    assert alert["outlets"] == ["regional", "wire"] and alert["first_report"]["source"] == "wire"
    assert len(smtp.received) == 1
