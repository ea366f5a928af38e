#!/usr/bin/env python
"""Start-up of the command line: --version, --help, search, import time, crawl's first article.

Run by hand (not a test), from the repository root:

    /work/venv/bin/python bench/startup.py [--runs 10] [--crawl-runs 3] [--out bench/results/startup.json]

Every command runs as ``python -m scheduler.cli ...`` with the repository as working
directory (this checkout's code), timed by hyperfine when it is installed
(``apt-get install hyperfine``; no shell, 2 warm-up runs) and else by a loop of subprocess
runs; the median counts. Measured:

  * ``newswatch --version`` and ``newswatch --help``;
  * ``newswatch crawl`` over the 181 pages of the article-extraction benchmark served on
    127.0.0.1 (harness/real_site.py), fresh SQLite DB each run: time from spawning the
    interpreter to the first stored article, and to exit;
  * ``newswatch search x`` on the archive the last crawl left (181 articles and the seed);
  * ``python -X importtime -m scheduler.cli --version``: the 15 imports with the largest
    cumulative time, and the total.

With ``--against DIR`` (another checkout, e.g. the main branch's) it compares instead: every
measurement alternates that checkout (A) and this one (B), run after run, on the same site
and at the same moment of a shared machine, after one warm-up crawl of each (so caches a
checkout keeps between runs are warm); it reports medians, the wall time and CPU of each,
B / A ratios and the load average:

    /work/venv/bin/python bench/startup.py --against /work/main [--runs 8] [--crawl-runs 3]

Targets (issue 20): --version and --help <= 0.3 s; search on a small archive <= 0.5 s;
crawl's first article within 1.5 s of start on a warm machine. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (BENCH, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from harness import PYTHON  # noqa: E402
from harness.cli_runs import CLI, root_env, timed_cli_crawl, timed_run, timed_runs  # noqa: E402
from harness.crawl_config import count_articles, write_config  # noqa: E402
from harness.real_site import RealSiteServer  # noqa: E402
from harness.report import git_rev, log, versions  # noqa: E402

TARGETS = {"--version": 0.3, "--help": 0.3, "search": 0.5, "crawl_first_article": 1.5}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def hyperfine(args: list[str], runs: int) -> dict:
    """``newswatch ARGS`` timed by hyperfine (no shell), or by a loop when it is absent."""
    if not shutil.which("hyperfine"):
        return {"tool": "loop", **timed_runs(args, runs, warmup=2)}
    with tempfile.NamedTemporaryFile(suffix=".json") as export:
        command = " ".join([*CLI, *args])
        subprocess.run(
            ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", export.name, command],
            cwd=ROOT,
            env=root_env(ROOT),
            check=True,
            capture_output=True,
        )
        result = json.loads(Path(export.name).read_text())["results"][0]
    return {
        "tool": "hyperfine",
        "runs": runs,
        "median_s": round(result["median"], 3),
        "mean_s": round(result["mean"], 3),
        "min_s": round(result["min"], 3),
        "max_s": round(result["max"], 3),
    }


def import_times(top: int = 15) -> dict:
    """``python -X importtime -m scheduler.cli --version``: top imports by cumulative time."""
    proc = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "scheduler.cli", "--version"],
        cwd=ROOT,
        env=root_env(ROOT),
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line.removeprefix("import time:").split("|", 2)
        rows.append((int(cumulative), name.rstrip(), len(name) - len(name.lstrip()) - 1))
    # Top-level imports (least indented) add up to the whole import time.
    total = sum(us for us, _name, depth in rows if depth == 0)
    ordered = sorted(rows, key=lambda row: -row[0])[:top]
    return {
        "total_ms": round(total / 1000, 1),
        "top_cumulative": [{"module": name.strip(), "ms": round(us / 1000, 1)} for us, name, _d in ordered],
    }


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _side(runs: list[dict], key: str) -> dict:
    values = [r[key] for r in runs if r.get(key) is not None]
    return {"median": _median(values), "min": min(values), "max": max(values)} if values else {}


def _ratio(a: dict, b: dict) -> float | None:
    return round(b["median"] / a["median"], 2) if a and b and a["median"] else None


def compare(against: Path, runs: int, crawl_runs: int, tmp: Path) -> dict:
    """Alternate checkout ``against`` (A) and this one (B): crawl's first article, then the commands."""
    sides = {"A": against.resolve(), "B": ROOT}
    out: dict = {"A": str(sides["A"]), "B": str(sides["B"]), "crawl": {}, "commands": {}}
    server = RealSiteServer(181, 2)
    crawls: dict[str, list[dict]] = {"A": [], "B": []}
    try:
        feeds = {"feeds": server.manifest(0)["startup_feeds"]}
        for number in range(-1, crawl_runs):  # -1: the warm-up crawl of each side, not counted
            for label, root in sides.items():
                workdir = tmp / f"{label}{number + 1}"
                config = write_config(workdir, server.base, feeds, 181, 16, 16, "project")
                run = timed_cli_crawl(config, workdir / "newswatch.db", tmp / f"{label}{number + 1}.log", root=root)
                run["articles"] = count_articles(workdir / "newswatch.db")["crawled"]
                run["loadavg"] = load()
                log(f"  crawl {label}{'' if number >= 0 else ' (warm-up)'}: {run}")
                if number >= 0:
                    crawls[label].append(run)
    finally:
        server.stop()
    for key in ("first_article_s", "cpu_to_first_article_s", "tree_cpu_to_first_article_s", "total_s"):
        a, b = _side(crawls["A"], key), _side(crawls["B"], key)
        out["crawl"][key] = {"A": a, "B": b, "B/A": _ratio(a, b)}
    out["crawl"]["runs"] = crawls
    for args in (["--version"], ["--help"], ["search", "x", "--config", str(config)]):
        name = " ".join(args[:2]) if args[0] == "search" else args[0]
        wall: dict[str, list[float]] = {"A": [], "B": []}
        cpu: dict[str, list[float]] = {"A": [], "B": []}
        for number in range(runs + 1):  # the first round is a warm-up
            for label, root in sides.items():
                elapsed, used = timed_run(args, root)
                if number:
                    wall[label].append(elapsed)
                    cpu[label].append(used)
        row = {}
        for label in sides:
            row[label] = {"wall_median_s": _median(wall[label]), "wall_min_s": round(min(wall[label]), 3)}
            row[label]["cpu_median_s"] = _median(cpu[label])
        row["B/A wall"] = round(row["B"]["wall_median_s"] / row["A"]["wall_median_s"], 2)
        row["B/A cpu"] = round(row["B"]["cpu_median_s"] / row["A"]["cpu_median_s"], 2)
        row["loadavg"] = load()
        log(f"  {name}: {row}")
        out["commands"][name] = row
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command (default 10)")
    parser.add_argument("--crawl-runs", type=int, default=3, help="crawls of the 181 pages (default 3)")
    parser.add_argument("--against", type=Path, help="another checkout to alternate with this one (A / B)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "startup.json")
    opts = parser.parse_args()
    if opts.against is not None:
        meta = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "git": git_rev(), "loadavg_at_start": load()}
        with tempfile.TemporaryDirectory(prefix="newswatch-bench-startup-") as tmp_name:
            results = {"meta": meta, "compare": compare(opts.against, opts.runs, opts.crawl_runs, Path(tmp_name))}
        results["meta"]["loadavg_at_end"] = load()
        opts.out.parent.mkdir(parents=True, exist_ok=True)
        opts.out.write_text(json.dumps(results, indent=2) + "\n")
        print(json.dumps(results["compare"]["crawl"] | {"runs": None}, indent=1))
        print(json.dumps(results["compare"]["commands"], indent=1))
        print(f"\nresults: {opts.out}")
        return 0
    results: dict = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "git": git_rev(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": load(),
            "versions": versions(("typer", "click", "rich", "sqlalchemy", "scrapy", "trafilatura")),
            "hyperfine": shutil.which("hyperfine"),
        },
        "commands": {},
    }
    with tempfile.TemporaryDirectory(prefix="newswatch-bench-startup-") as tmp_name:
        tmp = Path(tmp_name)
        for args in (["--version"], ["--help"]):
            log(f"newswatch {' '.join(args)}")
            results["commands"][" ".join(args)] = {**hyperfine(args, opts.runs), "loadavg": load()}
        log(f"newswatch crawl over the 181 real pages x {opts.crawl_runs}")
        server = RealSiteServer(181, 2)
        try:
            manifest = server.manifest(0)
            crawls = []
            for number in range(opts.crawl_runs):
                workdir = tmp / f"crawl{number}"
                feeds = {"feeds": manifest["startup_feeds"]}
                config = write_config(workdir, server.base, feeds, 181, 16, 16, "project")
                run = timed_cli_crawl(config, workdir / "newswatch.db", tmp / f"crawl{number}.log")
                run["articles"] = count_articles(workdir / "newswatch.db")["crawled"]
                run["loadavg"] = load()
                log(f"  {run}")
                crawls.append(run)
        finally:
            server.stop()
        results["crawl"] = {
            "runs": crawls,
            "first_article_s_median": statistics.median(r["first_article_s"] for r in crawls),
            "total_s_median": statistics.median(r["total_s"] for r in crawls),
        }
        log("newswatch search x on that archive")
        search_args = ["search", "x", "--config", str(config)]
        results["commands"]["search x (181 articles)"] = {**hyperfine(search_args, opts.runs), "loadavg": load()}
        log("import time of the CLI")
        results["import_time"] = import_times()
    checks = {
        "--version": results["commands"]["--version"]["median_s"],
        "--help": results["commands"]["--help"]["median_s"],
        "search": results["commands"]["search x (181 articles)"]["median_s"],
        "crawl_first_article": results["crawl"]["first_article_s_median"],
    }
    results["targets"] = {k: {"median_s": v, "target_s": TARGETS[k], "met": v <= TARGETS[k]} for k, v in checks.items()}
    results["meta"]["loadavg_at_end"] = load()
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=1))
    print(f"\nresults: {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
