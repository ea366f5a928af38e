"""The extraction worker pool (crawler/extract_pool.py): started ahead of the first page."""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from core.config import DedupConfig, TopicConfig
from crawler.analysis.names import derive_names
from crawler.analysis.prepare import Fallback
from crawler.extract_pool import ExtractPool
from storage.db import upgrade
from tests.conftest import ROOT, loopback_config, wait_for, write_config
from tests.site import LoopbackSite, article_page, rss

PAGE = (
    "<html lang='en'><head><title>Talks</title></head><body><article><h1>Istanbul talks end</h1>"
    + "<p>The third round of talks between the two delegations ended in Istanbul without agreement.</p>"
    + "<p>A foreign ministry spokesman said the two sides were discussing border security and trade.</p>"
    + "<p>Mediators from Turkey and Qatar said they hoped the ceasefire would hold and the crossing reopen.</p>"
    + "</article></body></html>"
)


def _live_workers(pool: ExtractPool) -> int:
    started = pool._started
    if started is None or not started.done():
        return 0
    return sum(p.is_alive() for p in (started.result()._processes or {}).values())


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
        # The workers analysed the page: no in-process analyser was built for it.
        assert "analyser" not in vars(pool)
    finally:
        pool.close()


def test_start_without_workers_starts_nothing() -> None:
    pool = ExtractPool(0, TopicConfig(), DedupConfig())
    assert pool.start() is None
    assert pool._started is None
    prepared = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
    assert "without agreement" in prepared.text


def _worker_state() -> dict[str, object]:
    import py3langid.langid
    import trafilatura.external

    return {
        "parent": os.getppid(),
        "language_model": py3langid.langid.IDENTIFIER is not None,
        "justext_stoplist": trafilatura.external.JT_STOPLIST is not None,
        "trafilatura": "trafilatura" in sys.modules,
    }


PASHTO_PAGE = (
    "<html lang='ps'><head><title>خبرې</title></head><body><article><h1>خبرې اترې</h1>"
    + "<p>د پاکستان او افغانستان ترمنځ د سولې خبرې اترې په استانبول کې د دریم پړاو لپاره بیا پیل شوې.</p>" * 4
    + "</article></body></html>"
)


def test_workers_are_forked_warm_from_the_fork_server() -> None:
    # A worker is forked from a server that imported trafilatura and loaded the language
    # model once (crawler.extract_preload), not spawned and left to load them itself.
    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    try:
        started = pool.start()
        assert started is not None
        state = started.result(timeout=60).submit(_worker_state).result(timeout=60)
        assert state["parent"] != os.getpid(), "forked from the fork server, never from the crawl process"
        assert state["language_model"] is True
        assert state["justext_stoplist"] is True
        assert state["trafilatura"] is True
        pashto = asyncio.run(pool.prepare(PASHTO_PAGE, "https://ex.com/ps/news/1", Fallback(title="خبرې")))
        assert pashto.language == "ps"
        english = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
        assert english.language == "en"
    finally:
        pool.close()


def _record_submits(monkeypatch) -> list[tuple[str, object, tuple]]:
    """Every task later submitted to an ExtractPool's executor: (submitting thread, function, arguments)."""
    import crawler.extract_pool

    submitted: list[tuple[str, object, tuple]] = []

    class RecordingPool(crawler.extract_pool.ProcessPoolExecutor):
        def submit(self, fn, *args, **kwargs):
            submitted.append((threading.current_thread().name, fn, args))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(crawler.extract_pool, "ProcessPoolExecutor", RecordingPool)
    return submitted


def _batches(submitted: list[tuple[str, object, tuple]]) -> list[list[str]]:
    """The URLs of each batch of pages submitted, in order."""
    import crawler.extract_pool

    return [
        [url for _html, url, _fallback in args[0]]
        for _thread, fn, args in submitted
        if fn is crawler.extract_pool._prepare_batch_in_worker
    ]


def test_workers_start_off_the_callers_thread(monkeypatch) -> None:
    # Starting the first worker waits for the fork server's imports (about a second): done on
    # the event loop's thread, it stalled every download of the crawl meanwhile.
    submitted = _record_submits(monkeypatch)
    pool = ExtractPool(2, TopicConfig(), DedupConfig())
    try:
        started = pool.start()
        assert started is not None and pool.start() is started
        started.result(timeout=60)
        threads = [thread for thread, _fn, _args in submitted]
        assert len(threads) == 2
        assert threading.current_thread().name not in threads
        prepared = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
        assert "without agreement" in prepared.text
    finally:
        pool.close()


