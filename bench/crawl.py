#!/usr/bin/env python
"""Crawl benchmark: throughput of the whole newswatch pipeline against its parts, and memory.

Run by hand (not a test), from the repository root:

    /work/venv/bin/python bench/crawl.py [--pages 2000] [--feeds 20] [--out bench/results/crawl.json]

One run builds a synthetic news site (bench/sitegen.py), serves it from a separate process
on 127.0.0.1, and measures on the same pages:

  (a) bare Scrapy   - a plain scrapy.Spider (subprocess, CrawlerProcess, the same concurrency
                      settings) fetching the article URLs; the callback only counts.
  (b) extraction    - trafilatura.extract() alone on the pre-fetched HTML, in this process;
                      also newswatch's own crawler.extract.extract() for reference.
  (c) pipeline      - crawl_once() (what `newswatch crawl` runs) in a subprocess against a
                      fresh, migrated SQLite database: the feeds as sources, every article
                      fetched, extracted, normalised and stored.
  (d) memory        - one subprocess runs crawl_sources() three times on one reactor, each on
                      a fresh site generation and a fresh database, and reports its RSS
                      after each crawl (this process also polls /proc for the peak).

With --profile auto (the default) a profiled pipeline crawl (cProfile, main thread) is added
when the pipeline misses its target (>= 0.5 x extraction-alone throughput).

See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
for _path in (BENCH, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# ---------------------------------------------------------------------------------------
# The site server (runs in its own process)
# ---------------------------------------------------------------------------------------


def _response(status: str, content_type: str, body: bytes, extra: str = "") -> tuple[bytes, int]:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Connection: keep-alive\r\nCache-Control: max-age=60\r\n{extra}\r\n"
    ).encode("latin-1")
    return head + body, len(head)


def serve_site(conn, pages: int, feeds: int, generations: int, seed: int, on_topic: float) -> None:
    """Server process: bind 127.0.0.1:0, build every generation of the site, serve forever.

    A lean threaded HTTP/1.1 server (one thread per connection, keep-alive, responses
    pre-built as bytes) so that serving costs a few tens of microseconds per request.
    """
    import itertools
    import socketserver
    from urllib.parse import unquote_to_bytes

    import sitegen

    served = itertools.count()
    routes: dict[bytes, tuple[bytes, int]] = {}
    not_found = _response("404 Not Found", "text/html; charset=utf-8", b"<html><body>not found</body></html>")

    class Handler(socketserver.StreamRequestHandler):
        rbufsize = 65536
        wbufsize = 0
        disable_nagle_algorithm = True

        def handle(self) -> None:
            rfile, sock = self.rfile, self.connection
            while True:
                try:
                    line = rfile.readline(65537)
                except OSError:
                    return
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    continue
                parts = line.split()
                if len(parts) < 2:
                    return
                close = len(parts) < 3 or parts[2] != b"HTTP/1.1"
                while True:
                    header = rfile.readline(65537)
                    if not header or header in (b"\r\n", b"\n"):
                        break
                    if header[:11].lower() == b"connection:":
                        value = header[11:].strip().lower()
                        close = value == b"close" or (close and value != b"keep-alive")
                path = unquote_to_bytes(parts[1].split(b"?", 1)[0])
                if path == b"/__stats":
                    times = os.times()
                    body = json.dumps({"requests": next(served), "cpu_s": times.user + times.system}).encode()
                    full, head_len = _response("200 OK", "application/json", body)
                else:
                    next(served)
                    full, head_len = routes.get(path, not_found)
                try:
                    sock.sendall(full if parts[0] != b"HEAD" else full[:head_len])
                except OSError:
                    return
                if close:
                    return

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    started = time.perf_counter()
    manifests = {}
    summary = {}
    for generation in range(generations):
        site = sitegen.build_site(base, generation, pages, feeds, seed, on_topic)
        for page in site.pages:
            routes[page.path.encode()] = _response("200 OK", "text/html; charset=utf-8", page.html)
        for path, body in site.feeds.items():
            routes[path.encode()] = _response("200 OK", "application/rss+xml; charset=utf-8", body)
        manifests[generation] = site.manifest()
        sizes = [len(p.html) for p in site.pages]
        chars = [p.text_chars for p in site.pages]
        summary[generation] = {
            "html_bytes_mean": round(sum(sizes) / len(sizes)),
            "html_bytes_min": min(sizes),
            "html_bytes_max": max(sizes),
            "text_chars_mean": round(sum(chars) / len(chars)),
            "text_chars_min": min(chars),
            "text_chars_max": max(chars),
            "feed_bytes_mean": round(sum(len(b) for b in site.feeds.values()) / max(1, len(site.feeds))),
            "on_topic_pages": sum(1 for p in site.pages if p.on_topic),
            "storylines": site.storylines,
        }
        del site
    for generation, manifest in manifests.items():
        routes[f"/__manifest/{generation}".encode()] = _response(
            "200 OK", "application/json", json.dumps(manifest).encode()
        )
    conn.send({"base": base, "build_s": time.perf_counter() - started, "site": summary})
    conn.close()
    server.serve_forever(poll_interval=0.5)


class SiteServer:
    """Start/stop the server process and talk to it."""

    def __init__(self, pages: int, feeds: int, generations: int, seed: int, on_topic: float) -> None:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self.process = ctx.Process(
            target=serve_site, args=(child, pages, feeds, generations, seed, on_topic), daemon=True
        )
        self.process.start()
        if not parent.poll(600):
            raise RuntimeError("site server did not start")
        info = parent.recv()
        self.base: str = info["base"]
        self.build_s: float = info["build_s"]
        self.site: dict = info["site"]

    def get(self, path: str) -> bytes:
        import urllib.request

        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read()

    def manifest(self, generation: int) -> dict[str, list[str]]:
        return json.loads(self.get(f"/__manifest/{generation}"))

    def stats(self) -> dict[str, float]:
        return json.loads(self.get("/__stats"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def _rss_of(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MiB, from /proc."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    return out


def _stat(pid: int | str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def tree_pids(root: int) -> list[int]:
    """``root`` and its live descendants (extraction workers are child processes)."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _stat(name)
            if fields:
                parents[int(name)] = int(fields[1])
    out, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        out.extend(frontier)
    return out


