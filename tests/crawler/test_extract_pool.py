"""The extraction worker pool (crawler/extract_pool.py): started ahead of the first page."""

from __future__ import annotations

import asyncio
import time

from crawler.analysis import Fallback
from crawler.extract_pool import ExtractPool
from scheduler.config import DedupConfig, TopicConfig

PAGE = (
    "<html lang='en'><head><title>Talks</title></head><body><article><h1>Istanbul talks end</h1>"
    + "<p>The third round of talks between the two delegations ended in Istanbul without agreement.</p>" * 5
    + "</article></body></html>"
)


def _live_workers(pool: ExtractPool) -> int:
    executor = pool._pool
    return 0 if executor is None else sum(p.is_alive() for p in executor._processes.values())


def test_start_spawns_every_worker_before_the_first_page() -> None:
    pool = ExtractPool(2, TopicConfig(), DedupConfig())
    try:
        assert _live_workers(pool) == 0, "nothing runs before a crawl has new articles"
        pool.start()
        pool.start()  # idempotent: a second feed with new links changes nothing
        deadline = time.monotonic() + 60
        while _live_workers(pool) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _live_workers(pool) == 2
        prepared = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
        assert "without agreement" in prepared.text
        assert _live_workers(pool) == 2
    finally:
        pool.close()


def test_start_without_workers_starts_nothing() -> None:
    pool = ExtractPool(0, TopicConfig(), DedupConfig())
    pool.start()
    assert pool._pool is None
    prepared = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
    assert "without agreement" in prepared.text