def test_a_dead_worker_leaves_extraction_in_process() -> None:
    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    try:
        started = pool.start()
        assert started is not None
        executor = started.result(timeout=60)
        # A worker killed (out of memory on a hostile page, kill -9) breaks the whole pool.
        executor.submit(os._exit, 1).exception(timeout=60)
        prepared = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks", Fallback(title="Talks")))
        assert "without agreement" in prepared.text
        assert pool.workers == 0 and pool.start() is None
        again = asyncio.run(pool.prepare(PAGE, "https://ex.com/news/talks2", Fallback(title="Talks")))
        assert "without agreement" in again.text
    finally:
        pool.close()


def test_close_does_not_wait_forever_for_workers_that_never_start(monkeypatch, caplog) -> None:
    import crawler.extract_pool

    stuck = threading.Event()
    monkeypatch.setattr(crawler.extract_pool, "START_TIMEOUT", 0.2)
    # A start that never finishes (a fork server that never answers).
    monkeypatch.setattr(ExtractPool, "_start_workers", lambda self, started, lifeline: stuck.wait(30))
    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    try:
        started = pool.start()
        assert started is not None and not started.done()
        with caplog.at_level("WARNING", logger="crawler.extract_pool"):
            pool.close()
        assert "still starting" in caplog.text
        assert pool.start() is not started, "a closed pool starts afresh if used again"
    finally:
        stuck.set()
        pool.close()


def test_pages_waiting_for_a_busy_worker_go_together_in_order(monkeypatch) -> None:
    # Each task costs the crawl process a hand-over (queue threads, an event-loop wake-up):
    # pages that arrive while the worker is busy share one, and each gets its own result.
    import crawler.extract_pool

    submitted = _record_submits(monkeypatch)
    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    pages = 20
    try:

        async def crawl() -> list:
            return await asyncio.gather(
                *(
                    pool.prepare(
                        PAGE.replace("Istanbul talks end", f"Round {i} ends"), f"https://ex.com/n/{i}", Fallback()
                    )
                    for i in range(pages)
                )
            )

        prepared = asyncio.run(crawl())
        assert [p.title for p in prepared] == [f"Round {i} ends" for i in range(pages)]
        sizes = [len(batch) for batch in _batches(submitted)]
        assert sum(sizes) == pages
        assert max(sizes) == crawler.extract_pool.MAX_BATCH
        # One worker, two tasks in flight: the first two pages go alone, the rest in batches.
        assert sizes[:2] == [1, 1] and len(sizes) < pages / 2
    finally:
        pool.close()


def test_one_bad_page_fails_alone_in_its_batch(monkeypatch) -> None:
    # A page whose analysis raises in the worker (here: a feed summary that is not text,
    # on a page with no article) fails its own crawl step; its batch-mates are extracted.
    submitted = _record_submits(monkeypatch)
    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    urls = [f"https://ex.com/n/{i}" for i in range(6)]
    bad = urls[3]

    async def crawl() -> list:
        return await asyncio.gather(
            *(
                pool.prepare("<html><body></body></html>", url, Fallback(summary=12345))  # type: ignore[arg-type]
                if url == bad
                else pool.prepare(PAGE, url, Fallback())
                for url in urls
            ),
            return_exceptions=True,
        )

    try:
        outcomes = asyncio.run(crawl())
        assert isinstance(outcomes[3], TypeError)
        assert all("without agreement" in o.text for i, o in enumerate(outcomes) if i != 3)
        assert any(bad in batch and len(batch) > 1 for batch in _batches(submitted)), "it shared a task"
        assert pool.workers == 1, "one bad page is not a broken pool"
    finally:
        pool.close()


def _niceness() -> int:
    return os.nice(0)


