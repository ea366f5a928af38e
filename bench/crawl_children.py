"""The children of bench/crawl.py, each run as ``crawl.py --child MODE JSON`` in its own process.

* ``bare`` - a plain scrapy.Spider fetching the article URLs (a);
* ``pipeline`` - crawl_once() against a fresh database (c), optionally under cProfile;
* ``memory`` - three crawls on one reactor, RSS after each (d).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

from harness import ROOT
from harness.procfs import ThreadCpu, rss_of, self_rusage, tree_cpu_s, tree_rss_mb


def child_bare(args: dict) -> dict:
    t_start = time.time()
    import logging

    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    t_imported = time.time()
    urls = json.loads(Path(args["urls_file"]).read_text())
    marks: dict[str, float] = {}

    class BareSpider(scrapy.Spider):
        name = "bare"
        pages = 0
        bytes_ = 0

        async def start(self):
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True)

        def parse(self, response):
            self.pages += 1
            self.bytes_ += len(response.body)

    logging.basicConfig(level=logging.WARNING)
    settings = {
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "USER_AGENT": "newswatch-bench",
        "ROBOTSTXT_OBEY": False,
        "CONCURRENT_REQUESTS": args["concurrency"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": args["per_domain"],
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": False,
        "LOGSTATS_INTERVAL": 0,
        "STATS_DUMP": False,
        "DNSCACHE_ENABLED": True,
        "DOWNLOAD_TIMEOUT": 30,
    }
    process = CrawlerProcess(settings, install_root_handler=False)
    crawler = process.create_crawler(BareSpider)

    def mark(name):
        marks.setdefault(name, time.time())
        marks.setdefault(name + "_cpu", time.process_time())

    crawler.signals.connect(lambda **_: mark("opened"), signal=signals.spider_opened, weak=False)
    crawler.signals.connect(lambda **_: mark("closed"), signal=signals.spider_closed, weak=False)
    process.crawl(crawler)
    t_crawl = time.time()
    process.start()
    t_done = time.time()
    spider = crawler.spider
    stats = crawler.stats.get_stats()
    return {
        "pages": spider.pages,
        "bytes": spider.bytes_,
        "requested": len(urls),
        "t_start": t_start,
        "imports_s": t_imported - t_start,
        "crawl_s": marks.get("closed", t_done) - marks.get("opened", t_crawl),
        "crawl_cpu_s": marks.get("closed_cpu", 0.0) - marks.get("opened_cpu", 0.0),
        "process_start_to_stop_s": t_done - t_crawl,
        "t_exit": time.time(),
        "errors": {k: v for k, v in stats.items() if "exception" in k or "status_count" in k},
        **self_rusage(),
    }


def apply_overrides(overrides: dict) -> None:
    """--scrapy-setting: wrap crawler.runner's scrapy_settings (what-if runs; no code changed)."""
    if not overrides:
        return
    import crawler.runner

    original = crawler.runner.scrapy_settings

    def patched(config):
        return {**original(config), **overrides}

    crawler.runner.scrapy_settings = patched


def extract_workers(config) -> int | None:
    """Extraction worker processes the crawl uses (None: this version has no pool)."""
    configured = getattr(config.crawl, "extract_workers", "absent")
    if configured == "absent":
        return None
    if configured is None:
        try:
            from crawler.extract_pool import default_workers
        except ImportError:
            return None
        return default_workers()
    return configured


