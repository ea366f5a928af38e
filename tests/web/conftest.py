"""Fixtures for the web tests: an archive filled through storage's own functions, and the
app served by a real uvicorn (web.server.start_api) on 127.0.0.1, port 0, in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from core.config import Config
from core.configfile import load_config
from storage.articles import ArticleRecord, store_article
from storage.db import transaction
from storage.models import Alert, Source
from storage.stories import attach
from tests.alertdata import T0, make_alert
from tests.conftest import loopback_config, write_config
from web.server import ApiServer, start_api

AGREEMENT = "Pakistan and Afghanistan agree to extend ceasefire"
# Scraped headlines are hostile input: this one must come out escaped everywhere.
HOSTILE = 'Border clash at Torkham <script>alert("owned")</script> & more'
URDU = "پاکستان اور افغانستان جنگ بندی میں توسیع پر متفق"
MARKET_REPORTS = 12


@dataclass
class Archive:
    """What the ``archive`` fixture stored, for assertions."""

    agreement_story: int
    clash_story: int
    agreement_alert: int
    clash_alert: int
    urdu_article: int
    irrelevant_article: int
    javascript_article: int


def fill_archive(sessions: Any) -> Archive:
    """Two alerted stories (one with a hostile headline), an Urdu report, an off-topic
    article, a ``javascript:`` URL and a dozen plain articles to page through."""
    with transaction(sessions) as session:
        agreement_alert = make_alert(session, title=AGREEMENT, slug="a")
        clash_alert = make_alert(
            session,
            title=HOSTILE,
            kind="new_clash",
            subtype="border_clash",
            slug="b",
            fields={"places": ["Torkham"], "casualties": {"pakistan": 2}},
        )
        stories = dict(session.execute(select(Alert.kind, Alert.story_id)).all())
        source_ids = dict(session.execute(select(Source.name, Source.id)).all())
        urdu = store_article(
            session,
            ArticleRecord(
                url="https://urdu.example/ceasefire",
                title=URDU,
                text="استنبول میں مذاکرات کے بعد دونوں ممالک نے جنگ بندی میں توسیع پر اتفاق کیا۔ " * 5,
                source_id=source_ids["geo"],
                language="ur",
                published_at=T0 + timedelta(hours=2),
            ),
        ).article_id
        attach(session, urdu, stories["talks_outcome"], title=URDU, when=T0)
        irrelevant = store_article(
            session,
            ArticleRecord(
                url="https://sport.example/cricket",
                title="Cricket: Pakistan beat Afghanistan in Sharjah",
                text="A cricket match report with no talks and no clash in it at all. " * 5,
                source_id=source_ids["dawn"],
                language="en",
                published_at=T0 - timedelta(hours=5),
                relevant=False,
            ),
        ).article_id
        javascript = store_article(
            session,
            ArticleRecord(
                url="javascript:alert(1)",
                title="Pakistan closes Chaman crossing after talks",
                text="A feed gave this item a javascript: link; the dashboard must not make it clickable. " * 5,
                source_id=source_ids["dawn"],
                language="en",
                published_at=T0 - timedelta(days=3),
            ),
        ).article_id
        for i in range(MARKET_REPORTS):
            store_article(
                session,
                ArticleRecord(
                    url=f"https://markets.example/report/{i}",
                    title=f"Border trade report {i}",
                    text=f"Trade report number {i} on the Torkham crossing and the goods waiting there. " * 5,
                    source_id=source_ids["geo"],
                    language="en",
                    published_at=T0 - timedelta(days=5, hours=i),
                ),
            )
    return Archive(
        agreement_story=stories["talks_outcome"],
        clash_story=stories["new_clash"],
        agreement_alert=agreement_alert,
        clash_alert=clash_alert,
        urdu_article=urdu,
        irrelevant_article=irrelevant,
        javascript_article=javascript,
    )


@pytest.fixture
def archive(db_url: str, sessions: Any) -> Archive:
    return fill_archive(sessions)


@pytest.fixture
def config_path(db_url: str, tmp_path: Path) -> Path:
    """A config file on the test database with the two sources the archive uses (and a third)."""
    sources = [
        {"name": "dawn", "type": "feed", "url": "https://www.dawn.com/feeds/home"},
        {"name": "geo", "type": "feed", "url": "https://geo.tv/rss", "interval": "15m"},
        {"name": "tolo", "type": "feed", "url": "https://tolonews.com/rss", "enabled": False},
    ]
    data = loopback_config(db_url, sources)
    data["topic"]["name"] = "Pakistan–Afghanistan talks"
    return write_config(tmp_path / "cfg", data)


@pytest.fixture
def web_config(config_path: Path) -> Config:
    return load_config(config_path, env={})


@contextlib.contextmanager
def running_api(config: Config, env: dict[str, str] | None = None) -> Iterator[ApiServer]:
    """The app on a real uvicorn, started with start_api on an event loop in a thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="api-loop", daemon=True)
    thread.start()
    try:
        api = asyncio.run_coroutine_threadsafe(
            start_api(config, host="127.0.0.1", port=0, env=env if env is not None else {}), loop
        ).result(timeout=30)
        try:
            yield api
        finally:
            asyncio.run_coroutine_threadsafe(api.stop(), loop).result(timeout=30)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()


@pytest.fixture
def api(web_config: Config, archive: Archive) -> Iterator[ApiServer]:
    with running_api(web_config) as server:
        yield server


@pytest.fixture
def client(api: ApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=30) as http:
        yield http


@pytest.fixture
def client_empty(web_config: Config, db_url: str) -> Iterator[httpx.Client]:
    """A client of the app on an empty archive."""
    with running_api(web_config) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield http
