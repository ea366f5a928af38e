"""End to end: `newswatch crawl` over loopback coverage raises exactly the expected alerts.

Pages are the labeled articles of tests/fixtures/events served by a loopback site; alerts go
to a real SMTP server (aiosmtpd) and a real webhook receiver, each exactly once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from core.configfile import load_config
from notify.deliver import deliver_due
from storage.labels import kind_label
from storage.models import Alert, Article, Delivery, Event
from tests.alertdata import Receiver, SmtpSink
from tests.conftest import loopback_config, run_cli, write_config
from tests.site import LoopbackSite, publish_labeled

pytestmark = pytest.mark.slow

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "articles.yaml"
SECRET = "s3cret-for-tests"

# Two reports of the third Istanbul round's outcome (one story, one alert), two reports of
# the Khost strikes (one alert), the Chaman exchange of fire (one alert); and what must not
# alert: a preview, recaps, an opinion column, distractors, and background from before the seed.
OUTCOMES = ["oc-001-istanbul-no-deal-wire", "oc-002-deadlock-pk"]
KHOST = ["cl-007-khost-strikes-afghan", "cl-008-khost-wire-denial"]
CHAMAN = ["cl-012-chaman-exchange-wire"]
QUIET = [
    "pv-006-talks-open-wire",
    "ra-001-torkham-losses",
    "ra-012-one-month-doha",
    "po-009-intl-column-prospects",
    "ds-016-drc-m23-doha",
    "ds-015-thai-airstrikes-dec",
    "bg-001-kabul-blasts",
]


@pytest.fixture(scope="module")
def labeled() -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in yaml.safe_load(DATASET.read_text(encoding="utf-8"))}


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


def test_crawl_raises_exactly_the_expected_alerts_and_delivers_each_once(
    site: LoopbackSite, labeled, smtp: SmtpSink, httpserver, tmp_path: Path, db_url: str, sessions
) -> None:
    site.routes.clear()
    receiver = Receiver(httpserver)
    publish_labeled(site, labeled, "wire", [OUTCOMES[0], KHOST[1], CHAMAN[0], *QUIET[:4]])
    publish_labeled(site, labeled, "regional", [OUTCOMES[1], KHOST[0], *QUIET[4:]])
    sources = [
        {"name": "wire", "type": "feed", "url": site.url("/wire.xml")},
        {"name": "regional", "type": "feed", "url": site.url("/regional.xml")},
    ]
    config = write_config(
        tmp_path / "cfg",
        loopback_config(
            db_url,
            sources,
            # The fixtures are from 2025: without lifting max_age nothing would alert.
            alerts={
                "max_age": None,
                "channels": {
                    "email": {"to": ["desk@example.org"]},
                    "webhook": {"url": receiver.url, "secret_env": "NW_TEST_WEBHOOK_SECRET"},
                },
            },
            smtp={"host": smtp.host, "port": smtp.port, "sender": "newswatch@example.org"},
        ),
    )
    env = {"NW_TEST_WEBHOOK_SECRET": SECRET}
    result = run_cli("crawl", "--format", "json", config=config, env=env)
    assert result.returncode == 0, result.stderr[-3000:]

    with sessions() as session:
        by_id = {a.url.rsplit("/", 1)[-1]: a for a in session.scalars(select(Article).where(~Article.is_seed))}
        alerts = list(session.scalars(select(Alert)))
        kinds = sorted(a.kind for a in alerts)
        stories_alerted = {a.story_id for a in alerts}
        assert kinds == ["new_clash", "new_clash", "talks_outcome"], [
            (a.kind, a.subtype, by_id.get(str(a.article_id))) for a in alerts
        ]
        assert by_id[OUTCOMES[0]].story_id == by_id[OUTCOMES[1]].story_id, "two reports, one story"
        assert by_id[KHOST[0]].story_id == by_id[KHOST[1]].story_id
        assert stories_alerted == {by_id[OUTCOMES[0]].story_id, by_id[KHOST[0]].story_id, by_id[CHAMAN[0]].story_id}
        for quiet in QUIET:
            assert by_id[quiet].story_id not in stories_alerted, quiet
        # Distractors are remembered, but as off-topic.
        assert by_id["ds-016-drc-m23-doha"].relevant is False
        outcome = session.scalar(select(Event).where(Event.story_id == by_id[OUTCOMES[0]].story_id))
        assert outcome is not None and outcome.kind == "talks_outcome"
        assert outcome.evidence and outcome.evidence in (
            by_id[OUTCOMES[0]].text + by_id[OUTCOMES[1]].text + by_id[OUTCOMES[0]].title + by_id[OUTCOMES[1]].title
        )
        assert "Istanbul" in outcome.fields.get("places", [])
        deliveries = list(session.scalars(select(Delivery)))
        assert len(deliveries) == 6
        assert {d.status for d in deliveries} == {"sent"}, [(d.channel, d.status, d.last_error) for d in deliveries]

    # Each alert reached each channel once.
    assert len(smtp.received) == 3
    subjects = sorted(str(message["Subject"]) for _, message in smtp.received)
    # Subjects say the kind in words ("New clash: border clash"), not the identifier.
    clash, outcome = kind_label("new_clash"), kind_label("talks_outcome")
    assert sum(clash in s for s in subjects) == 2 and sum(outcome in s for s in subjects) == 1
    assert not any("new_clash" in s or "talks_outcome" in s for s in subjects)
    assert len(receiver.ok) == 3
    for hit in receiver.ok:
        expected = hmac.new(SECRET.encode(), hit.body, hashlib.sha256).hexdigest()
        assert hit.headers.get("X-Newswatch-Signature") == f"sha256={expected}"
        payload = json.loads(hit.body)
        assert payload["kind"] in ("talks_outcome", "new_clash") and payload["evidence"]

    # `newswatch alerts` shows them, and a second crawl raises and sends nothing new.
    listing = run_cli("alerts", "--format", "json", config=config, env=env)
    assert listing.returncode == 0, listing.stderr
    shown = json.loads(listing.stdout)
    assert len(shown) == 3
    outcome_alert = next(a for a in shown if a["kind"] == "talks_outcome")
    assert len(outcome_alert["articles"]) == 2
    again = run_cli("crawl", "--format", "json", config=config, env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 3
        assert session.scalar(select(func.count()).select_from(Delivery)) == 6
    assert len(smtp.received) == 3
    assert len(receiver.ok) == 3


def test_old_coverage_joins_stories_but_alerts_nobody(
    site: LoopbackSite, labeled, tmp_path: Path, db_url: str, sessions
) -> None:
    site.routes.clear()
    publish_labeled(site, labeled, "old", [OUTCOMES[0], KHOST[0]])
    config = write_config(
        tmp_path / "cfg",
        loopback_config(db_url, [{"name": "old", "type": "feed", "url": site.url("/old.xml")}]),
    )
    result = run_cli("crawl", "--format", "json", config=config)
    assert result.returncode == 0, result.stderr[-2000:]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 2, "the events are recorded"
        assert session.scalar(select(func.count()).select_from(Alert)) == 0, "alerts.max_age (2d) keeps old news quiet"


def test_crawl_killed_mid_delivery_sends_again_after_the_lease(
    site: LoopbackSite, labeled, httpserver, tmp_path: Path, db_url: str, sessions
) -> None:
    import signal
    import subprocess
    import sys
    import threading
    import time

    from werkzeug import Request, Response

    site.routes.clear()
    publish_labeled(site, labeled, "wire", [OUTCOMES[0]])
    arrived = threading.Event()
    bodies: list[bytes] = []

    def handler(request: Request) -> Response:
        bodies.append(request.get_data())
        if len(bodies) == 1:
            arrived.set()
            time.sleep(3)  # the sender is killed while it waits for this answer
        return Response("ok", status=200)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(handler)
    config = write_config(
        tmp_path / "cfg",
        loopback_config(
            db_url,
            [{"name": "wire", "type": "feed", "url": site.url("/wire.xml")}],
            alerts={
                "max_age": None,
                "channels": {"webhook": {"url": httpserver.url_for("/hook")}},
            },
        ),
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("NEWSWATCH_")}
    crawl = subprocess.Popen(
        [sys.executable, "-m", "scheduler.cli", "crawl", "--config", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert arrived.wait(90), "the crawl never started delivering"
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(10)
    finally:
        if crawl.poll() is None:
            crawl.kill()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1, "the alert was committed with its article"
        delivery = session.scalar(select(Delivery))
        assert delivery is not None and delivery.status == "sending"
        lease_end = delivery.next_attempt_at  # the dead worker's claim: until now + the lease
    assert lease_end is not None
    # Within the lease nobody else sends it (the dead worker might still have been sending).
    early = run_cli("deliver", config=config)
    assert early.returncode == 0, early.stderr
    assert len(bodies) == 1
    # The rest of the lease passes on deliver_due's clock, not the test's: the last
    # second of it, then its end.
    loaded = load_config(config)
    assert deliver_due(loaded, sessions, now=lease_end - timedelta(seconds=1), env={})["due"] == 0
    assert len(bodies) == 1
    late = deliver_due(loaded, sessions, now=lease_end, env={})
    assert late["sent"] == 1, late
    assert len(bodies) == 2
    assert json.loads(bodies[0])["id"] == json.loads(bodies[1])["id"], "the same alert, sent again"
    with sessions() as session:
        delivery = session.scalar(select(Delivery))
        assert delivery is not None and delivery.status == "sent"
        assert delivery.attempts == 2