def tree_cpu_s(root: int) -> float:
    """CPU seconds of a process tree: each live process's own time plus that of its reaped children."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in tree_pids(root):
        fields = _stat(pid)
        if fields:
            total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / tick


def tree_rss_mb(root: int) -> tuple[float, float, int]:
    """RSS of the root process, of the whole tree (MiB), and the number of processes."""
    pids = tree_pids(root)
    sizes = [_rss_of(pid).get("VmRSS", 0.0) for pid in pids]
    return sizes[0], sum(sizes), len(pids)


class RssPoller:
    """Poll a child's RSS (and its process tree's) from /proc; keep the peaks and a timeline."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0.0
        self.peak_tree = 0.0
        self.samples: list[tuple[float, float, float]] = []
        self._stop = threading.Event()
        self._start = time.perf_counter()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, tree, _n = tree_rss_mb(self.pid)
            if rss:
                self.peak = max(self.peak, rss)
                self.peak_tree = max(self.peak_tree, tree)
                self.samples.append((round(time.perf_counter() - self._start, 2), round(rss, 1), round(tree, 1)))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_child(mode: str, args: dict, log_path: Path, timeout: float = 1800) -> dict:
    """Run this file in ``--child MODE`` in a subprocess; return its JSON report plus timings."""
    poll_rss = args.get("poll_rss", False)
    with open(log_path, "w") as log:
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, str(Path(__file__).resolve()), "--child", mode, json.dumps(args)],
            stdout=subprocess.PIPE,
            stderr=log,
            cwd=ROOT,
            env=_child_env(),
            text=True,
        )
        poller = RssPoller(proc.pid) if poll_rss else None
        try:
            stdout, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise
        finally:
            if poller:
                poller.stop()
        wall = time.perf_counter() - t0
    if proc.returncode != 0:
        tail = log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"child {mode} exited with {proc.returncode}; log {log_path}:\n{tail}")
    report = json.loads(stdout.strip().splitlines()[-1])
    report["wall_s"] = wall
    report["spawned_at"] = started
    if poller:
        report["polled_peak_rss_mb"] = round(poller.peak, 1)
        report["polled_peak_tree_rss_mb"] = round(poller.peak_tree, 1)
        report["polled_rss_timeline"] = poller.samples[:: max(1, len(poller.samples) // 200)]
    return report


def project_topic() -> tuple[dict, list[Path]]:
    """The topic section of the repository's config.yaml and the seed files it names."""
    import yaml

    path = ROOT / "config.yaml"
    if not path.is_file():
        return {"name": "benchmark"}, []
    topic = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("topic") or {"name": "benchmark"}
    seeds = topic.get("seed") or []
    seeds = [seeds] if isinstance(seeds, str) else list(seeds)
    return topic, [ROOT / s for s in seeds]


def write_config(
    directory: Path,
    base: str,
    manifest: dict,
    per_source: int,
    concurrency: int,
    per_domain: int,
    topic: str = "project",
    extract_workers: int | None = None,
) -> Path:
    """A loopback config whose sources are the site's feeds, and a migrated SQLite DB beside it.

    ``topic="project"`` copies the topic of the repository's config.yaml (and its seed files),
    so relevance, events and stories work as in production; ``"none"`` leaves the topic
    empty (then every article counts as relevant).
    """
    import shutil

    import yaml

    from storage.db import upgrade

    directory.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{directory / 'newswatch.db'}"
    upgrade(db_url)
    topic_section: dict = {"name": "benchmark"}
    if topic == "project":
        topic_section, seeds = project_topic()
        for seed in seeds:
            target = directory / seed.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seed, target)
    data = {
        "database": {"url": db_url},
        "topic": topic_section,
        "sources": [{"name": f"feed{i:02d}", "type": "feed", "url": url} for i, url in enumerate(manifest["feeds"])],
        "crawl": {
            "allow_private_addresses": True,
            "obey_robots": False,
            "download_delay": 0,
            "autothrottle": False,
            "concurrency": concurrency,
            "concurrency_per_domain": per_domain,
            "timeout": "30s",
            "retries": 1,
            "max_articles_per_source": max(100, per_source),
        },
    }
    if extract_workers is not None:
        data["crawl"]["extract_workers"] = extract_workers
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def count_articles(db_path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        out = {
            "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
            "with_text": db.execute("SELECT count(*) FROM articles WHERE length(text) >= 80").fetchone()[0],
            "from_trafilatura": db.execute("SELECT count(*) FROM articles WHERE extraction = 'trafilatura'").fetchone()[
                0
            ],
        }
        optional = {
            # Columns filled by later pipeline steps; absent in older schemas.
            "seeds": "SELECT count(*) FROM articles WHERE is_seed",
            "relevant": "SELECT count(*) FROM articles WHERE relevant AND NOT is_seed",
            "near_duplicates": "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL",
            "stories": "SELECT count(DISTINCT story_id) FROM articles WHERE story_id IS NOT NULL",
            "events": "SELECT count(*) FROM events",
            "failures": "SELECT count(*) FROM article_failures",
        }
        for key, query in optional.items():
            with contextlib.suppress(sqlite3.Error):
                out[key] = db.execute(query).fetchone()[0]
        out["crawled"] = out["articles"] - out.get("seeds", 0)
        return out


def prefetch(urls: list[str], threads: int = 8) -> dict[str, bytes]:
    """GET every URL (keep-alive, a few threads) into memory."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urlsplit

    local = threading.local()

    def fetch(url: str) -> tuple[str, bytes]:
        parts = urlsplit(url)
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        conn.request("GET", parts.path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return url, body

    with ThreadPoolExecutor(threads) as pool:
        return dict(pool.map(fetch, urls))


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("scrapy", "twisted", "trafilatura", "htmldate", "lxml", "sqlalchemy", "py3langid"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------
# Children (run as `crawl.py --child MODE JSON`)
# ---------------------------------------------------------------------------------------


def _self_rusage() -> dict[str, float]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_user_s": usage.ru_utime, "cpu_sys_s": usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024}


class ThreadCpu:
    """Sample per-thread CPU time from /proc/self/task every second (threads that end keep
    their last value), so a report can say where the CPU went: reactor thread vs DB writer."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self._stop = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK")
        self.thread = threading.Thread(target=self._run, name="bench-sampler", daemon=True)
        self.thread.start()

    def sample(self) -> None:
        for thread in threading.enumerate():
            if thread.native_id is not None:
                self.names[thread.native_id] = thread.name
        with contextlib.suppress(OSError):
            for tid in os.listdir("/proc/self/task"):
                try:
                    with open(f"/proc/self/task/{tid}/stat") as fh:
                        fields = fh.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                self.cpu[int(tid)] = (int(fields[11]) + int(fields[12])) / self._tick

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            self.sample()

    def report(self) -> dict[str, float]:
        self._stop.set()
        self.sample()
        out: dict[str, float] = {}
        for tid, seconds in self.cpu.items():
            name = self.names.get(tid, "short-lived threads")
            if name.startswith("newswatch-db"):
                name = "newswatch-db (writer)"
            elif name.startswith("ThreadPoolExecutor") or name.startswith("Dummy"):
                name = "other pool threads"
            out[name] = round(out.get(name, 0.0) + seconds, 2)
        return {k: v for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v >= 0.01}


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
        **_self_rusage(),
    }


