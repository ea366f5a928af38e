"""Running a benchmark's measuring code in a child process: ``SCRIPT --child MODE JSON``.

The child prints its report as JSON on the last line of stdout; its stderr goes to a log
file. :func:`child_main` is the child's side.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from harness import BENCH, PYTHON, ROOT
from harness.procfs import RssPoller


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(BENCH), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_child(script: str | Path, mode: str, args: dict, log_path: Path, timeout: float = 1800) -> dict:
    """Run ``script`` in ``--child MODE`` in a subprocess; return its JSON report plus timings."""
    poll_rss = args.get("poll_rss", False)
    with open(log_path, "w") as log:
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, str(Path(script).resolve()), "--child", mode, json.dumps(args)],
            stdout=subprocess.PIPE,
            stderr=log,
            cwd=ROOT,
            env=child_env(),
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


def child_main(children: dict[str, Callable[[dict], dict]]) -> bool:
    """In a script's ``__main__``: when run as ``--child MODE JSON``, run that child, print
    its report and return True (the script then exits); else False."""
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(children[sys.argv[2]](json.loads(sys.argv[3]))), flush=True)
        return True
    return False


def in_child(func, *args):
    """Run func(*args) in a forked child and return its result (memory measured from a clean heap)."""
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def target() -> None:
        try:
            sender.send(("ok", func(*args)))
        except BaseException as exc:
            sender.send(("error", repr(exc)))
            raise
        finally:
            sender.close()

    child = ctx.Process(target=target)
    child.start()
    status, value = receiver.recv()
    child.join()
    if status != "ok":
        raise RuntimeError(f"child failed: {value}")
    return value
