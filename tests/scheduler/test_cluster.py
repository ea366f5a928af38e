"""The cluster mode end to end: 1 scheduler + 1 standby + 3 workers as real subprocesses on PostgreSQL.

A loopback site of many feeds carries the labeled articles of tests/fixtures/events; new
articles appear on every feed half-way. The cluster's archive must hold every article once
and equal, ids aside, what the single process's write path (:func:`crawler.ingest.ingest`)
stores when fed the same articles in the cluster's decision order (``replay`` in
tests/scheduler/clusterdata.py says why that order: the single process's own runs over this
site differ from each other in stories, as concurrent polls change the arrival order).
PostgreSQL only: the cluster mode needs it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.configfile import load_config
from storage.db import make_engine
from tests.conftest import _drop_pg_database, _pg_database_or_skip, loopback_config, run_cli, write_config
from tests.scheduler.clusterdata import (
    SCHEDULER_LOCK,
    Cluster,
    count,
    labeled,
    lock_holders,
    publish,
    replay,
    snapshot,
    sources,
    wait,
)
from tests.site import LoopbackSite

pytestmark = pytest.mark.slow

WORKERS = ("w1", "w2", "w3")
CONCURRENCY = 4  # crawl.concurrency_per_domain, for the whole cluster
ARTICLES = "SELECT count(*) FROM articles WHERE NOT is_seed"


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two fresh PostgreSQL databases: the cluster's and the replay's."""
    urls = [_pg_database_or_skip(), _pg_database_or_skip()]
    try:
        yield urls[0], urls[1]
    finally:
        for url in urls:
            _drop_pg_database(url)


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    site = LoopbackSite().start()
    yield site
    site.stop()


def _config(directory: Path, url: str, site: LoopbackSite, feeds: int, **sections: Any) -> Path:
    data = loopback_config(
        url,
        sources(site, feeds, "4s"),
        crawl={"concurrency_per_domain": CONCURRENCY},
        # The fixtures are from 2025: without lifting max_age nothing would alert.
        alerts={"max_age": None, **sections.pop("alerts", {})},
        cluster={"heartbeat": "1s", "stalled_after": "3s", "fetch_poll": "0.5s", "tick": "0.5s"},
        service={"status_file": None, "shutdown_grace": "2s"},
        api={"enabled": False},
        **sections,
    )
    return write_config(directory, data)


def _start(cluster: Cluster, url: str) -> None:
    """Scheduler, then the workers, then (once the first acts) the standby."""
    upgraded = run_cli("db", "upgrade", config=cluster.config)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    cluster.start("scheduler-a", "run", "--role", "scheduler")
    for name in WORKERS:
        cluster.start(name, "worker")
    engine = make_engine(url)
    try:
        wait(lambda: lock_holders(engine, SCHEDULER_LOCK) == ["scheduler-a"], 60, "the first scheduler to act", cluster)
    finally:
        engine.dispose()
    cluster.start("scheduler-b", "run", "--role", "scheduler")


def _polled_since(engine: Any, moment: float, feeds: int) -> bool:
    return count(engine, f"SELECT count(*) FROM sources WHERE last_fetch_at > to_timestamp({moment})") == feeds


def _check_against_replay(config: Path, engine: Any, replay_url: str, urls: set[str]) -> Any:
    got = snapshot(engine)
    # Every article of the site, once (articles.url is unique), plus the seed.
    assert {url for url, _, is_seed in got.articles if not is_seed} == urls
    replayed = replay(load_config(config), engine, replay_url)
    assert got.articles == replayed.articles
    assert got.copies == replayed.copies
    assert got.stories == replayed.stories
    assert got.events == replayed.events
    assert got.alerts == replayed.alerts
    assert got.alerts, "the site must make the cluster alert"
    return got


def test_cluster_archive_equals_the_single_process(tmp_path: Path, databases, site: LoopbackSite) -> None:
    feeds = 100
    cluster_url, replay_url = databases
    articles = labeled()
    first = publish(site, articles, feeds, phase=1)
    config = _config(tmp_path / "cluster", cluster_url, site, feeds)
    cluster = Cluster(config, tmp_path)
    engine = make_engine(cluster_url)
    try:
        _start(cluster, cluster_url)
        wait(lambda: count(engine, ARTICLES) >= len(first), 90, "phase 1 articles", cluster)
        switched = time.time()
        urls = first | publish(site, articles, feeds, phase=2)
        wait(
            lambda: count(engine, ARTICLES) >= len(urls) and _polled_since(engine, switched, feeds),
            90,
            "phase 2 articles and a poll of every feed",
            cluster,
        )
        cluster.check_alive("scheduler-a", "scheduler-b", *WORKERS)
    finally:
        cluster.stop()
    try:
        _check_against_replay(config, engine, replay_url, urls)
        # Per-host politeness held for the three workers together, not per worker.
        assert 0 < site.max_in_flight["/a"] <= CONCURRENCY
    finally:
        engine.dispose()
