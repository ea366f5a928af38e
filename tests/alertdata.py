"""Test helpers for alerts: a story with an event and an alert, and real local receivers.

``Receiver`` is a webhook endpoint on the pytest-httpserver loopback server that records
every request and answers with a queue of statuses; ``SmtpSink`` is an aiosmtpd server on
127.0.0.1 that keeps every message it accepts.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from werkzeug.wrappers import Request, Response

from storage.alerts import create_alert
from storage.articles import ArticleRecord, add_sightings, store_article
from storage.models import Event
from storage.sources import SourceSpec, sync_sources
from storage.stories import attach

T0 = datetime(2025, 11, 7, 9, 0, tzinfo=UTC)


def make_alert(
    session,
    *,
    title: str = "Pakistan and Afghanistan agree to extend ceasefire",
    kind: str = "talks_outcome",
    subtype: str | None = "agreement",
    channels: list[str] | None = None,
    slug: str = "a",
    created_at: datetime | None = None,
    fields: dict[str, Any] | None = None,
) -> int:
    """A story of three articles (one a copy) from two outlets, its event and its alert."""
    sources = sync_sources(
        session,
        [
            SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home"),
            SourceSpec("geo", "feed", "https://geo.tv/rss"),
        ],
    )
    dawn, geo = sources["dawn"].id, sources["geo"].id
    ids = []
    for i, (source_id, minutes) in enumerate([(dawn, 0), (geo, 30), (geo, 10)]):
        record = ArticleRecord(
            url=f"https://news.example/{slug}/{i}",
            title=title if i == 0 else f"Report {i} on {slug}",
            text=f"Article {i} of story {slug}: the sides met in Istanbul and talked at length. " * 5,
            source_id=source_id,
            published_at=T0 + timedelta(minutes=minutes),
            duplicate_of=ids[0] if i == 2 else None,
        )
        ids.append(store_article(session, record).article_id)
    add_sightings(session, [f"https://news.example/{slug}/0"], geo)  # dawn's article, also on geo
    story_id = attach(session, ids[0], None, title=title, when=T0)
    for article_id in ids[1:]:
        attach(session, article_id, story_id, title=title, when=T0)
    now = created_at or datetime.now(UTC)
    event = Event(
        story_id=story_id,
        article_id=ids[0],
        kind=kind,
        subtype=subtype,
        event_date=T0,
        evidence="Both sides agreed to extend the ceasefire, the Qatari mediator said.",
        fields=fields
        if fields is not None
        else {"event_date": "2025-11-07", "places": ["Istanbul"], "parties": ["Pakistan", "Afghanistan"]},
        created_at=now,
        updated_at=now,
    )
    session.add(event)
    session.flush()
    alert = create_alert(
        session,
        story_id=story_id,
        kind=kind,
        subtype=subtype,
        article_id=ids[0],
        event_id=event.id,
        channels=channels or [],
        now=now,
    )
    assert alert is not None
    return alert.id


@dataclass
class Hit:
    """One request the receiver got, and what it answered."""

    headers: dict[str, str]
    body: bytes
    status: int


@dataclass
class Receiver:
    """A webhook endpoint on the loopback pytest-httpserver; answers ``statuses`` in turn, then 200."""

    httpserver: Any
    path: str = "/hook"
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.httpserver.expect_request(self.path, method="POST").respond_with_handler(self._handle)
        self.url = self.httpserver.url_for(self.path)

    def _handle(self, request: Request) -> Response:
        with self._lock:
            status = self.statuses.pop(0) if self.statuses else 200
        time.sleep(self.delay)
        with self._lock:
            self.hits.append(Hit(dict(request.headers), request.get_data(), status))
        return Response("ok" if status < 300 else "receiver broke", status=status)

    @property
    def ok(self) -> list[Hit]:
        """Requests answered with a 2xx."""
        return [h for h in self.hits if 200 <= h.status < 300]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """aiosmtpd on 127.0.0.1: accepts every message and keeps (envelope, parsed message)."""

    def __init__(self, **controller_kwargs: Any) -> None:
        self.received: list[tuple[Any, EmailMessage]] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port(), **controller_kwargs)
        self.host = "127.0.0.1"
        self.port = self.controller.port

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append((envelope, message))
        return "250 Message accepted for delivery"

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
