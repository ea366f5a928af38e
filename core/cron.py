"""Cron schedules for digests: parsing, and the fire times around a moment.

Standard five-field cron (``minute hour day month day-of-week``) as users know it, plus an
optional leading seconds field (six fields) for schedules a few seconds apart in tests and
demos. Parsing is APScheduler's own ``CronTrigger``, so what the config accepts is exactly
what the service runs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

# How far back to look for the fire time before a moment, shortest first: a schedule that
# fires every few seconds is found in the first window, a yearly one in the last.
_LOOKBACKS = (
    timedelta(minutes=2),
    timedelta(hours=2),
    timedelta(days=2),
    timedelta(days=8),
    timedelta(days=32),
    timedelta(days=367),
    timedelta(days=366 * 4 + 1),
)

# The Gregorian calendar repeats itself, weekdays included, every 400 years (146,097 days,
# a whole number of weeks). A schedule without a year field that fires at all fires within
# any 400 years: "0 0 29 2 mon" (29 February on a Monday) fires 15 times in them, with
# gaps of up to 40 years (2016 to 2044 is one of 28). A fixed cycle keeps the answer
# independent of today's date, and bounds APScheduler's search, which otherwise steps
# month by month to year 9999 (a second per refused expression).
_CYCLE_START = datetime(2000, 1, 1, tzinfo=UTC)
_CYCLE_END = datetime(2400, 1, 1, tzinfo=UTC)


def cron_trigger(expression: str, timezone: tzinfo) -> CronTrigger:
    """The trigger for a five- or six-field cron ``expression``.

    Raises ``ValueError`` if it is invalid or never fires.
    """
    fields = expression.split()
    if len(fields) == 5:
        minute, hour, day, month, day_of_week = fields
        second = "0"
    elif len(fields) == 6:
        second, minute, hour, day, month, day_of_week = fields
    else:
        raise ValueError(
            f"expected 5 cron fields (minute hour day month weekday) or 6 (seconds first), got {len(fields)}"
        )
    options = {
        "second": second,
        "minute": minute,
        "hour": hour,
        "day": day,
        "month": month,
        # Cron counts weekdays from Sunday = 0; APScheduler's from_crontab does the same mapping.
        "day_of_week": _cron_weekdays(day_of_week),
    }
    trigger = CronTrigger(**options, timezone=timezone)
    # "0 7 31 2 *" (31 February) parses but never fires: a digest that silently never goes
    # out. APScheduler requires the day and the weekday both to match; whether any date
    # does is decided over one whole calendar cycle (in UTC: which dates exist does not
    # depend on the zone).
    cycle = CronTrigger(**options, timezone=UTC, start_date=_CYCLE_START, end_date=_CYCLE_END)
    if cycle.get_next_fire_time(None, _CYCLE_START) is None:
        raise ValueError("the schedule never fires (no date matches its day, month and weekday)")
    return trigger


def _cron_weekdays(field: str) -> str:
    """Map cron's numeric weekdays (0 or 7 = Sunday) to APScheduler's names; names pass through."""
    names = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")

    def one(token: str) -> str:
        return names[int(token)] if token.isdigit() and int(token) <= 7 else token

    parts = []
    for part in field.split(","):
        step = ""
        if "/" in part:
            part, step = part.split("/", 1)
            step = "/" + step
        if "-" in part:
            low, high = part.split("-", 1)
            part = f"{one(low)}-{one(high)}"
        else:
            part = one(part)
        parts.append(part + step)
    return ",".join(parts)


def next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first fire time strictly after ``after``."""
    return trigger.get_next_fire_time(None, after + timedelta(microseconds=1))


def previous_fire(trigger: CronTrigger, at: datetime) -> datetime | None:
    """The last fire time at or before ``at``; None if there is none within four years."""
    for lookback in _LOOKBACKS:
        fire = trigger.get_next_fire_time(None, at - lookback)
        if fire is None or fire > at:
            continue
        while True:
            following = next_fire(trigger, fire)
            if following is None or following > at:
                return fire
            fire = following
    return None


def period_ending(trigger: CronTrigger, fire: datetime) -> tuple[datetime, datetime]:
    """The period a digest fired at ``fire`` covers: from the previous fire time to ``fire``."""
    start = previous_fire(trigger, fire - timedelta(microseconds=1))
    if start is None:
        following = next_fire(trigger, fire)
        start = fire - (following - fire) if following is not None else fire - timedelta(days=1)
    return start, fire