def _apply_overrides(overrides: dict) -> None:
    """--scrapy-setting: wrap crawler.runner's scrapy_settings (what-if runs; no code changed)."""
    if not overrides:
        return
    import crawler.runner

    original = crawler.runner.scrapy_settings

    def patched(config):
        return {**original(config), **overrides}

    crawler.runner.scrapy_settings = patched


def _extract_workers(config) -> int | None:
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

    _apply_overrides(args.get("overrides") or {})
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
        hotspots = _profile_report(profile, args["profile"])
    return {
        "t_start": t_start,
        "imports_s": t_imported - t_start,
        "crawl_s": t_done - t_crawl,
        "crawl_cpu_s": crawl_tree_cpu,
        "crawl_cpu_main_process_s": crawl_cpu,
        "extract_workers": _extract_workers(config),
        "t_crawl_start": t_crawl,
        "t_crawl_end": t_done,
        "t_exit": time.time(),
        "summaries": [s.as_dict() for s in summaries],
        "thread_cpu_s": sampler.report(),
        "rss_end_mb": _rss_of().get("VmRSS"),
        "hotspots": hotspots,
        **_self_rusage(),
    }


def _profile_report(profile, path: str, top: int = 25) -> dict:
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
        "stages_cumtime": _stages(stats.stats, total, PIPELINE_STAGES),
        "own_time_by_package": _by_package(stats.stats, total),
        "by_tottime": rows("tottime"),
        "by_cumtime": rows("cumtime"),
    }


