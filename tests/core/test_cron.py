"""Digest schedules: cron parsing, fire times around a moment, and the period a digest covers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.configfile import load_config
from core.cron import cron_trigger, next_fire, period_ending, previous_fire
from core.errors import ConfigError
from tests.conftest import write_config

KARACHI = ZoneInfo("Asia/Karachi")
NOW = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)  # a Wednesday


def test_daily_schedule_in_its_time_zone():
    trigger = cron_trigger("0 7 * * *", KARACHI)
    fire = previous_fire(trigger, NOW)
    assert fire == datetime(2026, 12, 2, 7, 0, tzinfo=KARACHI)  # 02:00 UTC
    assert next_fire(trigger, fire) == datetime(2026, 12, 3, 7, 0, tzinfo=KARACHI)
    assert period_ending(trigger, fire) == (datetime(2026, 12, 1, 7, 0, tzinfo=KARACHI), fire)


def test_previous_fire_includes_the_exact_moment():
    trigger = cron_trigger("0 7 * * *", UTC)
    seven = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    assert previous_fire(trigger, seven) == seven
    assert previous_fire(trigger, seven - timedelta(microseconds=1)) == seven - timedelta(days=1)


def test_weekday_numbers_follow_cron_not_python():
    # Cron: 1 = Monday, 0 and 7 = Sunday. 2026-11-30 is a Monday, 2026-11-29 a Sunday.
    monday = previous_fire(cron_trigger("0 7 * * 1", UTC), NOW)
    assert monday == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert period_ending(cron_trigger("0 7 * * 1", UTC), monday)[0] == monday - timedelta(days=7)
    assert previous_fire(cron_trigger("0 7 * * 0", UTC), NOW) == datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
    assert previous_fire(cron_trigger("0 7 * * 7", UTC), NOW) == datetime(2026, 11, 29, 7, 0, tzinfo=UTC)


def test_weekday_schedule_covers_the_weekend_on_monday():
    trigger = cron_trigger("0 7 * * 1-5", UTC)
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert period_ending(trigger, monday) == (datetime(2026, 11, 27, 7, 0, tzinfo=UTC), monday)


def test_six_fields_put_seconds_first():
    trigger = cron_trigger("*/5 * * * * *", UTC)
    at = datetime(2026, 12, 2, 16, 0, 7, tzinfo=UTC)
    fire = previous_fire(trigger, at)
    assert fire == datetime(2026, 12, 2, 16, 0, 5, tzinfo=UTC)
    assert period_ending(trigger, fire) == (fire - timedelta(seconds=5), fire)


@pytest.mark.parametrize("expression", ["0 7 * *", "61 7 * * *", "0 7 * * * * *", "every day"])
def test_invalid_expressions_are_refused(expression):
    with pytest.raises(ValueError):
        cron_trigger(expression, UTC)


# Each parses, but no date matches: 31 February, 30 February, 31 April, 31 November on a Monday.
@pytest.mark.parametrize(
    "expression",
    ["0 7 31 2 *", "0 7 30 2 *", "0 0 30 2 *", "0 7 31 4 *", "0 0 31 4 *", "0 0 0 31 11 1", "0 0 30 2 mon"],
)
def test_schedules_that_never_fire_are_refused(expression):
    with pytest.raises(ValueError, match="never fires"):
        cron_trigger(expression, KARACHI)


@pytest.mark.parametrize("expression", ["0 0 29 2 *", "0 7 13 * 5", "0 7 31 * *", "0 0 29 2 mon", "0 0 0 29 2 1"])
def test_rare_schedules_are_accepted(expression):
    # 29 February fires every four years (eight around 2100); Friday the 13th a few times a
    # year; 29 February on a Monday next in 2044 (after 2016), then 2072: the day and the
    # weekday must both match, and this one is more than nine years away.
    assert next_fire(cron_trigger(expression, UTC), NOW) is not None


def test_a_day_and_weekday_that_meet_decades_apart_fire_then():
    assert next_fire(cron_trigger("0 0 29 2 mon", UTC), NOW) == datetime(2044, 2, 29, tzinfo=UTC)


@pytest.mark.parametrize(
    ("digest", "key"),
    [
        ({"schedule": "0 25 * * *"}, "digest.schedule"),
        ({"schedule": "daily"}, "digest.schedule"),
        ({"timezone": "Asia/Lahore"}, "digest.timezone"),
        ({"schedule": "0 7 31 2 *"}, "digest.schedule"),
    ],
)
def test_config_names_the_bad_digest_key(tmp_path, digest, key):
    path = write_config(tmp_path, {"digest": digest})
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert key in str(caught.value)
