"""Soak test of ``newswatch run``: memory per crawl cycle, CPU per 304 poll, detection lag.

One run:

1. starts a loopback news site in its own process: ``--feeds`` RSS feeds (conditional GET:
   ETag and Last-Modified, 304 when unchanged) and a publisher thread that adds one new
   article to ``--new-per-cycle`` feeds every cycle, dated the moment it appears;
2. starts ``newswatch run`` (a subprocess, the shipped topic, SQLite, every feed on an
   interval of one cycle, extraction workers as configured by default);
3. samples the resident memory and CPU of the service and its extraction workers each
   time the status file says another
   ``--feeds`` polls were made (one crawl cycle), for ``--cycles`` cycles;
4. pauses the publisher for ``--quiet-cycles`` cycles: every poll answers 304, and the
   service's CPU over that phase divided by its polls is the all-in cost of a 304 poll
   (scheduling, the conditional GET, bookkeeping in the database, the status file);
5. measures two baselines against the same server: a bare, long-lived Scrapy crawler
   sending the same conditional GET (what newswatch adds on top of Scrapy), and a bare
   ``http.client`` request on a kept-alive connection (the floor any Python poller pays);
6. reads detection lag from the archive (first seen minus the feed's published time, for
   items that appeared while the service ran), stops the service with SIGTERM and times it.

    /work/venv/bin/python bench/soak.py                      # 50 feeds, 300 cycles of 1 s (~7 min)
    /work/venv/bin/python bench/soak.py --cycles 60          # quick check

Targets (issue 5): resident memory grows less than 10% from cycle 50 to the end; a 304
poll costs under 5 ms of CPU.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing as mp
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness.live_site import serve  # noqa: E402
from harness.procfs import tree_cpu_s, tree_rss_mb  # noqa: E402

# --- the service ------------------------------------------------------------------------


def _config(directory: Path, base: str, feeds: int, cycle: float, db: Path, workers: int | None) -> Path:
    shipped = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    topic = shipped["topic"]
    seeds = topic["seed"] if isinstance(topic["seed"], list) else [topic["seed"]]
    topic["seed"] = [str((ROOT / s).resolve()) for s in seeds]
    config = {
        "database": {"url": f"sqlite:///{db}"},
        "topic": topic,
        "sources": [
            {"name": f"feed{i:03d}", "type": "feed", "url": f"{base}/feed/{i}.xml", "interval": f"{cycle}s"}
            for i in range(feeds)
        ],
        "crawl": {
            "allow_private_addresses": True,
            "obey_robots": False,
            "download_delay": 0,
            "autothrottle": False,
            "concurrency": 32,
            "concurrency_per_domain": 32,
            "extract_workers": workers,
            "timeout": "20s",
        },
        "alerts": {"max_age": None},
        "service": {"status_file": str(directory / "status.json"), "heartbeat": "1s"},
    }
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def _proc(pid: int) -> tuple[float, float]:
    """(resident MiB, CPU seconds) of the service and its extraction workers."""
    return tree_rss_mb(pid)[1], tree_cpu_s(pid)


def _crawls(status_file: Path) -> int:
    try:
        return int(json.loads(status_file.read_text(encoding="utf-8"))["counters"].get("crawls_total", 0))
    except (OSError, ValueError, KeyError):
        return 0


def _wait_cycles(process: subprocess.Popen[bytes], status_file: Path, polls: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode}")
        done = _crawls(status_file)
        if done >= polls:
            return done
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {polls} polls")


def bare_304_cpu(base: str, rounds: int = 500) -> float:
    """CPU ms of one conditional GET answered 304, with http.client on a kept-alive connection."""
    parsed = base.removeprefix("http://")
    host, port = parsed.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/feed/0.xml")
    response = connection.getresponse()
    response.read()
    etag = response.getheader("ETag") or ""
    start = time.process_time()
    for _ in range(rounds):
        connection.request("GET", "/feed/0.xml", headers={"If-None-Match": etag})
        response = connection.getresponse()
        response.read()
        assert response.status == 304, response.status
    spent = time.process_time() - start
    connection.close()
    return spent / rounds * 1000


def bare_scrapy_child(url: str, rounds: int) -> None:
    """In a fresh process: one long-lived Scrapy crawler (as newswatch keeps per source) sends
    ``rounds`` conditional GETs answered 304, one after the other; prints CPU ms per request."""
    import asyncio

    import scrapy
    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerRunner
    from scrapy.exceptions import DontCloseSpider
    from twisted.internet.defer import Deferred

    from crawler.runner import install_reactor

    reactor = install_reactor()
    state: dict[str, Any] = {}

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self) -> Any:
            return
            yield

        def parse(self, response: Any) -> None:
            state["future"].set_result(response)

    def keep_open(spider: Any) -> None:
        raise DontCloseSpider

    async def main() -> None:
        settings = {"LOG_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False}
        runner = AsyncCrawlerRunner(settings)
        crawler = runner.create_crawler(Bare)
        crawler.signals.connect(keep_open, signal=signals.spider_idle)
        loop = asyncio.get_running_loop()
        opened = loop.create_future()

        def on_open(spider: Any) -> None:
            opened.set_result(None)

        crawler.signals.connect(on_open, signal=signals.spider_opened)
        task = asyncio.ensure_future(runner.crawl(crawler))
        await asyncio.wait({opened, task}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            task.result()  # the crawl ended before it opened: raise its error

        async def fetch(headers: dict[str, str]) -> Any:
            state["future"] = loop.create_future()
            request = scrapy.Request(url, headers=headers, dont_filter=True, meta={"handle_httpstatus_list": [304]})
            crawler.engine.crawl(request)
            return await state["future"]

        first = await fetch({})
        etag = first.headers.get(b"ETag", b"").decode()
        start = time.process_time()
        for _ in range(rounds):
            response = await fetch({"If-None-Match": etag})
            assert response.status == 304, response.status
        print(json.dumps({"bare_scrapy_304_cpu_ms": (time.process_time() - start) / rounds * 1000}), flush=True)
        crawler.signals.disconnect(keep_open, signal=signals.spider_idle)
        await crawler.stop_async()
        await task
        reactor.stop()

    reactor.callWhenRunning(lambda: Deferred.fromFuture(asyncio.ensure_future(main())))
    reactor.run()


def bare_scrapy_304_cpu(base: str, rounds: int = 300) -> float:
    """CPU ms of one 304 through a bare, long-lived Scrapy crawler (a child process)."""
    out = subprocess.run(
        [sys.executable, __file__, "--bare-child", f"{base}/feed/0.xml", "--rounds", str(rounds)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["bare_scrapy_304_cpu_ms"])


def lag_figures(db: Path, since: datetime) -> dict[str, float]:
    """Detection lag (seconds) of the items that appeared while the service ran."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT published_at, fetched_at FROM articles WHERE is_seed = 0 AND published_source = 'feed'"
        ).fetchall()
    lags = []
    for published, fetched in rows:
        p = datetime.fromisoformat(published).replace(tzinfo=UTC)
        f = datetime.fromisoformat(fetched).replace(tzinfo=UTC)
        if p >= since:
            lags.append((f - p).total_seconds())
    if not lags:
        return {"items": 0}
    lags.sort()
    return {
        "items": len(lags),
        "median_s": round(statistics.median(lags), 2),
        "p95_s": round(lags[int(0.95 * (len(lags) - 1))], 2),
        "max_s": round(lags[-1], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--cycle", type=float, default=1.0, help="seconds between polls of a feed")
    parser.add_argument("--new-per-cycle", type=int, default=5)
    parser.add_argument("--quiet-cycles", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=50, help="cycle from which memory must stay flat")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--extract-workers", type=int, default=None, help="crawl.extract_workers (default: the service's, one per core)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "soak.json")
    parser.add_argument(
        "--profile",
        type=Path,
        help="run the service under cProfile, save the profile here (main thread only; CPU includes the profiler)",
    )
    parser.add_argument("--bare-child", help=argparse.SUPPRESS)
    parser.add_argument("--rounds", type=int, default=300, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_child:
        bare_scrapy_child(args.bare_child, args.rounds)
        return

    parent, child = mp.get_context("fork").Pipe()
    site = mp.get_context("fork").Process(
        target=serve, args=(child, args.feeds, args.new_per_cycle, args.cycle, args.seed), daemon=True
    )
    site.start()
    base = parent.recv()
    work = Path(tempfile.mkdtemp(prefix="newswatch-soak-"))
    db = work / "soak.db"
    config = _config(work, base, args.feeds, args.cycle, db, args.extract_workers)
    status_file = work / "status.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    log = (work / "service.log").open("wb")
    started_at = datetime.now(UTC)
    profiler = ["-m", "cProfile", "-o", str(args.profile.resolve())] if args.profile else []
    service = subprocess.Popen(
        [sys.executable, *profiler, "-m", "scheduler.cli", "run", "--config", str(config)],
        cwd=ROOT,
        env=env,
        stderr=log,
    )
    samples: list[dict[str, float]] = []
    try:
        t0 = time.monotonic()
        for cycle in range(1, args.cycles + 1):
            polls = _wait_cycles(service, status_file, cycle * args.feeds, timeout=60 + 10 * args.cycle)
            rss, cpu = _proc(service.pid)
            samples.append(
                {
                    "cycle": cycle,
                    "polls": polls,
                    "rss_mib": round(rss, 1),
                    "cpu_s": cpu,
                    "t_s": round(time.monotonic() - t0, 1),
                }
            )
            if cycle % 25 == 0:
                print(f"cycle {cycle}: RSS {rss:.1f} MiB, CPU {cpu:.1f} s, {time.monotonic() - t0:.0f} s", flush=True)
        # The 304 phase: nothing new anywhere; skip two cycles so the last changes are fetched.
        parent.send("pause")
        base_polls = _wait_cycles(service, status_file, (args.cycles + 2) * args.feeds, timeout=120)
        _, cpu0 = _proc(service.pid)
        wall0 = time.monotonic()
        end_polls = _wait_cycles(
            service, status_file, base_polls + args.quiet_cycles * args.feeds, timeout=60 + 10 * args.quiet_cycles
        )
        _, cpu1 = _proc(service.pid)
        quiet_wall = time.monotonic() - wall0
        per_poll_ms = (cpu1 - cpu0) / (end_polls - base_polls) * 1000
        parent.send("published")
        published = parent.recv()
        stop_started = time.monotonic()
        service.send_signal(signal.SIGTERM)
        code = service.wait(timeout=30)
        stop_s = time.monotonic() - stop_started
    finally:
        if service.poll() is None:
            service.kill()
        log.close()
    bare_ms = bare_304_cpu(base)
    scrapy_ms = bare_scrapy_304_cpu(base)
    parent.close()
    site.join(timeout=5)

    warm = [s for s in samples if s["cycle"] >= args.warmup]
    memory = {
        "rss_first_mib": samples[0]["rss_mib"],
        "rss_at_warmup_mib": warm[0]["rss_mib"] if warm else None,
        "rss_end_mib": samples[-1]["rss_mib"],
        "rss_max_after_warmup_mib": max((s["rss_mib"] for s in warm), default=None),
    }
    growth = (samples[-1]["rss_mib"] / warm[0]["rss_mib"] - 1) if warm else None
    cpu_per_cycle = [(b["cpu_s"] - a["cpu_s"]) for a, b in itertools.pairwise(samples)]
    result = {
        "when": started_at.isoformat(timespec="seconds"),
        "feeds": args.feeds,
        "cycles": args.cycles,
        "cycle_s": args.cycle,
        "new_per_cycle": args.new_per_cycle,
        "items_published": published,
        "memory": memory,
        "growth_after_warmup": round(growth, 4) if growth is not None else None,
        "target_growth_lt": 0.10,
        "cpu_per_cycle_s_median": round(statistics.median(cpu_per_cycle), 3) if cpu_per_cycle else None,
        "poll_304_cpu_ms": round(per_poll_ms, 2),
        "poll_304_polls": end_polls - base_polls,
        "poll_304_wall_s": round(quiet_wall, 1),
        "bare_http_client_304_cpu_ms": round(bare_ms, 3),
        "ratio_304_vs_bare": round(per_poll_ms / bare_ms, 1) if bare_ms else None,
        "bare_scrapy_304_cpu_ms": round(scrapy_ms, 3),
        "ratio_304_vs_bare_scrapy": round(per_poll_ms / scrapy_ms, 2) if scrapy_ms else None,
        "target_304_cpu_ms_lt": 5.0,
        "lag": lag_figures(db, started_at),
        "stop_s": round(stop_s, 2),
        "exit_code": code,
        "samples": samples,
        "workdir": str(work),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    summary = {k: v for k, v in result.items() if k != "samples"}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
