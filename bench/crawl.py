#!/usr/bin/env python
"""Crawl benchmark: throughput of the whole newswatch pipeline against its parts, and memory.

Run by hand (not a test), from the repository root:

    /work/venv/bin/python bench/crawl.py [--pages 2000] [--feeds 20] [--out bench/results/crawl.json]

One run builds a synthetic news site (bench/sitegen.py), serves it from a separate process
on 127.0.0.1, and measures on the same pages:

  (a) bare Scrapy   - a plain scrapy.Spider (subprocess, CrawlerProcess, the same concurrency
                      settings) fetching the article URLs; the callback only counts.
  (b) extraction    - trafilatura.extract() alone on the pre-fetched HTML, in this process;
                      also newswatch's own crawler.analysis.extract.extract() for reference.
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
import json
import math
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (BENCH, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from crawl_report import memory_figures, pipeline_figures, print_table, ratios_and_targets, server_delta  # noqa: E402
from crawl_setup import bench_extraction, count_articles, write_config  # noqa: E402
from harness.children import child_main, run_child  # noqa: E402
from harness.report import git_rev, log, versions  # noqa: E402
from harness.site import SiteServer, prefetch  # noqa: E402

# Package versions recorded in the report's meta.
VERSIONS = ("scrapy", "twisted", "trafilatura", "htmldate", "lxml", "sqlalchemy", "py3langid")


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
            "git": git_rev(),
            "cpus": os.cpu_count(),
            # Other work on the machine skews every figure: check these before trusting a run.
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "versions": versions(VERSIONS),
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
    log(f"building site ({generations} generation(s) x {opts.pages} pages, {opts.feeds} feeds) in server process")
    if memory_pages != opts.pages and "memory" not in opts.skip:
        server_mem = SiteServer(memory_pages, opts.feeds, 4, opts.seed + 1, opts.on_topic)
        server = SiteServer(opts.pages, opts.feeds, 1, opts.seed, opts.on_topic)
    else:
        server = SiteServer(opts.pages, opts.feeds, generations, opts.seed, opts.on_topic)
        server_mem = server
    log(f"site at {server.base}, built in {server.build_s:.1f}s")
    results["site"] = {"base": server.base, "build_s": round(server.build_s, 2), **server.site[0]}
    try:
        manifest = server.manifest(0)
        urls = manifest["articles"]
        t0 = time.perf_counter()
        pages = prefetch(urls)
        log(f"pre-fetched {len(pages)} pages in {time.perf_counter() - t0:.1f}s")
        results["site"]["prefetch_s"] = round(time.perf_counter() - t0, 2)

        # (b) extraction alone
        if "extraction" not in opts.skip:
            log("(b) extraction alone, single process")
            results["extraction_alone"] = bench_extraction(pages, opts.extraction_limit)
        del pages

        # (a) bare scrapy
        if "bare" not in opts.skip:
            log("(a) bare Scrapy spider")
            urls_file = tmp / "urls.json"
            urls_file.write_text(json.dumps(urls))
            before = server.stats()
            report = run_child(
                __file__,
                "bare",
                {"urls_file": str(urls_file), "concurrency": opts.concurrency, "per_domain": opts.per_domain},
                tmp / "bare.log",
            )
            report["interpreter_start_s"] = report["t_start"] - report["spawned_at"]
            report["pages_per_s"] = round(report["pages"] / report["crawl_s"], 1)
            report["pages_per_s_wall"] = round(report["pages"] / report["wall_s"], 1)
            report["pages_per_cpu_s"] = round(report["pages"] / max(1e-9, report["crawl_cpu_s"]), 1)
            report["server"] = server_delta(server, before, report["crawl_s"])
            results["bare_scrapy"] = report
            log(
                f"  {report['pages']} pages, crawl {report['crawl_s']:.1f}s = {report['pages_per_s']} pages/s "
                f"(wall {report['wall_s']:.1f}s); server CPU {report['server']['cpu_share_of_one_core']:.0%}"
                " of a core"
            )

        # (c) the pipeline
        if "pipeline" not in opts.skip:
            log("(c) newswatch pipeline (crawl_once) in a subprocess")
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
                __file__,
                "pipeline",
                {"config": str(config), "poll_rss": True, "overrides": overrides},
                tmp / "pipeline.log",
            )
            results["pipeline"] = pipeline_figures(report, workdir, server, before, tmp / "pipeline.log")
            p = results["pipeline"]
            log(
                f"  {p['articles_stored']} articles stored, crawl {p['crawl_s']:.1f}s = "
                f"{p['articles_per_s_crawl']} articles/s (wall {p['wall_s']:.1f}s = {p['articles_per_s_wall']}/s)"
            )

        # (d) memory across three crawls in one process
        if "memory" not in opts.skip:
            log(f"(d) memory: three crawls x {memory_pages} pages in one process")
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
                __file__, "memory", {"configs": configs, "poll_rss": True, "overrides": overrides}, tmp / "memory.log"
            )
            results["memory"] = memory_figures(report)
            m = results["memory"]
            log(
                "  RSS after crawls: "
                + ", ".join(f"{r['rss_mb']:.0f}" for r in m["crawls"])
                + f" MiB; growth 1->3 {m['growth_1_to_3_mb']:+.1f} MiB"
            )

        results["ratios"], results["targets"] = ratios_and_targets(results)

        # Profile when the pipeline misses its target (or when asked).
        missed = results["targets"].get("pipeline_ge_half_extraction", {}).get("met") is False
        if "pipeline" not in opts.skip and (opts.profile == "always" or (opts.profile == "auto" and missed)):
            log(
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
                __file__,
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
            log(f"  profile written to {prof_path}")
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


if __name__ == "__main__":
    from crawl_children import CHILDREN

    if child_main(CHILDREN):
        sys.exit(0)
    sys.exit(main())
