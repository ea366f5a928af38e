"""The extraction worker pool (crawler/extract_pool.py): started ahead of the first page."""

from __future__ import annotations

import asyncio
import time

from crawler.analysis import Fallback
from crawler.extract_pool import ExtractPool
from scheduler.config import DedupConfig, TopicConfig

PAGE = (
    "<html lang='en'><head><title>Talks</title></head><body><article><h1>Istanbul talks end</h1>"
    + "<p>The third round of talks between the two delegations ended in Istanbul without agreement.</p>"
    + "<p>A foreign ministry spokesman said the two sides were discussing border security and trade.</p>"
    + "<p>Mediators from Turkey and Qatar said they hoped the ceasefire would hold and the crossing reopen.</p>"
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


def _language_model_loaded() -> bool:
    import py3langid.langid

    return py3langid.langid.IDENTIFIER is not None


PASHTO_PAGE = (
    "<html lang='ps'><head><title>خبرې</title></head><body><article><h1>خبرې اترې</h1>"
    + "<p>د پاکستان او افغانستان ترمنځ د سولې خبرې اترې په استانبول کې د دریم پړاو لپاره بیا پیل شوې.</p>" * 4
    + "</article></body></html>"
)


def test_workers_load_the_language_model_only_for_text_that_needs_it() -> None:
    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    try:
        pool.start()
        executor = pool._pool
        assert executor is not None
        assert executor.submit(_language_model_loaded).result(timeout=60) is False
        english = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
        assert english.language == "en"
        assert executor.submit(_language_model_loaded).result(timeout=60) is False
        pashto = asyncio.run(pool.prepare(PASHTO_PAGE, "https://ex.com/ps/news/1", Fallback(title="خبرې")))
        assert pashto.language == "ps"
        assert executor.submit(_language_model_loaded).result(timeout=60) is True
    finally:
        pool.close()
