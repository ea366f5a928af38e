"""Timing the command line as a user runs it: ``python -m scheduler.cli ...`` from the repository.

``python -m`` with the repository as working directory runs this checkout's code (the
``newswatch`` script of an editable install may point at another checkout).
"""

from __future__ import annotations

import contextlib
import os
import resource
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from harness import PYTHON, ROOT
from harness.children import child_env
from harness.procfs import tree_cpu_s

CLI = [PYTHON, "-m", "scheduler.cli"]
_TICK = os.sysconf("SC_CLK_TCK")


# Compiled bytecode of every checkout run, outside the checkouts (written on the first run,
# then reused: Python checks each file against its source's mtime and size).
PYCACHE = Path(tempfile.gettempdir()) / "newswatch-bench-pycache"


def root_env(root: Path) -> dict[str, str]:
    """The environment of a command run from checkout ``root`` (its code first on the path).

    With bytecode cached, as an installed newswatch has it (pip compiles on install): an
    inherited ``PYTHONDONTWRITEBYTECODE=1`` would make every run compile the checkout's own
    modules again, ~6 % of ``search``'s CPU, a cost no user pays. The cache is in
    ``PYCACHE``, not in the checkouts (``--against`` may point at one that must stay clean).
    """
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    if Path(root).resolve() != ROOT:
        env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def _cpu_of(pid: int) -> float | None:
    """User + system CPU seconds of a running process (its threads included), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def _has_article(db: sqlite3.Connection) -> bool:
    for query in ("SELECT 1 FROM articles WHERE NOT is_seed LIMIT 1", "SELECT 1 FROM articles LIMIT 1"):
        try:
            return db.execute(query).fetchone() is not None
        except sqlite3.OperationalError as exc:
            if "no such column" not in str(exc):
                return False  # locked or not yet there: not stored yet as far as we can see
    return False


def timed_cli_crawl(config: Path, db_path: Path, log_path: Path, timeout: float = 900, root: Path = ROOT) -> dict:
    """Run ``newswatch crawl --config CONFIG --format json``; time its first stored article.

    The database is polled every 10 ms from this process (read-only, SQLite allows it during
    the crawl's writes). ``first_article_s`` is from spawning the interpreter to the first
    crawled (not seed) article visible in the database: imports, configuration, migrations
    check, seeds, fork server and workers, the feed, the first page and its store.
    ``cpu_to_first_article_s`` is the crawl process's own CPU (user + system, its threads,
    not the extraction workers) at that moment: less sensitive to the machine's load than
    the wall time. ``tree_cpu_to_first_article_s`` adds the fork server's and the extraction
    workers' (the process tree's): the work the first article waited for on the other core.
    ``root`` is the checkout whose code runs.
    """
    cmd = [*CLI, "crawl", "--config", str(config), "--format", "json"]
    first = cpu_first = tree_first = None
    with open(log_path, "w") as log, open(log_path.with_suffix(".out"), "w") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=root, env=root_env(root), stdout=out, stderr=log)
        with contextlib.closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=0)) as db:
            while proc.poll() is None:
                if first is None and _has_article(db):
                    first = time.perf_counter() - t0
                    cpu_first = _cpu_of(proc.pid)
                    tree_first = tree_cpu_s(proc.pid)
                if time.perf_counter() - t0 > timeout:
                    proc.kill()
                    raise RuntimeError(f"{' '.join(cmd)} took more than {timeout}s; log {log_path}")
                time.sleep(0.01)
            total = time.perf_counter() - t0
            if first is None and _has_article(db):
                first = total
    if proc.returncode != 0:
        raise RuntimeError(f"crawl exited {proc.returncode}; log {log_path}")
    return {
        "first_article_s": None if first is None else round(first, 3),
        "cpu_to_first_article_s": None if cpu_first is None else round(cpu_first, 2),
        "tree_cpu_to_first_article_s": None if tree_first is None else round(tree_first, 2),
        "total_s": round(total, 3),
    }


def timed_run(args: list[str], root: Path = ROOT) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``newswatch ARGS`` run from checkout ``root``; CPU is user + system."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([*CLI, *args], cwd=root, env=root_env(root), capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"newswatch {' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_runs(args: list[str], runs: int, warmup: int = 1) -> dict:
    """Wall time of ``newswatch ARGS`` over ``runs`` runs (after ``warmup``): median, min, max."""
    times = []
    for number in range(warmup + runs):
        elapsed, _cpu = timed_run(args)
        if number >= warmup:
            times.append(elapsed)
    times.sort()
    return {
        "runs": runs,
        "median_s": round(times[len(times) // 2], 3),
        "min_s": round(times[0], 3),
        "max_s": round(times[-1], 3),
    }
