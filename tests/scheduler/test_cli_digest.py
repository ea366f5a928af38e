"""``newswatch digest``: print the last day's digest, or send it now to a real SMTP server."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import transaction
from storage.models import Digest
from tests.alertdata import SmtpSink
from tests.conftest import run_cli, write_config
from tests.digestdata import fill_period


@pytest.fixture
def smtp():
    with SmtpSink() as sink:
        yield sink


def _config(tmp_path, db_url, port: int, to: list[str]):
    return write_config(
        tmp_path,
        {
            "database": {"url": db_url},
            "digest": {"timezone": "Asia/Karachi", "to": to},
            "smtp": {"host": "127.0.0.1", "port": port},
        },
    )


def test_digest_print_shows_the_day(tmp_path, db_url, sessions, smtp):
    with transaction(sessions) as session:
        fill_period(session)
    result = run_cli("digest", "--print", config=_config(tmp_path, db_url, smtp.port, ["desk@example.org"]))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Subject: [newswatch] digest")
    assert "== Talks outcomes (1) ==" in result.stdout and "https://news.example/clash/0" in result.stdout
    html = run_cli("digest", "--print", "--html", config=_config(tmp_path, db_url, smtp.port, []))
    assert html.returncode == 0 and html.stdout.lstrip().startswith("<!DOCTYPE html>")
    assert "Top of the morning" in html.stdout
    # Every story links to its dashboard page, at the address the service listens on.
    assert 'href="http://127.0.0.1:8080/stories/' in html.stdout
    assert smtp.received == []  # printing sends nothing
    with transaction(sessions) as session:
        assert session.scalars(select(Digest)).all() == []


def test_digest_send_mails_it_now_and_records_it(tmp_path, db_url, sessions, smtp):
    with transaction(sessions) as session:
        fill_period(session)
    config = _config(tmp_path, db_url, smtp.port, ["desk@example.org", "editor@example.org"])
    result = run_cli("digest", "--send", "--period", "weekly", config=config)
    assert result.returncode == 0, result.stderr
    assert "Digest sent: 3 stories" in result.stdout
    ((envelope, message),) = smtp.received
    assert sorted(envelope.rcpt_tos) == ["desk@example.org", "editor@example.org"]
    assert "Talks outcomes" in message.get_body(("plain",)).get_content()
    with transaction(sessions) as session:
        (row,) = session.scalars(select(Digest)).all()
        assert (row.status, row.period_key, row.stories, row.recipients) == ("sent", None, 3, 2)


def test_digest_links_use_the_public_url(tmp_path, db_url, sessions, smtp):
    with transaction(sessions) as session:
        fill_period(session)
    config = _config(tmp_path, db_url, smtp.port, [])
    config.write_text(config.read_text() + "api:\n  public_url: https://watch.example.org/desk/\n")
    result = run_cli("digest", "--print", config=config)
    assert result.returncode == 0, result.stderr
    assert "https://watch.example.org/desk/stories/" in result.stdout
    assert "127.0.0.1:8080" not in result.stdout


def test_digest_send_without_recipients_exits_2(tmp_path, db_url, smtp):
    result = run_cli("digest", "--send", config=_config(tmp_path, db_url, smtp.port, []))
    assert result.returncode == 2
    assert "digest.to" in result.stderr


def test_digest_send_to_a_dead_smtp_server_exits_1(tmp_path, db_url):
    with SmtpSink() as sink:
        port = sink.port
    result = run_cli("digest", "--send", config=_config(tmp_path, db_url, port, ["desk@example.org"]))
    assert result.returncode == 1
    assert "digest not sent" in result.stderr and "Traceback" not in result.stderr


def test_digest_times_are_in_the_display_zone(tmp_path, db_url, sessions, smtp):
    with transaction(sessions) as session:
        fill_period(session)
    config = _config(tmp_path, db_url, smtp.port, [])
    # The cron stays in digest.timezone; what people read follows display.timezone (CET in winter).
    config.write_text(config.read_text() + "display:\n  timezone: Europe/Berlin\n", encoding="utf-8")
    result = run_cli("digest", "--print", config=config)
    assert result.returncode == 0, result.stderr
    assert " CET" in result.stdout
    assert "PKT" not in result.stdout
