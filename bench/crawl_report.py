"""bench/crawl.py's figures: from the children's raw reports to the JSON, ratios and the table."""

from __future__ import annotations

from pathlib import Path

from crawl_setup import count_articles
from harness.site import SiteServer


def server_delta(server: SiteServer, before: dict, phase_s: float) -> dict:
    after = server.stats()
    cpu = after["cpu_s"] - before["cpu_s"]
    return {
        "requests": int(after["requests"] - before["requests"] - 1),
        "cpu_s": round(cpu, 2),
        "cpu_share_of_one_core": round(cpu / phase_s, 3) if phase_s else None,
    }


def pipeline_figures(report: dict, workdir: Path, server: SiteServer, before: dict, log_path: Path) -> dict:
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
        "server": server_delta(server, before, report["crawl_s"]),
        "log_lines": log_lines,
        "log_warnings": len(warnings),
        "log_warning_samples": [w.strip()[:300] for w in warnings[:5]],
    }


def memory_figures(report: dict) -> dict:
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


def ratios_and_targets(results: dict) -> tuple[dict, dict]:
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
