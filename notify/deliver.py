"""Working off the outbox: claim each due delivery, send it, record the outcome.

Safe to run from several places at once (the service's delivery job, ``newswatch deliver``
from cron, a test): a delivery is claimed by exactly one of them, and one left half-done by
a crash is taken up again once its lease has run out (see ``storage.alerts``). Network I/O
happens outside any database transaction, so a slow SMTP server never holds a lock.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from notify.channels import DeliveryError, UnknownChannelError, send
from storage.alerts import (
    FAILED,
    MAX_ATTEMPTS,
    PENDING,
    DueDelivery,
    alert_view,
    claim_delivery,
    due_deliveries,
    mark_failed,
    mark_sent,
)
from storage.db import transaction, utcnow

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime, timedelta

    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Config

    Sender = Callable[..., None]

logger = logging.getLogger(__name__)

# Deliveries handled per call; the rest wait for the next call (the job runs every 30 s).
BATCH = 100


def configured_channels(config: Config) -> list[str]:
    """Delivery channel names for the config (:meth:`core.config.ChannelsConfig.names`)."""
    return config.alerts.channels.names()


def deliver_due(
    config: Config,
    sessions: sessionmaker[Session],
    now: datetime | None = None,
    *,
    limit: int = BATCH,
    lease: timedelta | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    env: Mapping[str, str] | None = None,
    sender: Sender = send,
) -> dict[str, int]:
    """Send every delivery due at ``now`` (default: the current time) once.

    Returns counts: ``due`` (seen), ``sent``, ``retrying`` (failed, will be retried),
    ``failed`` (given up), ``skipped`` (another worker had it). A channel failure is
    recorded and logged, never raised; only database errors propagate.
    """
    clock: Callable[[], datetime] = (lambda: now) if now is not None else utcnow
    lease = lease if lease is not None else config.alerts.delivery_lease
    counts = {"due": 0, "sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    with transaction(sessions) as session:
        due = due_deliveries(session, clock(), limit)
    counts["due"] = len(due)
    for item in due:
        outcome = _deliver_one(config, sessions, item, clock, lease, max_attempts, env, sender)
        counts[outcome] += 1
    if counts["due"]:
        logger.info(
            "deliveries: %d sent, %d to retry, %d failed, %d taken by another worker",
            counts["sent"],
            counts["retrying"],
            counts["failed"],
            counts["skipped"],
        )
    return counts


def _deliver_one(
    config: Config,
    sessions: sessionmaker[Session],
    item: DueDelivery,
    clock: Callable[[], datetime],
    lease: timedelta,
    max_attempts: int,
    env: Mapping[str, str] | None,
    sender: Sender,
) -> str:
    # Claim first in its own short transaction: the UPDATE is its first statement (see
    # storage.alerts.claim_delivery) and the claim is visible to others once committed.
    with transaction(sessions) as session:
        claimed = claim_delivery(session, item.id, clock(), lease=lease)
        view: dict[str, Any] | None = alert_view(session, claimed.alert_id, claimed.update_id) if claimed else None
    if claimed is None or view is None:
        return "skipped"
    what = f"alert {claimed.alert_id}" + (f" update {claimed.update_id}" if claimed.update_id else "")
    what += f" to {claimed.channel}"
    give_up = False
    if claimed.attempts > max_attempts:
        # Only reachable when earlier attempts never finished (the worker died while sending).
        error = f"gave up after {claimed.attempts - 1} attempts that never finished (worker stopped while sending)"
        give_up = True
    else:
        try:
            sender(config, claimed.channel, view, env=env)
        except UnknownChannelError as exc:
            error, give_up = str(exc), True
        except DeliveryError as exc:
            error = str(exc)
        except Exception as exc:  # the job boundary: a bug in one channel must not stop the others
            error = f"{type(exc).__name__}: {exc}"
            logger.debug("traceback of %s", what, exc_info=True)
        else:
            with transaction(sessions) as session:
                recorded = mark_sent(session, claimed.id, clock())
            if recorded:
                logger.info("%s: sent (attempt %d)", what, claimed.attempts)
            else:
                logger.warning("%s: sent, but another worker had already finished it", what)
            return "sent"
    with transaction(sessions) as session:
        status = mark_failed(session, claimed.id, error, clock(), max_attempts=1 if give_up else max_attempts)
    if status == PENDING:
        logger.warning("%s: attempt %d failed, will retry: %s", what, claimed.attempts, error)
        return "retrying"
    if status == FAILED:
        logger.error("%s: failed after %d attempt(s), giving up: %s", what, claimed.attempts, error)
        return "failed"
    logger.warning("%s: failed (%s), but another worker had already finished it", what, error)
    return "skipped"
