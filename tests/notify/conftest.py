"""Fixtures for delivery tests: a webhook receiver and an SMTP server, both real and local."""

from __future__ import annotations

import pytest

from tests.alertdata import Receiver, SmtpSink


@pytest.fixture
def receiver(httpserver) -> Receiver:
    return Receiver(httpserver)


@pytest.fixture
def smtp_server():
    with SmtpSink() as sink:
        yield sink
