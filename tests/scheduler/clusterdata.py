"""Helpers of the cluster tests: a loopback site of many feeds, the processes, and what to compare.

The site serves the labeled articles of tests/fixtures/events behind ``feeds`` RSS feeds,
each article carried by several feeds (sightings); :func:`publish` with ``phase=2`` adds
new articles to every feed ("new articles appearing"). :func:`snapshot` reduces an archive
to what a user sees, ids aside: which URLs are stored and relevant, which are copies of
which, which articles make each story, which events and alerts each story has, and the
deliveries.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import make_engine
from tests.conftest import ROOT
from tests.site import LoopbackSite, article_page, rss

DATASET = ROOT / "tests" / "fixtures" / "events" / "articles.yaml"
# The advisory lock keys of crawler.cluster and scheduler.cluster.leader.
DECIDE_LOCK = 0x6E77646563696465
SCHEDULER_LOCK = 0x6E77736368656C


def labeled() -> list[dict[str, Any]]:
    return list(yaml.safe_load(DATASET.read_text(encoding="utf-8")))


def publish(
    site: LoopbackSite, articles: list[dict[str, Any]], feeds: int, *, phase: int, per_feed: int = 2
) -> set[str]:
    """Serve ``feeds`` feeds; phase 1 carries the first half of ``articles``, phase 2 all of them.

    Feed ``i`` lists ``per_feed`` articles of the phase's set, spread so each article is on
    several feeds. Returns the URLs of the articles on the site.
    """
    pool = articles[: len(articles) // 2] if phase == 1 else articles
    used: set[str] = set()
    for i in range(feeds):
        items = []
        picks = {pool[(i * 7 + k * 13) % len(pool)]["id"] for k in range(per_feed)}
        if phase == 2:
            # Every feed gets one of the new articles, so every feed changed.
            picks.add(pool[len(articles) // 2 + i % (len(pool) - len(articles) // 2)]["id"])
        for article_id in sorted(picks):
            article = next(a for a in pool if a["id"] == article_id)
            path = f"/a/{article_id}"
            if path not in site.routes:
                paragraphs = [p for p in article["text"].split("\n") if p.strip()]
                site.add(
                    path,
                    article_page(
                        article["title"], paragraphs, published=str(article["published"]), lang=article["language"]
                    ),
                )
            used.add(site.url(path))
            items.append({"title": article["title"], "link": site.url(path), "guid": f"g-{article_id}"})
        # A little slow, so polls overlap and per-host politeness has something to hold back.
        site.add(
            f"/feeds/f{i}.xml",
            rss(items),
            headers={"Content-Type": "application/rss+xml"},
            conditional=True,
            delay=0.05,
        )
    return used


def sources(site: LoopbackSite, feeds: int, interval: str) -> list[dict[str, Any]]:
    return [
        {"name": f"f{i}", "type": "feed", "url": site.url(f"/feeds/f{i}.xml"), "interval": interval}
        for i in range(feeds)
    ]


@dataclass
class Snapshot:
    articles: set[tuple[str, bool | None, bool]] = field(default_factory=set)
    copies: set[frozenset[str]] = field(default_factory=set)
    stories: set[frozenset[str]] = field(default_factory=set)
    events: set[tuple[str, str | None, frozenset[str]]] = field(default_factory=set)
    alerts: list[tuple[str, str | None, frozenset[str]]] = field(default_factory=list)
    deliveries: list[tuple[str, str]] = field(default_factory=list)


def snapshot(engine: Engine) -> Snapshot:
    """The archive as a user sees it, ids aside (see the module docstring)."""
    snap = Snapshot()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, url, relevant, is_seed, duplicate_of, story_id FROM articles")).all()
        url = {r[0]: r[1] for r in rows}
        members: dict[int, set[str]] = {}
        groups: dict[int, set[str]] = {}
        for _article_id, article_url, relevant, is_seed, duplicate_of, story_id in rows:
            snap.articles.add((article_url, relevant, is_seed))
            if duplicate_of is not None:
                groups.setdefault(duplicate_of, {url[duplicate_of]}).add(article_url)
            if story_id is not None:
                members.setdefault(story_id, set()).add(article_url)
        snap.copies = {frozenset(g) for g in groups.values()}
        snap.stories = {frozenset(m) for m in members.values()}
        for kind, subtype, story_id in conn.execute(text("SELECT kind, subtype, story_id FROM events")):
            snap.events.add((kind, subtype, frozenset(members.get(story_id, ()))))
        for kind, subtype, story_id in conn.execute(text("SELECT kind, subtype, story_id FROM alerts")):
            snap.alerts.append((kind, subtype, frozenset(members.get(story_id, ()))))
        snap.alerts.sort(key=repr)
        # The alerts' own deliveries: a material update's (update_id set) waits alerts.group_interval.
        snap.deliveries = sorted(
            (channel, status)
            for channel, status in conn.execute(text("SELECT channel, status FROM deliveries WHERE update_id IS NULL"))
        )
    return snap


def count(engine: Engine, sql: str, **params: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar() or 0)


def lock_holders(engine: Engine, key: int, blocked_by: int | None = None) -> list[str]:
    """application_name of the sessions holding advisory lock ``key`` in ``engine``'s database.

    Every test process sets PGAPPNAME. Advisory locks belong to a database, and pg_locks
    lists every database's: another test's cluster on the same server holds the same keys
    under the same names. ``blocked_by``: only holders that wait for a lock of that
    backend (its pid), and so cannot let go of ``key`` before that backend does.
    """
    blocked = "" if blocked_by is None else "AND CAST(:blocker AS integer) = ANY(pg_blocking_pids(a.pid))"
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :hi AND l.objid = :lo "
                f"AND a.datname = current_database() {blocked}"
            ),
            {"hi": key >> 32, "lo": key & 0xFFFFFFFF, "blocker": blocked_by},
        ).all()
    return [r[0] for r in rows]


def busy_sessions(engine: Engine, name: str) -> int:
    """How many sessions of process ``name`` (PGAPPNAME) on ``engine``'s database are running a statement."""
    return count(
        engine,
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = :name AND state = 'active' "
        "AND datname = current_database()",
        name=name,
    )