# (label, path suffix, function name): where an article's main-thread time goes, by stage.
PIPELINE_STAGES = [
    ("feed parsing (discover)", "crawler/discovery.py", "parse_feed"),
    ("parse_article (all)", "crawler/spiders/base.py", "parse_article"),
    # prepare() runs here only with extract_workers 0 (else in the worker processes).
    ("  prepare() (extract + analyse)", "crawler/analysis.py", "prepare"),
    ("    extract()", "crawler/extract.py", "extract"),
    ("      trafilatura.bare_extraction", "trafilatura/core.py", "bare_extraction"),
    ("      detect_language (py3langid)", "crawler/extract.py", "detect_language"),
    ("      _find_date (htmldate)", "crawler/extract.py", "_find_date"),
    ("      lxml.html.fromstring", "lxml/html/__init__.py", "fromstring"),
    ("    analyse()", "crawler/analysis.py", "analyse"),
    ("      fingerprint (shingles + MinHash)", "crawler/dedup/deduplicator.py", "fingerprint"),
    ("      relevance judge", "crawler/events/relevance.py", "judge"),
    ("      event classify", "crawler/events/classifier.py", "classify"),
    ("      story features", "crawler/stories/features.py", "article_features"),
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


def _stages(raw: dict, total: float, stages: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """Cumulative time of chosen functions (summed over same-named matches); absent ones skipped.

    Coroutines are counted per resume, so time spent awaiting is not included.
    """
    out = {}
    for label, suffix, func in stages:
        cum = sum(v[3] for (f, _l, name), v in raw.items() if name == func and f.endswith(suffix))
        if cum:
            out[label] = {"s": round(cum, 2), "pct": round(100 * cum / total, 1)}
    return out


def _by_package(raw: dict, total: float) -> dict[str, dict[str, float]]:
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
    _apply_overrides(args.get("overrides") or {})
    configs = [load_config(path) for path in args["configs"]]
    reactor = install_reactor()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        libc = None
    rows: list[dict] = []
    baseline: dict = {}

    def snapshot() -> dict:
        out = {k: round(v, 1) for k, v in _rss_of().items()}
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
    return {"t_start": t_start, "baseline": baseline, "crawls": rows, "t_exit": time.time(), **_self_rusage()}


CHILDREN = {"bare": child_bare, "pipeline": child_pipeline, "memory": child_memory}


# ---------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------


def bench_extraction(pages: dict[str, bytes], limit_s: float, rounds: int = 2) -> dict:
    """trafilatura.extract alone, then newswatch's extract(), on the same decoded HTML.

    Each is run ``rounds`` times over all pages (after a 5-page warm-up); the mean rate counts.
    """
    import trafilatura

    from crawler.extract import extract, is_article

    docs = [(url, body.decode("utf-8")) for url, body in pages.items()]
    out = {}
    for name, fn, ok in (
        (
            "trafilatura_extract",
            lambda html, url: trafilatura.extract(html, url=url),
            lambda r: bool(r) and len(r) >= 80,
        ),
        ("newswatch_extract", extract, is_article),
    ):
        for url, html in docs[:5]:  # warm-up: imports, language model, caches
            fn(html, url)
        rates = []
        cpu_rates = []
        for _round in range(rounds):
            done = good = chars = 0
            c0 = time.process_time()
            t0 = time.perf_counter()
            for url, html in docs:
                result = fn(html, url)
                done += 1
                if ok(result):
                    good += 1
                    chars += len(result if isinstance(result, str) else result.text)
                if time.perf_counter() - t0 > limit_s:
                    break
            elapsed = time.perf_counter() - t0
            cpu_rates.append(done / max(1e-9, time.process_time() - c0))
            rates.append(done / elapsed)
            _log(f"  {name}: {done} pages in {elapsed:.1f}s = {done / elapsed:.1f} pages/s")
        rate = sum(rates) / len(rates)
        out[name] = {
            "pages": done,
            "rounds": rounds,
            "pages_per_s_each_round": [round(r, 1) for r in rates],
            "pages_per_s": round(rate, 2),
            "ms_per_page": round(1000 / rate, 2),
            "pages_per_cpu_s": round(sum(cpu_rates) / len(cpu_rates), 2),
            "articles_ok": good,
            "text_chars_mean": round(chars / max(1, good)),
        }
    # Where newswatch's extract() spends its time (cProfile over a sample; proportions only).
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for url, html in docs[:300]:
        extract(html, url)
    profile.disable()
    raw = pstats.Stats(profile).stats
    total = sum(v[3] for (f, _l, n), v in raw.items() if n == "extract" and f.endswith("crawler/extract.py"))
    stages = _stages(raw, total, [row for row in PIPELINE_STAGES if row[0].startswith("    ")])
    out["newswatch_extract"]["breakdown_pct_of_extract"] = {k.strip(): v["pct"] for k, v in stages.items()}
    return out


def _server_delta(server: SiteServer, before: dict, phase_s: float) -> dict:
    after = server.stats()
    cpu = after["cpu_s"] - before["cpu_s"]
    return {
        "requests": int(after["requests"] - before["requests"] - 1),
        "cpu_s": round(cpu, 2),
        "cpu_share_of_one_core": round(cpu / phase_s, 3) if phase_s else None,
    }


def per_feed(opts: argparse.Namespace) -> int:
    return math.ceil(opts.pages / opts.feeds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages per site (default 2000)")
    parser.add_argument("--feeds", type=int, default=20, help="RSS feeds the pages are spread over (default 20)")
    parser.add_argument(
        "--memory-pages",
        type=int,
        default=None,
        help="pages per crawl in the memory benchmark (default: half of --pages, at least 300)",
    )
    parser.add_argument(
        "--profile-pages",
        type=int,
        default=None,
        help="articles in the profiled crawl, taken as whole feeds (default: half of --pages)",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="CONCURRENT_REQUESTS (default 16)")
    parser.add_argument("--per-domain", type=int, default=16, help="CONCURRENT_REQUESTS_PER_DOMAIN (default 16)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "crawl.json", help="JSON results file")
    parser.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="add a cProfile'd pipeline crawl: always, never, or when the target is missed",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("bare", "extraction", "pipeline", "memory"),
        help="skip a benchmark (repeatable)",
    )
    parser.add_argument(
        "--extraction-limit",
        type=float,
        default=120.0,
        help="stop each extraction-alone loop after this many seconds (default 120)",
    )
    parser.add_argument(
        "--scrapy-setting",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="what-if: override a Scrapy setting in the pipeline and memory crawls (JSON value, "
        "e.g. CONCURRENT_ITEMS=1); repeatable",
    )
    parser.add_argument(
        "--topic",
        choices=("project", "none"),
        default="project",
        help="topic of the crawl config: the repository's config.yaml topic (default) or none (all relevant)",
    )
    parser.add_argument(
        "--on-topic",
        type=float,
        default=0.3,
        help="share of pages written about the topic, in storylines of ~15 pages (default 0.3)",
    )
    parser.add_argument(
        "--extract-workers",
        type=int,
        default=None,
        help="what-if: crawl.extract_workers in the crawl configs (default: the project's default)",
    )
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (DBs, configs, logs)")
    opts = parser.parse_args()

    # The three crawls of (d) and the profiled crawl use fewer pages than (c) by default, to keep
    # a full run near 10 minutes on 2 cores; every page is still real work.
    memory_pages = opts.memory_pages or min(opts.pages, max(300, opts.pages // 2))
    profile_feeds = max(1, min(opts.feeds, math.ceil((opts.profile_pages or opts.pages // 2) / per_feed(opts))))
    overrides = {}
    for item in opts.scrapy_setting:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except ValueError:
            overrides[key] = value
    per_source = per_feed(opts)
    results: dict = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "git": _git(),
            "cpus": os.cpu_count(),
            # Other work on the machine skews every figure: check these before trusting a run.
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "versions": _versions(),
            "pages": opts.pages,
            "feeds": opts.feeds,
            "items_per_feed": per_source,
            "memory_pages": memory_pages,
            "concurrency": opts.concurrency,
            "concurrency_per_domain": opts.per_domain,
            "scrapy_overrides": overrides,
            "topic": opts.topic,
            "on_topic_share": opts.on_topic,
            "extract_workers_option": opts.extract_workers,
        }
    }
    tmp_ctx = tempfile.TemporaryDirectory(prefix="newswatch-bench-")
    tmp = Path(tmp_ctx.name)
    if opts.keep:
        tmp_ctx._finalizer.detach()  # type: ignore[attr-defined]
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    t_total = time.perf_counter()

    # The memory benchmark needs three more site generations; they are only built when it runs
    # and, like generation 0, are the same size unless --memory-pages says otherwise.
    generations = 1 if "memory" in opts.skip else 4
    _log(f"building site ({generations} generation(s) x {opts.pages} pages, {opts.feeds} feeds) in server process")
    if memory_pages != opts.pages and "memory" not in opts.skip:
        server_mem = SiteServer(memory_pages, opts.feeds, 4, opts.seed + 1, opts.on_topic)
        server = SiteServer(opts.pages, opts.feeds, 1, opts.seed, opts.on_topic)
    else:
        server = SiteServer(opts.pages, opts.feeds, generations, opts.seed, opts.on_topic)
        server_mem = server
    _log(f"site at {server.base}, built in {server.build_s:.1f}s")
    results["site"] = {"base": server.base, "build_s": round(server.build_s, 2), **server.site[0]}
    try:
        manifest = server.manifest(0)
        urls = manifest["articles"]
        t0 = time.perf_counter()
        pages = prefetch(urls)
        _log(f"pre-fetched {len(pages)} pages in {time.perf_counter() - t0:.1f}s")
        results["site"]["prefetch_s"] = round(time.perf_counter() - t0, 2)

        # (b) extraction alone
        if "extraction" not in opts.skip:
            _log("(b) extraction alone, single process")
            results["extraction_alone"] = bench_extraction(pages, opts.extraction_limit)
        del pages

        # (a) bare scrapy
        if "bare" not in opts.skip:
            _log("(a) bare Scrapy spider")
            urls_file = tmp / "urls.json"
            urls_file.write_text(json.dumps(urls))
            before = server.stats()
            report = run_child(
                "bare",
                {"urls_file": str(urls_file), "concurrency": opts.concurrency, "per_domain": opts.per_domain},
                tmp / "bare.log",
            )
            report["interpreter_start_s"] = report["t_start"] - report["spawned_at"]
            report["pages_per_s"] = round(report["pages"] / report["crawl_s"], 1)
            report["pages_per_s_wall"] = round(report["pages"] / report["wall_s"], 1)
            report["pages_per_cpu_s"] = round(report["pages"] / max(1e-9, report["crawl_cpu_s"]), 1)
            report["server"] = _server_delta(server, before, report["crawl_s"])
            results["bare_scrapy"] = report
            _log(
                f"  {report['pages']} pages, crawl {report['crawl_s']:.1f}s = {report['pages_per_s']} pages/s "
                f"(wall {report['wall_s']:.1f}s); server CPU {report['server']['cpu_share_of_one_core']:.0%}"
                " of a core"
            )

        # (c) the pipeline
        if "pipeline" not in opts.skip:
            _log("(c) newswatch pipeline (crawl_once) in a subprocess")
            workdir = tmp / "pipeline"
            config = write_config(
                workdir,
                server.base,
                manifest,
                per_source,
                opts.concurrency,
                opts.per_domain,
                opts.topic,
                opts.extract_workers,
            )
            before = server.stats()
            report = run_child(
                "pipeline", {"config": str(config), "poll_rss": True, "overrides": overrides}, tmp / "pipeline.log"
            )
            results["pipeline"] = _pipeline_figures(report, workdir, server, before, tmp / "pipeline.log")
            p = results["pipeline"]
            _log(
                f"  {p['articles_stored']} articles stored, crawl {p['crawl_s']:.1f}s = "
                f"{p['articles_per_s_crawl']} articles/s (wall {p['wall_s']:.1f}s = {p['articles_per_s_wall']}/s)"
            )

        # (d) memory across three crawls in one process
        if "memory" not in opts.skip:
            _log(f"(d) memory: three crawls x {memory_pages} pages in one process")
            configs = []
            for generation in (1, 2, 3):
                configs.append(
                    str(
                        write_config(
                            tmp / f"memory{generation}",
                            server_mem.base,
                            server_mem.manifest(generation),
                            math.ceil(memory_pages / opts.feeds),
                            opts.concurrency,
                            opts.per_domain,
                            opts.topic,
                            opts.extract_workers,
                        )
                    )
                )
            report = run_child(
                "memory", {"configs": configs, "poll_rss": True, "overrides": overrides}, tmp / "memory.log"
            )
            results["memory"] = _memory_figures(report)
            m = results["memory"]
            _log(
                "  RSS after crawls: "
                + ", ".join(f"{r['rss_mb']:.0f}" for r in m["crawls"])
                + f" MiB; growth 1->3 {m['growth_1_to_3_mb']:+.1f} MiB"
            )

        results["ratios"], results["targets"] = _ratios(results)

        # Profile when the pipeline misses its target (or when asked).
        missed = results["targets"].get("pipeline_ge_half_extraction", {}).get("met") is False
        if "pipeline" not in opts.skip and (opts.profile == "always" or (opts.profile == "auto" and missed)):
            _log(
                f"profiling the pipeline on {profile_feeds} feeds (cProfile, main thread; "
                "throughput under the profiler is not comparable)"
            )
            workdir = tmp / "profile"
            subset = {"feeds": manifest["feeds"][:profile_feeds]}
            config = write_config(
                workdir,
                server.base,
                subset,
                per_source,
                opts.concurrency,
                opts.per_domain,
                opts.topic,
                opts.extract_workers,
            )
            prof_path = opts.out.with_suffix(".pipeline.prof")
            report = run_child(
                "pipeline",
                {"config": str(config), "profile": str(prof_path), "overrides": overrides},
                tmp / "profile.log",
            )
            results["profile"] = {
                "feeds": profile_feeds,
                "articles": count_articles(workdir / "newswatch.db")["crawled"],
                "crawl_s_under_profiler": round(report["crawl_s"], 2),
                "thread_cpu_s": report["thread_cpu_s"],
                **report["hotspots"],
            }
            _log(f"  profile written to {prof_path}")
    finally:
        server.stop()
        if server_mem is not server:
            server_mem.stop()
    results["meta"]["total_s"] = round(time.perf_counter() - t_total, 1)
    results["meta"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    if opts.keep:
        results["meta"]["tmp"] = str(tmp)
    opts.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_table(results)
    print(f"\nresults: {opts.out}" + (f"   (temp files kept in {tmp})" if opts.keep else ""))
    return 0


def _pipeline_figures(report: dict, workdir: Path, server: SiteServer, before: dict, log_path: Path) -> dict:
    counts = count_articles(workdir / "newswatch.db")
    stored = counts["crawled"]
    summaries = report.pop("summaries")
    lines = log_path.read_text(errors="replace").splitlines()
    log_lines = len(lines)
    warnings = [line for line in lines if " WARNING " in line or " ERROR " in line]
    return {
        "articles_stored": stored,
        "db": counts,
        "sources_ok": sum(1 for s in summaries if s["status"] == "ok"),
        "sources": len(summaries),
        "items_found": sum(s["items_found"] for s in summaries),
        "articles_failed": sum(s["articles_failed"] for s in summaries),
        "wall_s": round(report["wall_s"], 2),
        "interpreter_start_s": round(report["t_start"] - report["spawned_at"], 2),
        "imports_and_config_s": round(report["t_crawl_start"] - report["t_start"], 2),
        "crawl_s": round(report["crawl_s"], 2),
        "teardown_s": round(report["wall_s"] - (report["t_crawl_end"] - report["spawned_at"]), 2),
        "articles_per_s_crawl": round(stored / report["crawl_s"], 1),
        "articles_per_s_wall": round(stored / report["wall_s"], 1),
        # Per second of CPU during the crawl (all threads, and extraction worker processes):
        # less sensitive to other load on the machine than the wall-clock rates.
        "crawl_cpu_s": round(report["crawl_cpu_s"], 2),
        "articles_per_cpu_s": round(stored / max(1e-9, report["crawl_cpu_s"]), 1),
        "cpu_user_s": round(report["cpu_user_s"], 2),
        "cpu_sys_s": round(report["cpu_sys_s"], 2),
        "cpu_share_of_one_core": round((report["cpu_user_s"] + report["cpu_sys_s"]) / report["wall_s"], 2),
        "thread_cpu_s": report["thread_cpu_s"],
        "maxrss_mb": round(report["maxrss_mb"], 1),
        "polled_peak_rss_mb": report.get("polled_peak_rss_mb"),
        "polled_peak_tree_rss_mb": report.get("polled_peak_tree_rss_mb"),
        "extract_workers": report.get("extract_workers"),
        "crawl_cpu_main_process_s": round(report["crawl_cpu_main_process_s"], 2),
        "server": _server_delta(server, before, report["crawl_s"]),
        "log_lines": log_lines,
        "log_warnings": len(warnings),
        "log_warning_samples": [w.strip()[:300] for w in warnings[:5]],
    }


def _memory_figures(report: dict) -> dict:
    crawls = report["crawls"]
    # Judged on the whole process tree (the crawl process plus live extraction workers):
    # what the host sees. The crawl process alone is reported beside it.
    first, last = crawls[0]["tree_rss_mb"], crawls[-1]["tree_rss_mb"]
    growth = last - first
    main_growth = crawls[-1]["rss_mb"] - crawls[0]["rss_mb"]
    return {
        "baseline_rss_mb": report["baseline"].get("VmRSS"),
        "crawls": crawls,
        "growth_1_to_3_mb": round(growth, 1),
        "growth_1_to_3_pct": round(100 * growth / first, 1),
        "main_process_growth_1_to_3_mb": round(main_growth, 1),
        "maxrss_mb": round(report["maxrss_mb"], 1),
        "polled_peak_rss_mb": report.get("polled_peak_rss_mb"),
        "polled_peak_tree_rss_mb": report.get("polled_peak_tree_rss_mb"),
        "tree_rss_after_each_crawl_mb": [r.get("tree_rss_mb") for r in crawls],
        "peak_tree_rss_each_crawl_mb": [r.get("peak_tree_rss_mb") for r in crawls],
        "polled_rss_timeline": report.get("polled_rss_timeline"),
        "wall_s": round(report["wall_s"], 1),
    }


def _ratios(results: dict) -> tuple[dict, dict]:
    ratios: dict = {}
    targets: dict = {}
    pipeline = results.get("pipeline", {}).get("articles_per_s_crawl")
    extraction = results.get("extraction_alone", {})
    bare = results.get("bare_scrapy", {}).get("pages_per_s")
    if pipeline and extraction:
        traf = extraction["trafilatura_extract"]["pages_per_s"]
        ratios["pipeline_vs_trafilatura_extract"] = round(pipeline / traf, 3)
        ratios["pipeline_vs_newswatch_extract"] = round(pipeline / extraction["newswatch_extract"]["pages_per_s"], 3)
        ratios["pipeline_wall_vs_trafilatura_extract"] = round(results["pipeline"]["articles_per_s_wall"] / traf, 3)
        targets["pipeline_ge_half_extraction"] = {
            "target": ">= 0.5",
            "value": ratios["pipeline_vs_trafilatura_extract"],
            "met": ratios["pipeline_vs_trafilatura_extract"] >= 0.5,
        }
        cpu = results["pipeline"]["articles_per_cpu_s"]
        ratios["pipeline_vs_trafilatura_extract_cpu"] = round(
            cpu / extraction["trafilatura_extract"]["pages_per_cpu_s"], 3
        )
        ratios["pipeline_vs_newswatch_extract_cpu"] = round(cpu / extraction["newswatch_extract"]["pages_per_cpu_s"], 3)
    if pipeline and bare:
        ratios["pipeline_vs_bare_scrapy"] = round(pipeline / bare, 3)
        ratios["pipeline_vs_bare_scrapy_cpu"] = round(
            results["pipeline"]["articles_per_cpu_s"] / results["bare_scrapy"]["pages_per_cpu_s"], 3
        )
    if "memory" in results:
        m = results["memory"]
        ratios["rss_after_each_crawl_mb"] = [r["tree_rss_mb"] for r in m["crawls"]]
        ratios["rss_after_each_crawl_main_process_mb"] = [r["rss_mb"] for r in m["crawls"]]
        # "Flat": the third crawl ends no more than 10% above the first.
        targets["memory_flat"] = {
            "target": "RSS (crawl process + workers) after crawl 3 <= 1.10 x after crawl 1",
            "value": m["growth_1_to_3_pct"],
            "met": m["growth_1_to_3_pct"] <= 10.0,
        }
    return ratios, targets


def print_table(results: dict) -> None:
    rows: list[tuple[str, str, str]] = []
    site = results.get("site", {})
    rows.append(
        (
            "site",
            f"{results['meta']['pages']} pages / {results['meta']['feeds']} feeds",
            f"html {site.get('html_bytes_mean', 0) / 1000:.1f} KB, text {site.get('text_chars_mean', 0)} chars",
        )
    )
    if "bare_scrapy" in results:
        b = results["bare_scrapy"]
        rows.append(
            (
                "(a) bare Scrapy",
                f"{b['pages_per_s']:.1f} pages/s",
                f"{b['pages']} pages, crawl {b['crawl_s']:.1f}s, wall {b['wall_s']:.1f}s, "
                f"{b['pages_per_cpu_s']:.0f}/CPU-s, server {b['server']['cpu_share_of_one_core']:.0%} core",
            )
        )
    if "extraction_alone" in results:
        for name, e in results["extraction_alone"].items():
            label = "(b) trafilatura.extract" if name == "trafilatura_extract" else "(b') newswatch extract()"
            note = f"{e['ms_per_page']:.2f} ms/page, {e['pages_per_cpu_s']:.0f}/CPU-s"
            if "breakdown_pct_of_extract" in e:
                note += "; " + ", ".join(f"{k} {v:.0f}%" for k, v in e["breakdown_pct_of_extract"].items())
            rows.append((label, f"{e['pages_per_s']:.1f} pages/s", note))
    if "pipeline" in results:
        p = results["pipeline"]
        rows.append(
            (
                "(c) pipeline, crawl only",
                f"{p['articles_per_s_crawl']:.1f} articles/s",
                f"{p['articles_stored']} stored in {p['crawl_s']:.1f}s, {p['articles_failed']} failed, "
                f"{p['articles_per_cpu_s']:.1f}/CPU-s, {p['db'].get('relevant', '?')} relevant, "
                f"{p['db'].get('stories', '?')} stories",
            )
        )
        rows.append(
            (
                "(c) pipeline, end to end",
                f"{p['articles_per_s_wall']:.1f} articles/s",
                f"wall {p['wall_s']:.1f}s (start {p['interpreter_start_s'] + p['imports_and_config_s']:.1f}s, "
                f"teardown {p['teardown_s']:.1f}s), peak RSS {p['maxrss_mb']:.0f} MiB "
                f"(+workers {p['polled_peak_tree_rss_mb']:.0f}), {p['extract_workers']} extract workers",
            )
        )
    if "memory" in results:
        m = results["memory"]
        rss = " -> ".join(f"{r['tree_rss_mb']:.0f}" for r in m["crawls"])
        main = " -> ".join(f"{r['rss_mb']:.0f}" for r in m["crawls"])
        speeds = ", ".join(f"{r['articles_new'] / r['crawl_s']:.1f}" for r in m["crawls"])
        rows.append(("(d) articles/s crawls 1-3", speeds, "same process; crawl 1 pays the one-off warm-up"))
        rows.append(
            (
                "(d) RSS after crawls 1-3",
                f"{rss} MiB",
                f"crawl process + {m['crawls'][-1]['processes'] - 1} child processes; alone {main}; peaks "
                + " -> ".join(f"{r['peak_tree_rss_mb']:.0f}" for r in m["crawls"])
                + f" with workers; "
                f"baseline {m['baseline_rss_mb']:.0f}; growth {m['growth_1_to_3_mb']:+.1f} MiB "
                f"({m['growth_1_to_3_pct']:+.1f}%)",
            )
        )
    for key, value in results.get("ratios", {}).items():
        if not isinstance(value, list):
            rows.append((key, f"{value:.3f}", ""))
    for key, target in results.get("targets", {}).items():
        note = f"{target['target']} (value {target['value']})"
        rows.append((f"target {key}", "MET" if target["met"] else "MISSED", note))
    if "bare_scrapy" in results and results["bare_scrapy"]["pages"] != results["bare_scrapy"]["requested"]:
        rows.append(
            (
                "WARNING",
                "incomplete",
                f"bare Scrapy got {results['bare_scrapy']['pages']} of "
                f"{results['bare_scrapy']['requested']} pages: {results['bare_scrapy']['errors']}",
            )
        )
    if "pipeline" in results and results["pipeline"]["articles_stored"] != results["meta"]["pages"]:
        rows.append(
            (
                "WARNING",
                "incomplete",
                f"pipeline stored {results['pipeline']['articles_stored']} of "
                f"{results['meta']['pages']} articles; see log_warning_samples in the JSON",
            )
        )
    width = [max(len(r[i]) for r in rows) for i in range(2)]
    print()
    for name, value, note in rows:
        print(f"{name:<{width[0]}}  {value:>{width[1]}}  {note}")
    if "profile" in results:
        prof = results["profile"]
        print(
            f"\nprofiled crawl: {prof['articles']} articles from {prof['feeds']} feeds, "
            f"{prof['crawl_s_under_profiler']:.0f}s under cProfile"
        )
        print("pipeline main-thread time by stage (cProfile, cumulative, % of crawl):")
        for name, row in results["profile"]["stages_cumtime"].items():
            print(f"  {row['s']:7.2f}s {row['pct']:5.1f}%  {name}")
        print("\npipeline main-thread own time by package (cProfile):")
        for name, row in list(results["profile"]["own_time_by_package"].items())[:12]:
            print(f"  {row['s']:7.2f}s {row['pct']:5.1f}%  {name}")
        print("\npipeline hotspots (cProfile, main thread, by own time):")
        for row in results["profile"]["by_tottime"][:12]:
            print(f"  {row['tottime_s']:7.2f}s  {row['ncalls']:>8}  {row['where']}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](json.loads(sys.argv[3]))), flush=True)
        sys.exit(0)
    sys.exit(main())
