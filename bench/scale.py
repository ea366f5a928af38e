#!/usr/bin/env python
"""Cluster benchmark: polls/s and articles/s with 1, 2, 3 workers, the decision step, 304 cost.

Run by hand (not a test), from the repository root, with PostgreSQL at 127.0.0.1:5432:

    /work/venv/bin/python bench/scale.py [--feeds 200] [--workers 1,2,3] [--out bench/results/scale.json]

For each worker count K, a fresh database and a loopback site of ``--feeds`` feeds, each
carrying ``--per-feed`` articles of its own (labeled texts of tests/fixtures/events with a
unique title and first sentence, so every page is a new article and goes through the whole
decision step). One scheduler and K ``newswatch worker`` processes poll every feed once
(pass 1: 200s and new articles), then once more (pass 2: every feed answers 304).
Figures come from the archive itself (crawl_runs start and end times, so process start-up
is left out) and from pg_stat_database (transactions per poll). The single process is
measured on the same site with ``newswatch crawl`` (the same poll code, one process), twice.

The decision step's capacity: :class:`crawler.cluster.ClusterDecider` (advisory lock,
catch-up, ingest, commit) against plain :func:`crawler.ingest.ingest`, in this process, on
the articles pass 1 stored, replayed into a fresh database one at a time.

See bench/README.md and docs/scaling.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from storage.db import make_engine  # noqa: E402
from tests.conftest import _create_pg_database, _drop_pg_database, loopback_config, run_cli, write_config  # noqa: E402
from tests.scheduler.clusterdata import Cluster, labeled, wait  # noqa: E402
from tests.site import LoopbackSite, article_page, rss  # noqa: E402


def build_site(site: LoopbackSite, feeds: int, per_feed: int) -> int:
    """Feeds with articles of their own; returns the number of article pages."""
    texts = labeled()
    n = 0
    for i in range(feeds):
        items = []
        for k in range(per_feed):
            base = texts[(i * per_feed + k) % len(texts)]
            paragraphs = [p for p in base["text"].split("\n") if p.strip()]
            title = f"{base['title']} (report {i}-{k})"
            paragraphs[0] = f"Report {i}-{k} from desk {i * 31 + k}. " + paragraphs[0]
            path = f"/a/{i}-{k}"
            site.add(path, article_page(title, paragraphs, published=str(base["published"]), lang=base["language"]))
            items.append({"title": title, "link": site.url(path), "guid": f"g-{i}-{k}"})
            n += 1
        site.add(f"/f{i}.xml", rss(items), headers={"Content-Type": "application/rss+xml"}, conditional=True)
    return n


def config_for(directory: Path, url: str, site: LoopbackSite, feeds: int) -> Path:
    sources = [{"name": f"f{i}", "type": "feed", "url": site.url(f"/f{i}.xml"), "interval": "1h"} for i in range(feeds)]
    data = loopback_config(
        url,
        sources,
        crawl={"concurrency_per_domain": 16, "concurrency": 16},
        alerts={"max_age": None},
        cluster={"heartbeat": "2s", "stalled_after": "10s", "fetch_poll": "0.5s", "tick": "0.5s"},
        service={"status_file": None},
        api={"enabled": False},
    )
    return write_config(directory, data)


def scalar(engine: Any, sql: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def commits(engine: Any) -> int:
    return int(scalar(engine, "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"))


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (their children included once they were waited for)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError):
            pass
    return total


def pass_figures(engine: Any, since: float, feeds: int) -> dict[str, float]:
    """Wall time of one pass over every feed (first poll start to last poll end) and its rates."""
    row = None
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT extract(epoch FROM min(started_at)), extract(epoch FROM max(finished_at)), count(*),"
                " sum(articles_new) FROM crawl_runs WHERE started_at > to_timestamp(:t)"
            ),
            {"t": since},
        ).one()
    seconds = float(row[1] - row[0])
    return {
        "seconds": seconds,
        "polls": row[2],
        "articles": int(row[3] or 0),
        "polls_per_s": row[2] / seconds,
        "articles_per_s": int(row[3] or 0) / seconds,
    }


def run_cluster(tmp: Path, site: LoopbackSite, feeds: int, workers: int) -> dict[str, Any]:
    url = _create_pg_database()
    engine = make_engine(url)
    try:
        config = config_for(tmp / f"k{workers}", url, site, feeds)
        assert run_cli("db", "upgrade", config=config).returncode == 0
        cluster = Cluster(config, tmp / f"k{workers}")
        names = [f"w{i}" for i in range(workers)]
        for name in names:
            cluster.start(name, "worker")
        time.sleep(8)  # worker start-up is not what is measured (runs are timed in the archive)
        start = time.time()
        cluster.start("scheduler", "run", "--role", "scheduler")
        done = f"SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL AND started_at > to_timestamp({start})"
        wait(lambda: scalar(engine, done) >= feeds, 900, "pass 1", cluster)
        first = pass_figures(engine, start, feeds)
        # Pass 2: every feed due again, every answer a 304.
        time.sleep(2)
        before_commits, before_cpu = commits(engine), cpu_seconds([cluster.procs[n].pid for n in names])
        again = time.time()
        with engine.begin() as conn:
            conn.execute(text("UPDATE sources SET next_fetch_at = now(), last_fetch_at = now() - interval '2 hours'"))
        done2 = f"SELECT count(*) FROM crawl_runs WHERE finished_at IS NOT NULL AND started_at > to_timestamp({again})"
        wait(lambda: scalar(engine, done2) >= feeds, 900, "pass 2", cluster)
        time.sleep(1)
        second = pass_figures(engine, again, feeds)
        second["commits_per_poll"] = (commits(engine) - before_commits) / feeds
        second["worker_cpu_ms_per_poll"] = (
            1000 * (cpu_seconds([cluster.procs[n].pid for n in names]) - before_cpu) / feeds
        )
        second["http_304"] = int(
            scalar(
                engine,
                f"SELECT count(*) FROM crawl_runs WHERE http_status = 304 AND started_at > to_timestamp({again})",
            )
        )
        cluster.stop()
        return {"workers": workers, "pass1": first, "pass2_304": second, "url": url, "config": config}
    finally:
        engine.dispose()


def run_single(tmp: Path, site: LoopbackSite, feeds: int) -> dict[str, Any]:
    url = _create_pg_database()
    engine = make_engine(url)
    try:
        config = config_for(tmp / "single", url, site, feeds)
        start = time.time()
        result = run_cli("crawl", config=config, timeout=1800)
        assert result.returncode == 0, result.stderr[-2000:]
        first = pass_figures(engine, start, feeds)
        before = commits(engine)
        again = time.time()
        result = run_cli("crawl", config=config, timeout=1800)
        assert result.returncode == 0, result.stderr[-2000:]
        second = pass_figures(engine, again, feeds)
        second["commits_per_poll"] = (commits(engine) - before) / feeds
        return {"pass1": first, "pass2_304": second}
    finally:
        engine.dispose()
        _drop_pg_database(url)


def decision_capacity(source_url: str, config_path: Path, limit: int) -> dict[str, float]:
    """Decisions/s of ClusterDecider against plain ingest, on the stored articles, replayed in id order."""
    from core.configfile import load_config
    from crawler.analysis.prepare import Analyser
    from crawler.cluster import ClusterDecider
    from crawler.ingest import ingest
    from crawler.runner import open_context
    from crawler.writer import DbWriter
    from storage.articles import ArticleRecord
    from storage.db import upgrade

    source = make_engine(source_url)
    with source.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT url, title, text, language, published_at, fetched_at FROM articles WHERE NOT is_seed"
                " ORDER BY id LIMIT :n"
            ),
            {"n": limit},
        ).all()
    source.dispose()
    config = load_config(config_path)
    analyser = Analyser(config.topic, config.dedup)
    analysed = [(r, analyser.analyse(r[1], r[2], r[3], r[4] or r[5])) for r in rows]
    figures: dict[str, float] = {}
    for label in ("ingest", "cluster"):
        url = _create_pg_database()
        upgrade(url)

        async def run(label: str = label, url: str = url) -> float:
            writer = DbWriter(url)
            decide = (
                ClusterDecider(config.topic, config.stories, analyser, config.events) if label == "cluster" else None
            )
            context = await open_context(config, writer, decide=decide)
            step = decide or ingest
            started = time.perf_counter()
            for row, analysis in analysed:
                record = ArticleRecord(
                    url=row[0], title=row[1], text=row[2], source_id=None, language=row[3], published_at=row[4]
                )
                await writer.submit(step, context, record, analysis)
            seconds = time.perf_counter() - started
            await context.close()
            return seconds

        seconds = asyncio.run(run())
        figures[f"{label}_per_s"] = len(analysed) / seconds
        _drop_pg_database(url)
    figures["articles"] = len(analysed)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--per-feed", type=int, default=2)
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    site = LoopbackSite().start()
    build_site(site, args.feeds, args.per_feed)
    results: dict[str, Any] = {"feeds": args.feeds, "per_feed": args.per_feed, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        results["single"] = run_single(Path(tmp), site, args.feeds)
        print(json.dumps(results["single"], indent=1), flush=True)
        results["cluster"] = []
        for k in (int(x) for x in args.workers.split(",")):
            figures = run_cluster(Path(tmp), site, args.feeds, k)
            url, config = figures.pop("url"), figures.pop("config")
            if k == 1:
                results["decision"] = decision_capacity(url, config, 300)
                print(json.dumps(results["decision"], indent=1), flush=True)
            _drop_pg_database(url)
            results["cluster"].append(figures)
            print(json.dumps(figures, indent=1), flush=True)
    results["load_after"] = os.getloadavg()
    site.stop()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
