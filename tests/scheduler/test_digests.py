"""Sending digests: once per scheduled period, retried when SMTP fails, caught up after a stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.configfile import load_config
from core.errors import UsageError
from scheduler import digests
from storage.db import utcnow
from tests.alertdata import SmtpSink, free_port
from tests.conftest import write_config
from tests.digestdata import fill_period


@pytest.fixture
def smtp():
    with SmtpSink() as sink:
        yield sink


def _config(tmp_path, db_url, port: int, **digest):
    data = {
        "database": {"url": db_url},
        "digest": {"schedule": "0 7 * * *", "timezone": "Asia/Karachi", "to": ["desk@example.org"], **digest},
        "smtp": {"host": "127.0.0.1", "port": port, "sender": "newswatch@example.org"},
    }
    return load_config(write_config(tmp_path, data), env={})


def test_scheduled_period_is_sent_once(tmp_path, db_url, sessions, smtp):
    config = _config(tmp_path, db_url, smtp.port)
    with sessions.begin() as session:
        fill_period(session)
    # A period ending just after the data: it starts at the schedule's fire time before that.
    fire = utcnow() + timedelta(seconds=1)
    first = digests.send_scheduled(config, sessions, fire)
    assert (first.status, first.stories) == ("sent", 3)
    assert digests.send_scheduled(config, sessions, fire).status == "already"
    assert len(smtp.received) == 1
    envelope, message = smtp.received[0]
    assert envelope.rcpt_tos == ["desk@example.org"]
    assert "digest" in message["Subject"]
    html = message.get_body(("html",)).get_content()
    assert "Top of the morning" in html and "Talks outcomes" in html


def test_failed_send_is_recorded_and_retried(tmp_path, db_url, sessions):
    with SmtpSink() as sink:
        port = sink.port
    config = _config(tmp_path, db_url, port)  # nothing listens there now
    fire = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    failed = digests.send_scheduled(config, sessions, fire)
    assert failed.status == "failed" and "Connection refused" in (failed.error or "")
    with SmtpSink() as sink:
        config = _config(tmp_path, db_url, sink.port)
        assert digests.send_scheduled(config, sessions, fire).status == "sent"
        assert digests.send_scheduled(config, sessions, fire).status == "already"
        assert len(sink.received) == 1


def test_empty_period_sends_nothing_new_unless_skipped(tmp_path, db_url, sessions, smtp):
    fire = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    config = _config(tmp_path, db_url, smtp.port)
    assert digests.send_scheduled(config, sessions, fire).status == "sent"
    assert smtp.received[0][1]["Subject"].endswith("nothing new")
    quiet = _config(tmp_path, db_url, smtp.port, skip_empty=True)
    later = fire + timedelta(days=1)
    assert digests.send_scheduled(quiet, sessions, later).status == "skipped"
    assert digests.send_scheduled(quiet, sessions, later).status == "already"
    assert len(smtp.received) == 1


def test_missed_digest_is_caught_up_once_but_never_before_the_service_watched(tmp_path, db_url, sessions, smtp):
    config = _config(tmp_path, db_url, smtp.port)
    now = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # 15:00 in Karachi: today's 07:00 passed
    # First start: the service did not watch at 07:00, so nothing is owed.
    assert digests.missed_fire(config, sessions, now) is None
    # A day later, stopped over the 07:00 run: that one digest is owed.
    tomorrow = now + timedelta(days=1)
    missed = digests.missed_fire(config, sessions, tomorrow)
    assert missed == datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
    assert digests.send_scheduled(config, sessions, missed).status == "sent"
    assert digests.missed_fire(config, sessions, tomorrow) is None


def test_send_now_needs_recipients(tmp_path, db_url, sessions):
    config = _config(tmp_path, db_url, free_port(), to=[])
    with pytest.raises(UsageError, match=r"digest\.to"):
        digests.send_now(config, sessions, timedelta(days=1))
