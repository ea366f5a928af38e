"""When is a source due: the crawl plan of each source and the backoff after failures.

Pure functions of the config and each source's last poll (``storage.sources.PollState``),
kept apart from the service loop and the jobs that act on them, as APScheduler keeps its
triggers apart from job stores and executors (and Miniflux keeps "which feeds are due" one
query).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from storage.sources import PollState

if TYPE_CHECKING:
    from collections.abc import Mapping

    from core.config import Config

# Jitter: a tenth of the interval, capped, so sources on the same interval drift apart and
# hosts do not see polls on the minute (Miniflux does the same with its refresh spread).
JITTER_FRACTION = 0.1
MAX_JITTER = timedelta(minutes=5)
# On start, sources that are due are spread over at most this long instead of all at once.
MAX_STARTUP_SPREAD = timedelta(seconds=30)


@dataclass(frozen=True)
class CrawlPlan:
    """When and how often one source is polled."""

    source: str
    interval: timedelta
    jitter: timedelta
    misfire_grace: timedelta
    first_run: datetime


def poll_delay(interval: timedelta, consecutive_errors: int, max_backoff: timedelta) -> timedelta:
    """How long after a poll the next one is due: the interval, doubled per failure in a row.

    Capped at ``max_backoff`` (or the interval itself when that is longer), so a source
    that is down for a week is still tried a few times a day and recovers on its own: the
    first successful poll resets ``consecutive_errors`` and with it the delay.
    """
    if consecutive_errors <= 0:
        return interval
    cap = max(max_backoff, interval)
    factor = 2 ** min(consecutive_errors, 30)
    # Compared in seconds first: from a one-day interval on, interval * 2**30 is past
    # timedelta's range (an OverflowError, not a long delay).
    if interval.total_seconds() * factor >= cap.total_seconds():
        return cap
    return interval * factor


def next_due(poll: PollState, interval: timedelta, max_backoff: timedelta) -> datetime | None:
    """When a source is due again after ``poll``; None if it was never polled.

    The server's own wish (``next_fetch``) is honoured up to the same cap as the backoff,
    so a feed that says ``max-age`` of a year is still polled a few times a day.
    """
    if poll.last_fetch is None:
        return poll.next_fetch
    due = poll.last_fetch + poll_delay(interval, poll.consecutive_errors, max_backoff)
    if poll.next_fetch is not None:
        due = max(due, min(poll.next_fetch, poll.last_fetch + max(max_backoff, interval)))
    return due


def plan_crawls(
    config: Config,
    last_polls: Mapping[str, PollState],
    *,
    now: datetime,
    rng: random.Random | None = None,
) -> list[CrawlPlan]:
    """One plan per enabled source, in config order.

    A source is due one interval after its last fetch (longer while it keeps failing), and
    not before the time the server asked us to come back; a restart therefore does not
    re-poll everything. Due sources start within a short random spread, so a restart is
    not a burst.
    """
    rng = rng or random.Random()
    plans = []
    for source in config.sources:
        if not source.enabled:
            continue
        interval = config.source_interval(source)
        jitter = min(interval * JITTER_FRACTION, MAX_JITTER)
        # A run delayed by a busy loop or a suspended machine still runs if it is less than
        # half an interval late; later than that, the next tick is as good (coalesce=True).
        misfire_grace = max(interval / 2, timedelta(seconds=1))
        poll = last_polls.get(source.name, PollState())
        due = max(now, next_due(poll, interval, config.crawl.max_backoff) or now)
        spread = min(jitter, MAX_STARTUP_SPREAD).total_seconds()
        first_run = due + timedelta(seconds=rng.uniform(0, spread))
        plans.append(CrawlPlan(source.name, interval, jitter, misfire_grace, first_run))
    return plans
