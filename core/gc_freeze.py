"""Garbage-collector settings for newswatch's processes: what is long-lived, how often to collect.

:func:`freeze_startup_objects` for long-running processes (the service, the API server);
:func:`set_crawl_thresholds` for processes that crawl; :func:`collect_after_start_up` for a
one-shot command's start. Each says what it measured.
"""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# Net container allocations between two young collections while crawling (CPython: 700).
CRAWL_YOUNG_THRESHOLD = 10_000


def freeze_startup_objects() -> None:
    """Exempt every object alive now from the cyclic garbage collector's full passes.

    Call once a long-running process has started (modules imported, app built, database
    connected, indexes loaded): those objects live as long as the process, yet each full
    collection, which CPython runs every few thousand allocations' worth of churn, walks
    all of them. In ``bench/search.py`` that walk was a 20-30 ms pause landing on one query
    in fifteen, and it set the p99; after freezing, a full collection takes about 1 ms.
    Garbage collection stays on for everything created later; frozen objects are still
    freed when their last reference goes.
    """
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()


def set_crawl_thresholds() -> tuple[int, int, int]:
    """Collect young objects every :data:`CRAWL_YOUNG_THRESHOLD` allocations; returns the old thresholds.

    A crawl keeps thousands of objects alive for a few milliseconds to a few seconds (queued
    requests, responses being extracted, articles waiting for the store), and at CPython's
    default of a young collection every 700 allocations many of them are promoted to the
    older generations before they die, which then triggers full collections that walk
    every object of the process (150-220 ms each). On the crawl bench the crawl process
    spent about 2 s of 12 in the collector; with this threshold about 0.5 s, and no full
    collection. Reference counting still frees almost everything at once: the threshold
    only delays the collection of reference cycles, by a few milliseconds of crawling.
    """
    old = gc.get_threshold()
    gc.set_threshold(CRAWL_YOUNG_THRESHOLD, old[1], old[2])
    return old


@contextlib.contextmanager
def crawl_thresholds() -> Iterator[None]:
    """:func:`set_crawl_thresholds` for the duration of a ``with`` block (a one-shot crawl)."""
    old = set_crawl_thresholds()
    try:
        yield
    finally:
        gc.set_threshold(*old)


@contextlib.contextmanager
def collect_after_start_up() -> Iterator[Callable[[], None]]:
    """No collection while a one-shot command starts; what it built is then frozen until the block ends.

    Why: importing a crawl's modules (Scrapy, Twisted, SQLAlchemy, the storage models) and
    setting it up allocates hundreds of thousands of objects that all live until the process
    exits, and the collector, at CPython's defaults, ran about 350 young and 2 full passes over
    them meanwhile: 50-70 ms of the 0.65 s of CPU the imports took, on the way to the first
    article. The block yields a function to call once the start is over: it freezes
    everything alive then (:func:`gc.freeze`, no walk) and turns the collector back on, so
    the crawl's own passes never walk the start-up objects either. Garbage cycles made during
    the start (a few) are kept until the block ends. On leaving, the objects are unfrozen
    and the collector is as it was (a test process goes on as before).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    started = False

    def start_up_done() -> None:
        nonlocal started
        if started:
            return
        started = True
        gc.freeze()
        if was_enabled:
            gc.enable()

    try:
        yield start_up_done
    finally:
        start_up_done()
        gc.unfreeze()
