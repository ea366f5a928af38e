"""``newswatch crawl`` and ``newswatch run`` end to end, against a pytest-httpserver site.

These need the crawler (``crawler.runner.crawl_once`` / ``crawl_sources``) and run whole
crawls in subprocesses, so they are kept apart from the other CLI tests.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select

from storage.models import Source
from tests.conftest import ROOT, loopback_config, run_cli, start_service, write_config
from tests.site import LoopbackSite, rss

pytestmark = pytest.mark.slow

PARAGRAPHS = [
    "Pakistan and Afghanistan agreed on Friday to extend the ceasefire after the third round of talks in "
    "Istanbul, officials from both delegations said after two days of meetings hosted by Turkish mediators.",
    "The delegations will meet again later this month to agree on a mechanism to monitor the ceasefire along "
    "the border, where clashes last month killed dozens of soldiers and civilians on both sides.",
    "Mediators from Türkiye and Qatar said both capitals had accepted the proposal and that the next round "
    "would also be held in Istanbul, though no date was announced when the delegations left the venue.",
]


def _rss(link: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Test feed</title><link>http://example.org/</link><description>d</description>"
        "<item><title>Pakistan and Afghanistan extend ceasefire</title>"
        f"<link>{link}</link><guid>ceasefire-1</guid>"
        "<pubDate>Fri, 07 Nov 2025 09:30:00 GMT</pubDate></item>"
        "</channel></rss>"
    )


def _page() -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Pakistan and Afghanistan extend ceasefire | Test Times</title>"
        '<meta property="article:published_time" content="2025-11-07T09:30:00+00:00"></head><body>'
        '<header><nav><a href="/">Home</a></nav></header>'
        f"<main><article><h1>Pakistan and Afghanistan extend ceasefire</h1>{body}</article></main>"
        "<footer><p>Copyright Test Times.</p></footer></body></html>"
    )


@pytest.fixture
def feed_httpserver(httpserver):
    """A feed with one article, and a feed URL that answers 404."""
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n", content_type="text/plain")
    httpserver.expect_request("/feed.xml").respond_with_data(
        _rss(httpserver.url_for("/news/ceasefire.html")), content_type="application/rss+xml"
    )
    httpserver.expect_request("/news/ceasefire.html").respond_with_data(_page(), content_type="text/html")
    httpserver.expect_request("/gone.xml").respond_with_data("not here", status=404, content_type="text/plain")
    return httpserver


def _sources(feed_httpserver) -> list[dict]:
    return [
        {"name": "testfeed", "type": "feed", "url": feed_httpserver.url_for("/feed.xml")},
        {"name": "broken", "type": "feed", "url": feed_httpserver.url_for("/gone.xml")},
    ]


def _crawl_json(config, *args: str) -> list[dict]:
    result = run_cli("crawl", *args, "--format", "json", config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    summaries = json.loads(result.stdout)  # nothing but the JSON array on stdout
    assert isinstance(summaries, list)
    return summaries


def test_crawl_json_summary(tmp_path, db_url, feed_httpserver):
    config = write_config(tmp_path, loopback_config(db_url, _sources(feed_httpserver)))
    summaries = _crawl_json(config)
    assert [s["source"] for s in summaries] == ["testfeed", "broken"]
    feed, broken = summaries
    assert set(feed) >= {"status", "http_status", "items_found", "articles_new", "articles_seen", "error"}
    assert (feed["status"], feed["http_status"], feed["items_found"]) == ("ok", 200, 1)
    assert (feed["articles_new"], feed["articles_failed"], feed["error"]) == (1, 0, None)
    assert (broken["status"], broken["http_status"]) == ("error", 404)
    assert "404" in broken["error"]

    found = run_cli("search", "ceasefire", "--source", "testfeed", "--format", "json", config=config)
    assert found.returncode == 0, found.stderr
    (article,) = json.loads(found.stdout)
    assert article["url"] == feed_httpserver.url_for("/news/ceasefire.html")
    assert article["source"] == "testfeed"
    assert article["published"].startswith("2025-11-07T09:30:00")

    health = {s["name"]: s for s in json.loads(run_cli("sources", "--format", "json", config=config).stdout)}
    assert health["testfeed"]["status"] == "ok" and health["testfeed"]["articles_total"] == 1
    assert health["broken"]["status"] == "error" and health["broken"]["consecutive_errors"] == 1

    again = _crawl_json(config)
    assert again[0]["articles_new"] == 0  # stored once


def test_crawl_only_named_source(tmp_path, db_url, feed_httpserver):
    config = write_config(tmp_path, loopback_config(db_url, _sources(feed_httpserver)))
    summaries = _crawl_json(config, "--source", "broken")
    assert [s["source"] for s in summaries] == ["broken"]
    assert not any(req.path == "/feed.xml" for req, _ in feed_httpserver.log)


def test_crawl_table_without_terminal(tmp_path, db_url, feed_httpserver):
    config = write_config(tmp_path, loopback_config(db_url, _sources(feed_httpserver)))
    result = run_cli("crawl", config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Crawl summary" in result.stdout
    assert "testfeed" in result.stdout and "broken" in result.stdout
    assert "━" not in result.stderr  # no progress bar when stderr is not a terminal
    # Instead, one line per finished source.
    progress = [line for line in result.stderr.splitlines() if line.startswith("crawl [")]
    assert [line.split("] ")[0] for line in progress] == ["crawl [1/2", "crawl [2/2"], result.stderr
    assert sorted(line.split("] ")[1] for line in progress) == [
        "broken: error, 0 new, 0 seen, 0 failed",
        "testfeed: ok, 1 new, 0 seen, 0 failed",
    ]


def test_crawl_without_enabled_sources(tmp_path, db_url, feed_httpserver):
    sources = [{**s, "enabled": False} for s in _sources(feed_httpserver)]
    config = write_config(tmp_path, loopback_config(db_url, sources))
    assert _crawl_json(config) == []
    assert feed_httpserver.log == []


# --- the service ---------------------------------------------------------------------------


_start_service = start_service


def _wait_for_fetch(process, sessions, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1][-3000:]
        with sessions() as session:
            if session.scalar(select(Source.last_fetch_at).where(Source.name == name)) is not None:
                return
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"{name} was not fetched within {timeout}s:\n{process.communicate()[1][-3000:]}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_run_polls_sources_and_stops_cleanly_on_signal(tmp_path, db_url, sessions, feed_httpserver, signum):
    sources = [{"name": "broken", "type": "feed", "url": feed_httpserver.url_for("/gone.xml"), "interval": "10s"}]
    config = write_config(tmp_path, loopback_config(db_url, sources))
    process = _start_service(config)
    try:
        _wait_for_fetch(process, sessions, "broken")
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr
    assert "source=broken" in stderr  # log lines carry the source
    assert "stopped" in stderr
    with sessions() as session:
        row = session.scalars(select(Source).where(Source.name == "broken")).one()
        assert (row.status, row.http_status, row.consecutive_errors >= 1) == ("error", 404, True)


def test_run_logs_one_line_per_poll_and_is_quiet_otherwise(tmp_path, db_url, feed_httpserver):
    sources = [
        *_sources(feed_httpserver),
        {"name": "offline", "type": "feed", "url": f"http://127.0.0.1:{_closed_port()}/feed.xml"},
    ]
    config = write_config(tmp_path, loopback_config(db_url, [{**s, "interval": "1h"} for s in sources]))
    process = _start_service(config)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + 90
        # Wait for the poll lines themselves: a poll is logged after it is recorded.
        while time.monotonic() < deadline and sum(" crawled in " in line for line in seen) < 3:
            with contextlib.suppress(queue.Empty):
                seen.append(lines.get(timeout=1))
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=5)
        process.stdout.close()
        process.stderr.close()
    while not lines.empty():
        seen.append(lines.get())
    stderr = "".join(seen)
    assert process.returncode == 0, stderr[-3000:]
    polls = {name: [line for line in seen if f"source={name} " in line] for name in ("testfeed", "broken", "offline")}
    # One line per finished poll, at INFO, with status, new articles and duration; a failing
    # source's reason is on it, not on a second WARNING line.
    for name, status in (("testfeed", "status=ok"), ("broken", "status=error"), ("offline", "status=error")):
        (line,) = polls[name]
        assert " INFO " in line and status in line and " new=" in line and " crawled in " in line, line
    assert "new=1" in polls["testfeed"][0]
    assert "404" in polls["broken"][0] and "connection refused" in polls["offline"][0]
    assert "WARNING" not in stderr and "ERROR" not in stderr
    # No line per article, per index rebuild or per scheduled source.
    for noise in ("stored relevant article", "index rebuilt", "scheduled every", "uvicorn"):
        assert noise not in stderr, stderr


def test_run_stops_during_a_slow_crawl(tmp_path, db_url, sessions, feed_httpserver):
    def slow(_request):
        time.sleep(12)  # longer than the service's shutdown grace

    feed_httpserver.expect_request("/slow.xml").respond_with_handler(slow)
    sources = [
        {"name": "broken", "type": "feed", "url": feed_httpserver.url_for("/gone.xml"), "interval": "10s"},
        {"name": "slow", "type": "feed", "url": feed_httpserver.url_for("/slow.xml"), "interval": "10s"},
    ]
    config = write_config(tmp_path, loopback_config(db_url, sources, crawl={"timeout": "60s"}))
    process = _start_service(config)
    try:
        _wait_for_fetch(process, sessions, "broken")
        deadline = time.monotonic() + 10
        while not any(req.path == "/slow.xml" for req, _ in feed_httpserver.log) and time.monotonic() < deadline:
            time.sleep(0.1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
        assert time.monotonic() - started < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_crawl_default_output_is_quiet(tmp_path, db_url, feed_httpserver):
    sources = [
        *_sources(feed_httpserver),
        {"name": "offline", "type": "feed", "url": f"http://127.0.0.1:{_closed_port()}/feed.xml"},
    ]
    config = write_config(tmp_path, loopback_config(db_url, sources))
    result = run_cli("crawl", config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    # No Scrapy chatter (the redirect middlewares' Referer warning), no line per article.
    assert not [line for line in lines if "scrapy" in line or "Referer" in line], result.stderr
    assert "stored relevant article" not in result.stderr
    # Each failing source is reported once, at WARNING, with its reason.
    failures = [line for line in lines if " source=" in line and "source=-" not in line]
    assert len([line for line in failures if "source=broken" in line]) == 1, result.stderr
    assert len([line for line in failures if "source=offline" in line]) == 1, result.stderr
    assert any("source=broken" in line and "WARNING" in line and "404" in line for line in failures)
    assert any("source=offline" in line and "WARNING" in line and "connection refused" in line for line in failures)
    assert "ERROR" not in result.stderr


def test_crawl_verbose_logs_each_article(tmp_path, db_url, feed_httpserver):
    config = write_config(tmp_path, loopback_config(db_url, _sources(feed_httpserver)))
    result = run_cli("crawl", "--verbose", config=config)
    assert result.returncode == 0, result.stderr[-3000:]
    url = feed_httpserver.url_for("/news/ceasefire.html")
    assert f"source=testfeed url={url} stored relevant article" in result.stderr


def test_crawl_reports_each_source_when_it_is_done(tmp_path, db_url):
    """The progress line of a fast source comes while a slow one is still being answered."""
    gate = threading.Event()
    site = LoopbackSite().start()
    try:
        site.add("/fast.xml", rss([]), headers={"Content-Type": "application/rss+xml"})

        def held(_handler):
            gate.wait(120)  # answered only once the test has seen the fast source's line
            return 200, {"Content-Type": "application/rss+xml"}, rss([]).encode()

        site.add("/slow.xml", dynamic=held)
        sources = [
            {"name": "fast", "type": "feed", "url": site.url("/fast.xml")},
            {"name": "slow", "type": "feed", "url": site.url("/slow.xml")},
        ]
        config = write_config(tmp_path, loopback_config(db_url, sources, crawl={"timeout": "120s"}))
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
        with subprocess.Popen(
            [sys.executable, "-m", "scheduler.cli", "crawl", "--config", str(config)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            lines: queue.Queue[str] = queue.Queue()
            reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)
            reader.start()
            try:
                first = ""
                deadline = time.monotonic() + 90
                while not first.startswith("crawl [") and time.monotonic() < deadline:
                    with contextlib.suppress(queue.Empty):
                        first = lines.get(timeout=1)
                # Seen while the slow feed is still held: reported as done, not at the crawl's end.
                assert first.startswith("crawl [1/2] fast: empty"), first
                assert not gate.is_set() and process.poll() is None
            finally:
                gate.set()
            stdout = process.stdout.read()  # the reader thread has stderr
            process.wait(timeout=120)
            reader.join(timeout=30)
        assert process.returncode == 0, stdout
        rest = []
        while not lines.empty():
            rest.append(lines.get())
        assert any(line.startswith("crawl [2/2] slow: empty") for line in rest), rest
    finally:
        gate.set()
        site.stop()
