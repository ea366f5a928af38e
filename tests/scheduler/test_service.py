"""When the service polls each source (the ``run`` loop itself is tested in test_cli_crawl.py)."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.configfile import load_config
from scheduler import jobs
from scheduler.due import MAX_JITTER, MAX_STARTUP_SPREAD, next_due, plan_crawls, poll_delay
from scheduler.service import Service
from storage.sources import PollState
from tests.conftest import write_config

NOW = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)


def _config(tmp_path, sources, **crawl):
    return load_config(write_config(tmp_path, {"sources": sources, "crawl": crawl}), env={})


SOURCES = [
    {"name": "dawn", "type": "feed", "url": "https://a.example/feed", "interval": "15m"},
    {"name": "off", "type": "feed", "url": "https://b.example/feed", "enabled": False},
    {"name": "geo", "type": "listing", "url": "https://c.example/"},
    {"name": "daily", "type": "sitemap", "url": "https://d.example/sitemap.xml", "interval": "1d"},
]


def test_every_enabled_source_is_planned_on_its_interval(tmp_path):
    config = _config(tmp_path, SOURCES, interval="1h")
    plans = plan_crawls(config, {}, now=NOW, rng=random.Random(1))
    assert [p.source for p in plans] == ["dawn", "geo", "daily"]
    by_name = {p.source: p for p in plans}
    assert by_name["dawn"].interval == timedelta(minutes=15)
    assert by_name["geo"].interval == timedelta(hours=1)  # crawl.interval
    assert by_name["dawn"].jitter == timedelta(minutes=1, seconds=30)
    assert by_name["daily"].jitter == MAX_JITTER
    assert by_name["dawn"].misfire_grace == timedelta(minutes=7, seconds=30)


def test_never_polled_sources_start_soon_and_spread_out(tmp_path):
    sources = [{"name": f"s{i}", "type": "feed", "url": f"https://{i}.example/"} for i in range(20)]
    plans = plan_crawls(_config(tmp_path, sources, interval="1h"), {}, now=NOW, rng=random.Random(7))
    starts = [p.first_run for p in plans]
    assert all(NOW <= start <= NOW + MAX_STARTUP_SPREAD for start in starts)
    assert len(set(starts)) == len(starts)


def test_recently_polled_source_waits_for_its_interval(tmp_path):
    config = _config(tmp_path, SOURCES[:1])
    polls = {"dawn": PollState(last_fetch=NOW - timedelta(minutes=5))}
    (plan,) = plan_crawls(config, polls, now=NOW, rng=random.Random(3))
    due = NOW + timedelta(minutes=10)
    assert due <= plan.first_run <= due + plan.jitter


def test_long_overdue_source_starts_now(tmp_path):
    config = _config(tmp_path, SOURCES[:1])
    (plan,) = plan_crawls(config, {"dawn": PollState(last_fetch=NOW - timedelta(days=3))}, now=NOW)
    assert NOW <= plan.first_run <= NOW + plan.jitter


def test_retry_after_from_the_server_is_honoured(tmp_path):
    config = _config(tmp_path, SOURCES[:1])
    retry = NOW + timedelta(hours=2)
    polls = {"dawn": PollState(last_fetch=NOW - timedelta(minutes=1), next_fetch=retry)}
    (plan,) = plan_crawls(config, polls, now=NOW)
    assert retry <= plan.first_run <= retry + plan.jitter


def test_short_intervals_have_small_jitter_and_grace(tmp_path):
    config = _config(tmp_path, [{"name": "fast", "type": "feed", "url": "https://a.example/", "interval": "1s"}])
    (plan,) = plan_crawls(config, {}, now=NOW)
    assert plan.jitter == timedelta(milliseconds=100)
    assert plan.misfire_grace == timedelta(seconds=1)


# --- backoff ---------------------------------------------------------------------------


def test_failing_source_backs_off_doubling_up_to_the_cap():
    interval, cap = timedelta(minutes=15), timedelta(hours=6)
    delays = [poll_delay(interval, errors, cap) for errors in range(7)]
    assert delays[:6] == [timedelta(minutes=m) for m in (15, 30, 60, 120, 240, 360)]
    assert delays[6] == cap
    # An interval longer than the cap is never shortened by it.
    assert poll_delay(timedelta(days=1), 3, cap) == timedelta(days=1)


@pytest.mark.parametrize("interval", [timedelta(days=1), timedelta(days=36525)])
def test_backoff_of_a_long_interval_does_not_overflow(interval):
    # interval * 2**30 is past timedelta's range from one day on: the cap, not an OverflowError.
    assert poll_delay(interval, 40, timedelta(hours=6)) == interval


def test_success_resets_the_backoff(tmp_path):
    config = _config(tmp_path, SOURCES[:1])
    failing = PollState(last_fetch=NOW, consecutive_errors=3)
    recovered = PollState(last_fetch=NOW, consecutive_errors=0)
    assert next_due(failing, timedelta(minutes=15), config.crawl.max_backoff) == NOW + timedelta(hours=2)
    assert next_due(recovered, timedelta(minutes=15), config.crawl.max_backoff) == NOW + timedelta(minutes=15)


def test_backoff_outlives_a_restart(tmp_path):
    config = _config(tmp_path, SOURCES[:1])
    polls = {"dawn": PollState(last_fetch=NOW - timedelta(minutes=20), consecutive_errors=2)}
    (plan,) = plan_crawls(config, polls, now=NOW, rng=random.Random(5))
    due = NOW + timedelta(minutes=40)  # 20 min ago + 15 min × 4
    assert due <= plan.first_run <= due + plan.jitter


def test_server_wishes_are_capped_by_max_backoff(tmp_path):
    config = _config(tmp_path, SOURCES[:1], max_backoff="2h")
    year = PollState(last_fetch=NOW, next_fetch=NOW + timedelta(days=365))
    assert next_due(year, timedelta(minutes=15), config.crawl.max_backoff) == NOW + timedelta(hours=2)
    soon = PollState(last_fetch=NOW, next_fetch=NOW + timedelta(minutes=5))
    assert next_due(soon, timedelta(minutes=15), config.crawl.max_backoff) == NOW + timedelta(minutes=15)


def test_a_poll_moves_its_job_only_when_the_plan_leaves_the_trigger(tmp_path):
    # Most polls plan what the interval trigger already holds; moving the job anyway would
    # cost a scheduler wake-up per poll. A back-off or a server's wish must move it.
    config = load_config(
        write_config(tmp_path, {"database": {"url": f"sqlite:///{tmp_path / 'db.sqlite'}"}, "sources": SOURCES[:1]}),
        env={},
    )
    service = Service(config)

    async def main() -> list[datetime]:
        now = datetime.now(UTC)
        (plan,) = plan_crawls(config, {}, now=now, rng=random.Random(3))
        service.plans = {plan.source: plan}
        service.scheduler = AsyncIOScheduler(event_loop=asyncio.get_running_loop(), timezone=UTC)
        jobs.schedule_crawl(service.scheduler, service, plan)
        service.scheduler.start(paused=True)
        job = service.scheduler.get_job("crawl:dawn")
        seen = [job.next_run_time]
        service.reschedule("dawn", job.next_run_time + plan.jitter)  # within the jitter: left alone
        seen.append(service.scheduler.get_job("crawl:dawn").next_run_time)
        backoff = job.next_run_time + plan.interval * 4
        service.reschedule("dawn", backoff)  # a failing source backs off: moved
        seen.append(service.scheduler.get_job("crawl:dawn").next_run_time)
        service.scheduler.shutdown(wait=False)
        return seen

    try:
        first, after_jitter, after_backoff = asyncio.run(main())
    finally:
        service.engine.dispose()
    assert after_jitter == first
    assert after_backoff == first + timedelta(minutes=60)