def test_workers_yield_the_cpu_to_the_crawl_process() -> None:
    # The crawl process's downloads and store step come first; extraction takes what is left.
    import crawler.extract_pool

    pool = ExtractPool(1, TopicConfig(), DedupConfig())
    try:
        started = pool.start()
        assert started is not None
        worker = started.result(timeout=60).submit(_niceness).result(timeout=60)
        assert worker == min(19, os.nice(0) + crawler.extract_pool.WORKER_NICENESS)
    finally:
        pool.close()


def _tagged(tag: str) -> set[int]:
    """Live processes (not zombies) whose environment carries ``tag``, wherever they were re-parented."""
    marker = f"NEWSWATCH_TEST_PROCESS_TAG={tag}".encode()
    pids = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if marker not in environ.read().split(b"\0"):
                    continue
            with open(f"/proc/{entry}/stat", "rb") as stat:
                state = stat.read().rsplit(b")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or another user's
            continue
        if state != b"Z":
            pids.add(int(entry))
    return pids


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the processes through /proc")
def test_workers_fork_server_and_tracker_go_with_a_killed_crawl(site: LoopbackSite, tmp_path: Path) -> None:
    # `kill -9` of a crawl left its extraction workers, fork server and resource tracker
    # running, re-parented to PID 1 (~150 MB a set), and every restart added a set.
    workers = 2
    gate = threading.Event()
    page = article_page("Istanbul talks end", ["The third round of talks ended without agreement."] * 5)

    def held_page(_handler: object) -> tuple[int, dict[str, str], bytes]:
        # Article pages answer once the test is done: the crawl stays mid-flight, workers up.
        gate.wait(60)
        return 200, {}, page.encode()

    items = []
    for i in range(4):
        path = f"/orphans/{i}.html"
        site.add(path, dynamic=held_page)
        items.append({"title": f"Talks {i}", "link": site.url(path), "guid": f"orphans-{i}"})
    site.add("/orphans.xml", rss(items), headers={"Content-Type": "application/rss+xml"})
    db_url = f"sqlite:///{tmp_path / 'newswatch.db'}"  # the processes, not the backend, are under test
    upgrade(db_url)
    config = write_config(
        tmp_path / "cfg",
        loopback_config(
            db_url,
            [{"name": "orphans", "type": "feed", "url": site.url("/orphans.xml")}],
            crawl={"extract_workers": workers, "timeout": "90s"},
        ),
    )
    # Every process of these crawls inherits the tag: found by it even after re-parenting.
    tag = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    env["NEWSWATCH_TEST_PROCESS_TAG"] = tag
    # The crawl, its resource tracker, its fork server and the workers.
    expected = 3 + workers

    def start_crawl(name: str) -> tuple[subprocess.Popen[bytes], set[int]]:
        with open(tmp_path / f"{name}.log", "wb") as log:  # never a pipe: orphans would hold it open
            crawl = subprocess.Popen(
                [sys.executable, "-m", "scheduler.cli", "crawl", "--config", str(config)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        started = wait_for(lambda: len(_tagged(tag)) >= expected, 90)
        assert started, (_tagged(tag), (tmp_path / f"{name}.log").read_text()[-3000:])
        return crawl, _tagged(tag)

    crawls: list[subprocess.Popen[bytes]] = []
    try:
        first, first_processes = start_crawl("first")
        crawls.append(first)
        assert first.pid in first_processes and len(first_processes) == expected
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        assert wait_for(lambda: not _tagged(tag), 15), f"left running after kill -9: {sorted(_tagged(tag))}"

        # A restart runs its own set, and only that.
        second, second_processes = start_crawl("second")
        crawls.append(second)
        assert not second_processes & first_processes
        assert len(second_processes) == expected
    finally:
        gate.set()
        for crawl in crawls:
            crawl.kill()
            crawl.wait(30)
        # Whatever a failed run left behind must not outlive the test.
        wait_for(lambda: not _tagged(tag), 15)
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)


def test_fork_server_started_early_is_warming_up_without_loading_trafilatura_here() -> None:
    # `newswatch crawl` starts the workers' fork server before importing Scrapy, so that it
    # imports trafilatura and loads the language model on the other core meanwhile; the
    # crawl process itself must not pay for that. A fresh interpreter: the fork server is
    # process-wide, and this test process may have started one already.
    code = (
        "import json, sys\n"
        "from multiprocessing import forkserver\n"
        "from crawler.forkserver import start_early\n"
        "start_early()\n"
        "pid = forkserver._forkserver._forkserver_pid\n"
        "preload = forkserver._forkserver._preload_modules\n"
        "print(json.dumps({'pid': pid, 'preload': 'crawler.extract_preload' in preload,"
        " 'trafilatura': 'trafilatura' in sys.modules}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["pid"], "a fork server process was started"
    assert state["preload"] is True
    assert state["trafilatura"] is False


def test_a_workers_initargs_import_nothing_the_fork_server_did_not_preload() -> None:
    # Every worker unpickles its initargs (the topic and dedup config, the derived names)
    # before its first page: a module that unpickling imports is imported by every worker
    # after the fork (pydantic and the config models: ~0.15 s of CPU each), instead of once
    # in the fork server and shared. A fresh interpreter that imports what the fork server
    # preloads stands in for a freshly forked worker.
    topic = TopicConfig(
        countries={"AR": "Arland", "BO": "Borvia"},
        places=["Kestrel Pass"],
        parties=["Arland", "Borvia"],
        aliases={"Arland": ["Arlandi"]},
    )
    initargs = pickle.dumps((topic, DedupConfig(), derive_names(topic)))
    code = (
        "import json, pickle, sys\n"
        "from crawler.forkserver import PRELOAD\n"
        "for name in PRELOAD:\n"
        "    __import__(name)\n"
        "before = set(sys.modules)\n"
        "pickle.loads(sys.stdin.buffer.read())\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], input=initargs, capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout) == []


def test_the_fork_server_loads_without_garbage_collection_and_freezes_what_it_loaded() -> None:
    # Everything the fork server preloads lives as long as it and its workers: a collector
    # pass over it while it loads is CPU the crawl's first article waits for. A fresh
    # interpreter importing the preload list stands in for the fork server.
    code = (
        "import gc, json\n"
        "from crawler.forkserver import PRELOAD\n"
        "before = sum(s['collections'] for s in gc.get_stats())\n"
        "for name in PRELOAD:\n"
        "    __import__(name)\n"
        "after = sum(s['collections'] for s in gc.get_stats())\n"
        "print(json.dumps([after - before, gc.isenabled(), gc.get_freeze_count() > 10000]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    # No pass while loading; the collector on again for the workers, the preload frozen out of it.
    assert json.loads(result.stdout) == [0, True, True]


ENTRY_SCRIPT = """
import json, os, sys
from entry_marker import main  # what the `newswatch` console script does

if __name__ == "__main__":
    from core.config import DedupConfig, TopicConfig
    from crawler.extract_pool import ExtractPool
    from crawler.forkserver import start_early

    start_early(entry_module="entry_marker")
    pool = ExtractPool(2, TopicConfig(), DedupConfig())
    executor = pool.start().result(timeout=120)
    executor.submit(os.getpid).result(timeout=120)
    workers = [process.pid for process in executor._processes.values()]
    pool.close()
    print(json.dumps({"parent": os.getpid(), "workers": workers}))
"""


def test_a_script_started_by_path_is_not_imported_again_by_every_worker(tmp_path: Path) -> None:
    # Multiprocessing runs a main script started by path (the `newswatch` console script)
    # again in every worker, before its first task: importing scheduler.cli and ~80 modules
    # in each. With the script's entry module preloaded by the fork server, that re-run
    # imports nothing. The marker module logs every process that imports it.
    log = tmp_path / "imports.log"
    (tmp_path / "entry_marker.py").write_text(
        "import os\n"
        "with open(os.environ['ENTRY_MARKER_LOG'], 'a') as log:\n"
        "    log.write(f'{os.getpid()}\\n')\n\n\n"
        "def main() -> None:\n"
        "    pass\n"
    )
    script = tmp_path / "entry_script.py"
    script.write_text(ENTRY_SCRIPT)
    env = {**os.environ, "ENTRY_MARKER_LOG": str(log), "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    pids = json.loads(result.stdout.splitlines()[-1])
    importers = [int(line) for line in log.read_text().split()]
    assert len(pids["workers"]) == 2
    assert pids["parent"] in importers
    assert not set(pids["workers"]) & set(importers), "a worker imported the script's entry module again"
    # The parent, and the fork server once.
    assert len(importers) == 2
