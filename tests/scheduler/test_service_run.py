"""``newswatch run`` for real: a subprocess against a loopback site, SMTP server and webhook.

Short intervals stand in for minutes: each source is polled more than once, an item that
appears between polls is picked up, a failing source backs off, the digest goes out at its
scheduled second, the status file shows the service alive, and SIGTERM stops it in time.
Then ``kill -9`` in the middle of a crawl: the restarted service finishes the work with no
article, story, alert or delivery twice.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from storage.models import Alert, Article, CrawlRun, Delivery, Digest, Source
from tests.alertdata import Receiver, SmtpSink
from tests.conftest import loopback_config, service_stderr, start_service, wait_for_service, write_config
from tests.site import LoopbackSite, publish_labeled

pytestmark = pytest.mark.slow

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "articles.yaml"
OUTCOME, CHAMAN, KHOST = "oc-001-istanbul-no-deal-wire", "cl-012-chaman-exchange-wire", "cl-008-khost-wire-denial"
QUIET = ["pv-006-talks-open-wire", "ra-001-torkham-losses"]


@pytest.fixture(scope="module")
def labeled() -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in yaml.safe_load(DATASET.read_text(encoding="utf-8"))}


@pytest.fixture
def loopback() -> Iterator[LoopbackSite]:
    site = LoopbackSite().start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


_start = start_service


_wait = wait_for_service
_stderr = service_stderr


def _stop(process: subprocess.Popen[str]) -> tuple[float, str]:
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        _, stderr = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        pytest.fail(f"the service did not stop within 15 s of SIGTERM:\n{stderr[-4000:]}")
    return time.monotonic() - started, stderr


def _runs(sessions, name: str) -> int:
    with sessions() as session:
        return int(
            session.scalar(select(func.count()).select_from(CrawlRun).join(Source).where(Source.name == name)) or 0
        )


def test_service_polls_repeatedly_backs_off_digests_on_time_and_stops_on_sigterm(
    tmp_path, db_url, sessions, loopback, labeled, smtp, httpserver
):
    receiver = Receiver(httpserver)
    publish_labeled(loopback, labeled, "wire", [OUTCOME, CHAMAN, QUIET[0]])
    loopback.add("/broken.xml", "<html>server error</html>", status=500)
    # Far enough ahead for the first polls to be stored on a loaded machine.
    digest_at = (datetime.now(UTC) + timedelta(seconds=30)).replace(microsecond=0)
    sources = [
        {"name": "wire", "type": "feed", "url": loopback.url("/wire.xml"), "interval": "2s"},
        {"name": "broken", "type": "feed", "url": loopback.url("/broken.xml"), "interval": "1s"},
    ]
    config = write_config(
        tmp_path,
        loopback_config(
            db_url,
            sources,
            crawl={"retries": 0},
            alerts={"max_age": None, "channels": {"webhook": {"url": receiver.url}}},
            digest={
                "schedule": f"{digest_at.second} {digest_at.minute} {digest_at.hour} * * *",
                "timezone": "UTC",
                "to": ["desk@example.org"],
            },
            smtp={"host": smtp.host, "port": smtp.port},
            service={"heartbeat": "1s"},
        ),
    )
    status_file = tmp_path / "newswatch-status.json"
    process = _start(config)
    try:
        _wait(process, "the first poll of wire", lambda: _runs(sessions, "wire") >= 1)
        # A new report appears between polls.
        publish_labeled(loopback, labeled, "wire", [OUTCOME, CHAMAN, QUIET[0], KHOST])

        def khost_stored() -> bool:
            with sessions() as session:
                return session.scalar(select(Article.id).where(Article.url.endswith(KHOST))) is not None

        _wait(process, "the item published between polls", khost_stored)
        _wait(process, "the digest", lambda: len(smtp.received) >= 1, timeout=60)
        _wait(process, "three polls of wire", lambda: _runs(sessions, "wire") >= 3)
        _wait(process, "alert deliveries", lambda: len(receiver.ok) >= 2)
        status = json.loads(status_file.read_text(encoding="utf-8"))
        # The API and dashboard are served by the same process, on the same loop.
        with urllib.request.urlopen(status["api"] + "/healthz", timeout=10) as answer:
            health = json.loads(answer.read())
        with urllib.request.urlopen(status["api"] + "/api/sources", timeout=10) as answer:
            served = {row["name"]: row for row in json.loads(answer.read())}
        elapsed, stderr = _stop(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, stderr[-4000:]
    assert elapsed < 10, f"took {elapsed:.1f}s to stop"
    assert "Traceback" not in stderr

    # The status file: alive while running, and says so when stopped.
    assert status["state"] == "running" and status["pid"] == process.pid
    assert status["counters"]["crawls_total"] >= 3
    assert status["sources"]["wire"]["status"] in ("ok", "not_modified")
    assert json.loads(status_file.read_text(encoding="utf-8"))["state"] == "stopped"
    assert health["status"] == "ok"
    assert served["wire"]["last_fetch"] is not None and served["broken"]["consecutive_errors"] >= 1

    # The digest: sent once, at its second, covering what was crawled.
    ((envelope, message),) = smtp.received
    assert envelope.rcpt_tos == ["desk@example.org"]
    text = message.get_body(("plain",)).get_content()
    assert "Talks outcomes" in text and "New clashes" in text
    assert "broken: failing" in text
    with sessions() as session:
        (digest,) = session.scalars(select(Digest)).all()
        assert digest.status == "sent" and digest.period_end == digest_at
        assert digest.sent_at is not None and digest_at <= digest.sent_at < digest_at + timedelta(seconds=10)

        # The failing source backed off: far fewer polls than one a second, and the planned
        # next poll at least 2**errors intervals after the last.
        broken = session.scalars(select(Source).where(Source.name == "broken")).one()
        assert broken.consecutive_errors >= 2
        assert broken.next_fetch_at is not None and broken.last_fetch_at is not None
        gap = broken.next_fetch_at - broken.last_fetch_at
        assert gap >= timedelta(seconds=2**broken.consecutive_errors) - timedelta(seconds=0.5)
        wire_runs, broken_runs = _runs(sessions, "wire"), _runs(sessions, "broken")
        assert broken_runs <= wire_runs + 2, (broken_runs, wire_runs)
        # Alerts went out once each.
        assert session.scalar(select(func.count()).select_from(Alert)) == 3
    ids = Counter(json.loads(hit.body)["id"] for hit in receiver.ok)
    assert set(ids.values()) == {1}


def test_kill_9_mid_crawl_then_restart_loses_and_repeats_nothing(
    tmp_path, db_url, sessions, loopback, labeled, httpserver
):
    receiver = Receiver(httpserver)
    wire = [OUTCOME, CHAMAN, KHOST, *QUIET]
    publish_labeled(loopback, labeled, "wire", wire)
    publish_labeled(loopback, labeled, "regional", ["oc-002-deadlock-pk", "cl-007-khost-strikes-afghan"])
    for path, route in loopback.routes.items():
        if not path.endswith(".xml"):
            route.delay = 0.6  # slow pages: the kill lands while articles are still coming in
    sources = [
        {"name": "wire", "type": "feed", "url": loopback.url("/wire.xml"), "interval": "3s"},
        {"name": "regional", "type": "feed", "url": loopback.url("/regional.xml"), "interval": "3s"},
    ]
    config = write_config(
        tmp_path,
        loopback_config(
            db_url,
            sources,
            crawl={"concurrency_per_domain": 1, "concurrency": 1},
            alerts={"max_age": None, "channels": {"webhook": {"url": receiver.url}}},
        ),
    )

    def stored() -> int:
        with sessions() as session:
            return int(session.scalar(select(func.count()).select_from(Article).where(~Article.is_seed)) or 0)

    first = _start(config)
    try:
        _wait(first, "the first articles", lambda: stored() >= 2)
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == -signal.SIGKILL
    assert stored() < len(wire) + 2, "the kill came too late to interrupt the crawl"

    second = _start(config)
    try:
        _wait(second, "every article", lambda: stored() == len(wire) + 2, timeout=90)

        def delivered() -> bool:
            with sessions() as session:
                statuses = list(session.scalars(select(Delivery.status)))
            return len(statuses) == 3 and set(statuses) == {"sent"}

        _wait(second, "every delivery", delivered)
        # One more poll of each feed after everything is in: it must add nothing.
        polls = {name: _runs(sessions, name) for name in ("wire", "regional")}
        _wait(second, "another poll", lambda: all(_runs(sessions, n) > polls[n] for n in polls))
        _, stderr = _stop(second)
    finally:
        if second.poll() is None:
            second.kill()
            second.communicate()
    assert second.returncode == 0, stderr[-4000:]
    assert "left open by a stopped process" in stderr  # the killed run was closed on restart

    with sessions() as session:
        articles = list(session.scalars(select(Article).where(~Article.is_seed)))
        assert (
            len(articles) == len({a.url for a in articles}) == len({a.content_hash for a in articles}) == len(wire) + 2
        )
        by_slug = {a.url.rsplit("/", 1)[-1]: a for a in articles}
        # Two reports of one outcome and two of the Khost strikes: one story each, across the kill.
        assert by_slug[OUTCOME].story_id == by_slug["oc-002-deadlock-pk"].story_id
        assert by_slug[KHOST].story_id == by_slug["cl-007-khost-strikes-afghan"].story_id
        alerts = list(session.scalars(select(Alert)))
        assert sorted(a.kind for a in alerts) == ["new_clash", "new_clash", "talks_outcome"]
        assert session.scalar(select(func.count()).select_from(Delivery)) == 3
        statuses = set(session.scalars(select(CrawlRun.status)))
        assert "interrupted" in statuses and "running" not in statuses
    ids = Counter(json.loads(hit.body)["id"] for hit in receiver.ok)
    assert len(ids) == 3 and set(ids.values()) == {1}, ids