class Cluster:
    """Scheduler, standby and workers of one test, as real subprocesses, each named by PGAPPNAME."""

    def __init__(self, config: Path, logs: Path, env: dict[str, str] | None = None) -> None:
        self.config = config
        self.logs = logs
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")} | (env or {})
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as log:  # the child keeps its own descriptor
            proc = subprocess.Popen(
                [sys.executable, "-m", "scheduler.cli", *args, "--config", str(self.config)],
                cwd=ROOT,
                env=self.env | {"PGAPPNAME": name},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.procs[name] = proc
        return proc

    def kill(self, name: str) -> None:
        """kill -9: no cleanup of any kind."""
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait(10)

    def freeze(self, name: str) -> None:
        """SIGSTOP: the process does nothing more (what it already sent the database still runs)."""
        self.procs[name].send_signal(signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        """SIGCONT: a frozen process goes on."""
        self.procs[name].send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Stop every process still running (SIGTERM, then SIGKILL after 15 s); safe to call twice."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)  # a frozen process would not act on SIGTERM
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()

    def log(self, name: str, tail: int | None = 3000) -> str:
        text = (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        return text if tail is None else text[-tail:]

    def check_alive(self, *names: str) -> None:
        for name in names:
            code = self.procs[name].poll()
            assert code is None, f"{name} exited with {code}:\n{self.log(name)}"


def wait(condition: Callable[[], bool], seconds: float, what: str, cluster: Cluster | None = None) -> None:
    """Poll ``condition`` until it holds; fail with the processes' logs after ``seconds`` (a liveness bound)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            logs = "" if cluster is None else "\n".join(f"--- {n}\n{cluster.log(n)}" for n in cluster.procs)
            raise AssertionError(f"timed out waiting for {what}\n{logs}")
        time.sleep(0.1)


def replay(config: Any, cluster: Engine, url: str) -> Snapshot:
    """The single process's write path, fed the cluster's articles in the cluster's decision order.

    Why: the single process decides articles in the order they arrive, and with concurrent
    polls that order differs from run to run (and with it, for some articles, which story
    they join). The cluster hands out article ids under its decision lock, so id order is
    its decision order; :func:`crawler.ingest.ingest`, run one article at a time in that
    order into a fresh database (``url``), must decide exactly what the cluster decided.
    Each article is analysed again from its stored title and text (what the crawl analysed).
    """
    import asyncio

    from crawler.analysis.prepare import Analyser
    from crawler.ingest import ingest
    from crawler.runner import open_context
    from crawler.writer import DbWriter
    from scheduler.database import sync_config_sources
    from storage.articles import ArticleRecord
    from storage.db import transaction, upgrade

    upgrade(url)
    with cluster.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.url, a.title, a.text, s.name, a.fetched_at, a.guid, a.summary, a.author, a.language,"
                " a.published_at, a.published_source, a.extraction FROM articles a"
                " LEFT JOIN sources s ON s.id = a.source_id WHERE NOT a.is_seed ORDER BY a.id"
            )
        ).all()
    analyser = Analyser(config.topic, config.dedup)

    async def run() -> None:
        writer = DbWriter(url)
        await writer.run(sync_config_sources, config)
        with transaction(writer.sessions) as session:
            ids = dict(session.execute(text("SELECT name, id FROM sources")).all())
        context = await open_context(config, writer)
        try:
            for row in rows:
                record = ArticleRecord(
                    url=row[0],
                    title=row[1],
                    text=row[2],
                    source_id=ids.get(row[3]),
                    fetched_at=row[4],
                    guid=row[5],
                    summary=row[6],
                    author=row[7],
                    language=row[8],
                    published_at=row[9],
                    published_source=row[10],
                    extraction=row[11],
                )
                analysis = analyser.analyse(record.title, record.text, record.language, record.published_at or row[4])
                await writer.submit(ingest, context, record, analysis)
        finally:
            await context.close()

    asyncio.run(run())
    engine = make_engine(url)
    try:
        return snapshot(engine)
    finally:
        engine.dispose()