def child_pipeline(args: dict) -> dict:
    t_start = time.time()
    from core.configfile import load_config
    from core.logs import setup_logging
    from crawler.runner import crawl_once

    apply_overrides(args.get("overrides") or {})
    t_imported = time.time()
    setup_logging(False)  # INFO on stderr (redirected to a file), as `newswatch crawl` does
    config = load_config(args["config"])
    sampler = ThreadCpu()
    profile = None
    if args.get("profile"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    c_crawl = time.process_time()
    tree_crawl = tree_cpu_s(os.getpid())
    t_crawl = time.time()
    summaries = crawl_once(config)
    t_done = time.time()
    crawl_cpu = time.process_time() - c_crawl
    # Extraction workers are reaped when the crawl closes its pool: their CPU is then in
    # this process's children times.
    crawl_tree_cpu = tree_cpu_s(os.getpid()) - tree_crawl
    hotspots = None
    if profile is not None:
        profile.disable()
        hotspots = profile_report(profile, args["profile"])
    return {
        "t_start": t_start,
        "imports_s": t_imported - t_start,
        "crawl_s": t_done - t_crawl,
        "crawl_cpu_s": crawl_tree_cpu,
        "crawl_cpu_main_process_s": crawl_cpu,
        "extract_workers": extract_workers(config),
        "t_crawl_start": t_crawl,
        "t_crawl_end": t_done,
        "t_exit": time.time(),
        "summaries": [s.as_dict() for s in summaries],
        "thread_cpu_s": sampler.report(),
        "rss_end_mb": rss_of().get("VmRSS"),
        "hotspots": hotspots,
        **self_rusage(),
    }


def profile_report(profile, path: str, top: int = 25) -> dict:
    """Save the profile and return the top functions by own time and by cumulative time."""
    import pstats

    profile.dump_stats(path)
    stats = pstats.Stats(profile)
    total = stats.total_tt

    def rows(key: str) -> list[dict]:
        ordered = sorted(stats.stats.items(), key=lambda kv: -kv[1][3 if key == "cumtime" else 2])
        out = []
        for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in ordered[:top]:
            short = filename
            for prefix in (str(ROOT) + "/", "/work/venv/lib/python3.11/site-packages/"):
                short = short.replace(prefix, "")
            out.append(
                {
                    "where": f"{short}:{line}({func})",
                    "ncalls": ncalls,
                    "tottime_s": round(tottime, 3),
                    "cumtime_s": round(cumtime, 3),
                }
            )
        return out

    return {
        "total_s": round(total, 2),
        "file": path,
        "stages_cumtime": stage_times(stats.stats, total, PIPELINE_STAGES),
        "own_time_by_package": by_package(stats.stats, total),
        "by_tottime": rows("tottime"),
        "by_cumtime": rows("cumtime"),
    }


# (label, path suffix, function name): where an article's main-thread time goes, by stage.
PIPELINE_STAGES = [
    ("feed parsing (discover)", "crawler/discovery.py", "parse_feed"),
    ("parse_article (all)", "crawler/spiders/articles.py", "parse_article"),
    # prepare() runs here only with extract_workers 0 (else in the worker processes).
    ("  prepare() (extract + analyse)", "crawler/analysis/prepare.py", "prepare"),
    ("    extract()", "crawler/analysis/extract.py", "extract"),
    ("      trafilatura.bare_extraction", "trafilatura/core.py", "bare_extraction"),
    ("      detect_language (py3langid)", "crawler/analysis/extract.py", "detect_language"),
    ("      _find_date (htmldate)", "crawler/analysis/extract.py", "_find_date"),
    ("      lxml.html.fromstring", "lxml/html/__init__.py", "fromstring"),
    ("    analyse()", "crawler/analysis/prepare.py", "analyse"),
    ("      fingerprint (shingles + MinHash)", "crawler/analysis/fingerprint.py", "fingerprint"),
    ("      relevance judge", "crawler/analysis/relevance.py", "judge"),
    ("      event classify", "crawler/analysis/events/classifier.py", "classify"),
    ("      story features", "crawler/analysis/features.py", "article_features"),
    ("  response.text decode", "scrapy/http/response/text.py", "text"),
    # The duplicate lookup, story match and writes run in batches on the DB writer thread,
    # which cProfile does not see: its CPU is in thread_cpu_s.
    ("StorePipeline (main thread part)", "crawler/pipelines/store.py", "process_item"),
    # Scrapy runs CONCURRENT_ITEMS worker tasks per callback result (even for one item):
    # the workers' time includes the item pipelines above; create_task is the pure overhead.
    ("scrapy item workers (incl. pipelines)", "scrapy/utils/asyncio.py", "worker"),
    ("asyncio create_task", "asyncio/base_events.py", "create_task"),
    ("epoll wait (idle)", "~", "<method 'poll' of 'select.epoll' objects>"),
]


def stage_times(raw: dict, total: float, stages: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """Cumulative time of chosen functions (summed over same-named matches); absent ones skipped.

    Coroutines are counted per resume, so time spent awaiting is not included.
    """
    out = {}
    for label, suffix, func in stages:
        cum = sum(v[3] for (f, _l, name), v in raw.items() if name == func and f.endswith(suffix))
        if cum:
            out[label] = {"s": round(cum, 2), "pct": round(100 * cum / total, 1)}
    return out


def by_package(raw: dict, total: float) -> dict[str, dict[str, float]]:
    """Own (exclusive) time summed per top-level package: where the main thread's time goes."""
    sums: dict[str, float] = {}
    for (filename, _line, func), (_cc, _n, tottime, _cum, _callers) in raw.items():
        if filename == "~":
            name = "epoll (idle)" if "poll" in func else "builtins/C"
        elif "site-packages/" in filename:
            name = filename.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
        elif filename.startswith(str(ROOT) + "/"):
            name = "newswatch " + "/".join(filename[len(str(ROOT)) + 1 :].split("/")[:2]).removesuffix(".py")
        elif filename.startswith("<frozen"):
            name = "imports"
        else:
            name = "stdlib " + Path(filename).stem
        sums[name] = sums.get(name, 0.0) + tottime
    ordered = sorted(sums.items(), key=lambda kv: -kv[1])[:20]
    return {name: {"s": round(s, 2), "pct": round(100 * s / total, 1)} for name, s in ordered}


def child_memory(args: dict) -> dict:
    """Three crawls on one reactor, each on a fresh site generation and database."""
    t_start = time.time()
    import asyncio
    import ctypes
    import gc

    from scrapy.utils.trackref import live_refs
    from twisted.internet.defer import Deferred

    from core.configfile import load_config
    from core.logs import setup_logging
    from crawler.runner import crawl_sources, install_reactor

    setup_logging(False)
    apply_overrides(args.get("overrides") or {})
    configs = [load_config(path) for path in args["configs"]]
    reactor = install_reactor()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        libc = None
    rows: list[dict] = []
    baseline: dict = {}

    def snapshot() -> dict:
        out = {k: round(v, 1) for k, v in rss_of().items()}
        _main, tree, processes = tree_rss_mb(os.getpid())
        out["tree"] = round(tree, 1)
        out["processes"] = processes
        return out

    peak = {"tree": 0.0}
    stop = threading.Event()

    def sample_peak() -> None:
        while not stop.wait(0.25):
            peak["tree"] = max(peak["tree"], tree_rss_mb(os.getpid())[1])

    threading.Thread(target=sample_peak, name="bench-rss", daemon=True).start()

    async def main() -> None:
        baseline.update(snapshot())
        for number, config in enumerate(configs, 1):
            peak["tree"] = 0.0
            t0 = time.time()
            c0 = tree_cpu_s(os.getpid())
            summaries = await crawl_sources(config)
            crawl_s = time.time() - t0
            after = snapshot()
            row = {
                "crawl": number,
                "crawl_s": round(crawl_s, 2),
                "crawl_cpu_s": round(tree_cpu_s(os.getpid()) - c0, 2),
                "articles_new": sum(s.articles_new for s in summaries),
                "articles_failed": sum(s.articles_failed for s in summaries),
                "rss_mb": after["VmRSS"],
                # With extraction workers still alive, their memory counts too.
                "tree_rss_mb": after["tree"],
                "processes": after["processes"],
                # Peak during the crawl, crawl process + extraction workers (sampled 4/s).
                "peak_tree_rss_mb": round(max(peak["tree"], after["tree"]), 1),
            }
            del summaries
            gc.collect()
            row["rss_after_gc_mb"] = snapshot()["VmRSS"]
            if libc is not None:
                libc.malloc_trim(0)
                row["rss_after_malloc_trim_mb"] = snapshot()["VmRSS"]
            row["hwm_mb"] = snapshot()["VmHWM"]
            row["gc_objects"] = len(gc.get_objects())
            row["live_scrapy_refs"] = {cls.__name__: len(refs) for cls, refs in live_refs.items() if refs}
            rows.append(row)
            print(json.dumps({"progress": row}), file=sys.stderr, flush=True)

    outcome: dict = {}

    def start() -> None:
        deferred = Deferred.fromFuture(asyncio.ensure_future(main()))
        deferred.addBoth(lambda result: (outcome.setdefault("result", result), reactor.stop()))

    reactor.callWhenRunning(start)
    reactor.run(installSignalHandlers=False)
    stop.set()
    from twisted.python.failure import Failure

    if isinstance(outcome.get("result"), Failure):
        outcome["result"].raiseException()
    return {"t_start": t_start, "baseline": baseline, "crawls": rows, "t_exit": time.time(), **self_rusage()}


CHILDREN = {"bare": child_bare, "pipeline": child_pipeline, "memory": child_memory}
