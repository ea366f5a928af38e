"""The extraction workers' fork server: how it is configured, and starting it early.

Kept apart from :mod:`crawler.extract_pool` so that starting the server imports nothing
heavy in the crawl process (that module imports trafilatura and the analysis code).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import sys
from multiprocessing import forkserver

# What the fork server imports before it forks any worker (see crawler.extract_preload).
PRELOAD = ["crawler.extract_preload"]


def worker_context() -> multiprocessing.context.BaseContext:
    """Fork workers from a fork server that has imported their code, where there is one.

    Not plain fork: the parent runs a reactor and threads. A spawned worker imports
    trafilatura and the analysis code itself and loads the language model on its first
    non-English page, about 0.8 s of CPU per worker; forked from the fork server (itself
    started from a fresh interpreter, :mod:`crawler.extract_preload`) a worker starts warm.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Process-wide, and read when the fork server starts (first worker of the process).
    context.set_forkserver_preload(PRELOAD)
    return context


def start_early(entry_module: str | None = None) -> None:
    """Start the fork server now, so that it imports and warms up while this process does.

    ``entry_module``: the module a console script imports and calls (``scheduler.cli`` for
    the ``newswatch`` script). Multiprocessing runs a main script started by path again in
    every worker, before its first task; preloaded here, the imports that run costs are the
    fork server's, once (``scheduler.cli`` and ~80 modules, ~0.08 s of CPU per worker).
    Ignored when this process was started otherwise (``python -m``), where no worker runs
    its main module again.

    The server needs 1.5-2 s of CPU (trafilatura, NumPy, the language model, jusText's
    stoplists) before it can fork the first worker. Started when the first feed lists new
    articles, that came after the crawl process's own imports (Scrapy, SQLAlchemy: about
    as long) and kept the first page waiting; started before them, it runs on the other
    core meanwhile. Costs a few milliseconds here (a fork and exec); the server's CPU is
    spent even when the crawl then finds nothing new.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return
    context = worker_context()
    if entry_module is not None and main_runs_again():
        context.set_forkserver_preload([entry_module, *PRELOAD])
    forkserver.ensure_running()


def main_runs_again() -> bool:
    """Will every worker run this process's main module again? (A script started by path.)

    Multiprocessing's own rule (``spawn.get_preparation_data``): a main module with no
    module name (``python script.py``, a console script) is re-run by path in the child;
    one run as a module (``python -m``) is not, when it is a package's ``__main__``.
    """
    main = sys.modules.get("__main__")
    if main is None:
        return False
    name = getattr(getattr(main, "__spec__", None), "name", None)
    return name is None and getattr(main, "__file__", None) is not None
