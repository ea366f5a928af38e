"""When digests go out, and sending one: the cron schedule, the period, once per period.

*When* is the ``digest.schedule`` cron in ``digest.timezone``; a digest fired at time T
covers the period from the schedule's previous fire time to T. A scheduled period is
claimed in the database before it is sent (``storage.digests.claim_period``), so it goes out
once, across restarts and processes. On start the service sends the latest period if its
time passed while the service was down (only that one: a week offline does not mean seven
digests at once), but never a period from before the service first ran.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.cron import cron_trigger, period_ending, previous_fire
from core.errors import UsageError
from core.times import display_zone
from notify.channels import DeliveryError, send_message
from notify.digest import DigestContent, build_digest, dashboard_url, digest_message, render_digest
from storage import digests, service_state
from storage.db import transaction, utcnow

if TYPE_CHECKING:
    from collections.abc import Mapping

    from apscheduler.triggers.cron import CronTrigger
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Config
    from notify.digest import RenderedDigest

logger = logging.getLogger(__name__)

# Longer than any SMTP conversation: a claim older than this was left by a crash.
LEASE = timedelta(minutes=10)
# The service remembers since when it watches, so a first start never digests the past.
WATCH_SINCE = "digest.watch_since"
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


def schedule(config: Config) -> CronTrigger:
    """The digest trigger (``digest.schedule`` in ``digest.timezone``); validated by the config."""
    return cron_trigger(config.digest.schedule, ZoneInfo(config.digest.timezone))


def period_key(fire: datetime) -> str:
    """The database key of the period a digest fired at ``fire`` covers."""
    return "cron:" + fire.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DigestOutcome:
    """What one attempt at a digest did."""

    status: str  # sent | skipped | already | failed | printed
    key: str | None
    start: datetime
    end: datetime
    stories: int = 0
    error: str | None = None


def _build(session: Session, config: Config, start: datetime, end: datetime) -> DigestContent:
    """The digest's content, counting health against every enabled source of the config.

    Times in it are in the display zone (``display.timezone``, else ``digest.timezone``), as
    on the dashboard and in the CLI; ``digest.timezone`` alone says when the cron fires.
    """
    sources = [source.name for source in config.sources if source.enabled]
    return build_digest(session, start, end, display_zone(config), sources=sources)


def _render(content: DigestContent, config: Config) -> RenderedDigest:
    """Render with links to the dashboard's story pages (where its address can be known)."""
    return render_digest(content, dashboard=dashboard_url(config.api.host, config.api.port, config.api.public_url))


def render_period(sessions: sessionmaker[Session], config: Config, start: datetime, end: datetime) -> RenderedDigest:
    """The digest of ``[start, end)``, rendered (one read-only transaction)."""
    with transaction(sessions) as session:
        content = _build(session, config, start, end)
    return _render(content, config)


def _send(
    config: Config,
    sessions: sessionmaker[Session],
    claim: digests.DigestClaim,
    env: Mapping[str, str],
) -> DigestOutcome:
    """Build, send and record the claimed digest."""
    with transaction(sessions) as session:
        content = _build(session, config, claim.period_start, claim.period_end)
    stories = content.story_count
    if content.empty and config.digest.skip_empty:
        with transaction(sessions) as session:
            digests.mark_skipped(session, claim.id, now=utcnow())
        logger.info("digest for %s skipped: nothing new (digest.skip_empty)", claim.period_key or "now")
        return DigestOutcome("skipped", claim.period_key, claim.period_start, claim.period_end)
    rendered = _render(content, config)
    recipients = list(config.digest.to)
    message = digest_message(
        rendered, sender=config.smtp.sender, recipients=recipients, key=claim.period_key or f"manual-{claim.id}"
    )
    try:
        send_message(config, message, recipients, env=env)
    except DeliveryError as exc:
        with transaction(sessions) as session:
            digests.mark_failed(session, claim.id, str(exc))
        logger.error("digest for %s not sent: %s", claim.period_key or "now", exc)
        return DigestOutcome("failed", claim.period_key, claim.period_start, claim.period_end, stories, str(exc))
    with transaction(sessions) as session:
        digests.mark_sent(session, claim.id, now=utcnow(), stories=stories, recipients=len(recipients))
    logger.info(
        "digest sent to %d recipient(s): %d stories, period %s to %s",
        len(recipients),
        stories,
        claim.period_start.isoformat(timespec="seconds"),
        claim.period_end.isoformat(timespec="seconds"),
    )
    return DigestOutcome("sent", claim.period_key, claim.period_start, claim.period_end, stories)


def send_scheduled(
    config: Config,
    sessions: sessionmaker[Session],
    fire: datetime,
    *,
    env: Mapping[str, str] | None = None,
) -> DigestOutcome:
    """Send the digest of the period ending at the schedule's fire time ``fire``, unless it went out."""
    start, end = period_ending(schedule(config), fire)
    key = period_key(fire)
    with transaction(sessions) as session:
        claim = digests.claim_period(session, key, start, end, now=utcnow(), lease=LEASE)
    if claim is None:
        logger.info("digest for %s already sent or being sent; nothing to do", key)
        return DigestOutcome("already", key, start, end)
    return _send(config, sessions, claim, os.environ if env is None else env)


def send_now(
    config: Config,
    sessions: sessionmaker[Session],
    period: timedelta,
    *,
    now: datetime | None = None,
    env: Mapping[str, str] | None = None,
) -> DigestOutcome:
    """``newswatch digest --send``: the last ``period`` up to now, sent at once, recorded as manual."""
    if not config.digest.to:
        raise UsageError("digest.to is empty: name at least one recipient to send a digest")
    end = now or utcnow()
    with transaction(sessions) as session:
        claim = digests.record_manual(session, end - period, end, now=end)
    return _send(config, sessions, claim, os.environ if env is None else env)


def watch_since(sessions: sessionmaker[Session], now: datetime) -> datetime:
    """When the service first ran against this archive (recorded on the first call)."""
    with transaction(sessions) as session:
        value = service_state.set_default(session, WATCH_SINCE, now.astimezone(UTC).isoformat())
    return datetime.fromisoformat(value)


def missed_fire(config: Config, sessions: sessionmaker[Session], now: datetime) -> datetime | None:
    """The latest fire time before ``now`` whose digest has not gone out, if the service was watching then.

    Called on start: a digest due while the service was stopped is sent at once, once.
    """
    fire = previous_fire(schedule(config), now)
    if fire is None or fire < watch_since(sessions, now):
        return None
    with transaction(sessions) as session:
        status = digests.period_status(session, period_key(fire))
    if status in (digests.SENT, digests.SKIPPED):
        return None
    return fire
