#!/usr/bin/env python
"""Crawl benchmark on real pages: the pipeline against trafilatura.extract alone, same HTML.

Run by hand (not a test), from the repository root:

    /work/venv/bin/python bench/crawl_real.py [--pages 1500] [--feeds 15] [--startup-runs 3]

The site is the 181 pages of the article-extraction benchmark with their own boilerplate,
made distinct beyond 181 (harness/real_site.py: the body's words shuffled in place, a
unique id), served from a separate process on 127.0.0.1. In one run:

  (b) baseline      - trafilatura.extract(html, url=url) with its defaults over the
                      pre-fetched HTML, this process, one core; measured before AND after
                      the pipeline, their mean is the ratio's denominator (the machine's
                      speed drifts between minutes).
  (c) pipeline      - crawl_once() (what `newswatch crawl` runs) in a subprocess, the same
                      child as bench/crawl.py's (c): fresh migrated SQLite DB, the
                      repository's topic, AutoThrottle off, no delay, concurrency 16.
  (s) start-up      - `python -m scheduler.cli crawl` (the command line itself) over the 181
                      unperturbed pages only, fresh DB each run: time from spawning the
                      interpreter to the first stored article, and to exit.

Target (issue 20): pipeline >= 1.6 x trafilatura.extract alone on this 2-core machine.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (BENCH, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from crawl_report import pipeline_figures  # noqa: E402
from harness.children import child_main, run_child  # noqa: E402
from harness.cli_runs import timed_cli_crawl  # noqa: E402
from harness.crawl_config import count_articles, write_config  # noqa: E402
from harness.real_site import RealSiteServer  # noqa: E402
from harness.report import git_rev, log, versions  # noqa: E402
from harness.site import prefetch  # noqa: E402

VERSIONS = ("scrapy", "twisted", "trafilatura", "htmldate", "lxml", "sqlalchemy", "py3langid")
TARGET = 1.6


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def baseline(docs: list[tuple[str, str]], limit_s: float) -> dict:
    """trafilatura.extract with its defaults over ``docs`` in this process (one core)."""
    import trafilatura

    for url, html in docs[:5]:  # warm-up: imports, caches
        trafilatura.extract(html, url=url)
    done = good = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    for url, html in docs:
        result = trafilatura.extract(html, url=url)
        done += 1
        good += bool(result) and len(result) >= 80
        if time.perf_counter() - t0 > limit_s:
            break
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    log(f"  trafilatura.extract: {done} pages in {wall:.1f}s = {done / wall:.1f} pages/s (CPU {cpu:.1f}s)")
    return {
        "pages": done,
        "articles_ok": good,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "pages_per_s": round(done / wall, 2),
        "pages_per_cpu_s": round(done / cpu, 2),
        "loadavg": load(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1500, help="distinct pages on the site (default 1500)")
    parser.add_argument("--feeds", type=int, default=15, help="RSS feeds the pages are spread over (default 15)")
    parser.add_argument("--startup-runs", type=int, default=3, help="start-up crawls of the 181 pages (default 3)")
    parser.add_argument("--baseline-limit", type=float, default=45.0, help="seconds per baseline round (default 45)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-domain", type=int, default=16)
    parser.add_argument("--extract-workers", type=int, default=None, help="what-if: crawl.extract_workers")
    parser.add_argument("--skip", action="append", default=[], choices=("pipeline", "startup"))
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "crawl_real.json")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (DBs, configs, logs)")
    opts = parser.parse_args()

    results: dict = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "git": git_rev(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": load(),
            "versions": versions(VERSIONS),
            "pages": opts.pages,
            "feeds": opts.feeds,
            "concurrency": opts.concurrency,
            "extract_workers_option": opts.extract_workers,
        }
    }
    tmp_ctx = tempfile.TemporaryDirectory(prefix="newswatch-bench-real-")
    tmp = Path(tmp_ctx.name)
    if opts.keep:
        tmp_ctx._finalizer.detach()  # type: ignore[attr-defined]
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    log(f"building the real-page site ({opts.pages} pages, {opts.feeds} feeds) in the server process")
    server = RealSiteServer(max(181, opts.pages), opts.feeds, opts.seed)
    results["site"] = {"base": server.base, "build_s": round(server.build_s, 2), **server.site[0]}
    log(f"site at {server.base}, built in {server.build_s:.1f}s: {server.site[0]}")
    try:
        manifest = server.manifest(0)
        if "pipeline" not in opts.skip:
            pages = prefetch(manifest["articles"])
            docs = [(url, body.decode("utf-8")) for url, body in pages.items()]
            del pages
            log("(b) baseline before the pipeline")
            before = baseline(docs, opts.baseline_limit)
            log("(c) pipeline (crawl_once) in a subprocess")
            workdir = tmp / "pipeline"
            per_source = math.ceil(opts.pages / opts.feeds)
            config = write_config(
                workdir,
                server.base,
                manifest,
                per_source,
                opts.concurrency,
                opts.per_domain,
                "project",
                opts.extract_workers,
            )
            stats0 = server.stats()
            report = run_child(__file__, "pipeline", {"config": str(config), "poll_rss": True}, tmp / "pipeline.log")
            p = pipeline_figures(report, workdir, server, stats0, tmp / "pipeline.log")
            p["loadavg_after"] = load()
            p.pop("polled_rss_timeline", None)
            results["pipeline"] = p
            log(f"  {p['articles_stored']} articles, crawl {p['crawl_s']:.1f}s = {p['articles_per_s_crawl']}/s")
            log("(b) baseline after the pipeline")
            after = baseline(docs, opts.baseline_limit)
            rate = (before["pages_per_s"] + after["pages_per_s"]) / 2
            cpu_rate = (before["pages_per_cpu_s"] + after["pages_per_cpu_s"]) / 2
            results["baseline"] = {"before": before, "after": after, "pages_per_s_mean": round(rate, 2)}
            results["ratios"] = {
                "pipeline_crawl_over_trafilatura": round(p["articles_per_s_crawl"] / rate, 3),
                "pipeline_wall_over_trafilatura": round(p["articles_per_s_wall"] / rate, 3),
                # CPU per article, all processes, against trafilatura's CPU per page.
                "pipeline_per_cpu_s_over_trafilatura_per_cpu_s": round(p["articles_per_cpu_s"] / cpu_rate, 3),
                # What the ratio would be on idle cores if the crawl kept every core busy
                # (a loaded machine's wall rates say less than its CPU rates).
                "cpu_ratio_x_cores": round(p["articles_per_cpu_s"] / cpu_rate * (os.cpu_count() or 1), 3),
                "target": TARGET,
            }
            results["ratios"]["met"] = results["ratios"]["pipeline_crawl_over_trafilatura"] >= TARGET
        if "startup" not in opts.skip:
            log(f"(s) start-up: `newswatch crawl` over the 181 original pages x {opts.startup_runs}")
            runs = []
            for number in range(opts.startup_runs):
                workdir = tmp / f"startup{number}"
                config = write_config(
                    workdir,
                    server.base,
                    {"feeds": manifest["startup_feeds"]},
                    181,
                    opts.concurrency,
                    opts.per_domain,
                    "project",
                    opts.extract_workers,
                )
                run = timed_cli_crawl(config, workdir / "newswatch.db", tmp / f"startup{number}.log")
                run["articles"] = count_articles(workdir / "newswatch.db")["crawled"]
                run["articles_per_s_all_in"] = round(run["articles"] / run["total_s"], 1)
                run["loadavg"] = load()
                log(f"  {run}")
                runs.append(run)
            first = statistics.median(r["first_article_s"] for r in runs if r["first_article_s"] is not None)
            total = statistics.median(r["total_s"] for r in runs)
            results["startup"] = {
                "runs": runs,
                "first_article_s_median": round(first, 3),
                "total_s_median": round(total, 3),
                "articles_per_s_all_in_median": round(statistics.median(r["articles_per_s_all_in"] for r in runs), 1),
            }
            if "baseline" in results:
                results["ratios"]["startup_181_all_in_over_trafilatura"] = round(
                    results["startup"]["articles_per_s_all_in_median"] / results["baseline"]["pages_per_s_mean"], 3
                )
    finally:
        server.stop()
    results["meta"]["loadavg_at_end"] = load()
    opts.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(json.dumps({k: results.get(k) for k in ("site", "baseline", "ratios", "startup")}, indent=1, default=str))
    if "pipeline" in results:
        keys = ("articles_stored", "db", "crawl_s", "wall_s", "articles_per_s_crawl", "articles_per_cpu_s")
        print(json.dumps({k: results["pipeline"][k] for k in (*keys, "thread_cpu_s", "crawl_cpu_s")}, default=str))
    print(f"\nresults: {opts.out}" + (f"   (temp files kept in {tmp})" if opts.keep else ""))
    return 0


if __name__ == "__main__":
    from crawl_children import CHILDREN

    if child_main(CHILDREN):
        sys.exit(0)
    sys.exit(main())
