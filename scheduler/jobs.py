"""The service's jobs and how each is scheduled: crawls, alert deliveries, digests, heartbeat.

Every job is a module-level coroutine with a stable id (APScheduler's rule for jobs that
may be stored), and is the error boundary for its work: anything that goes wrong is logged
against the source or the digest and swallowed, so one failure never stops the service or
the other jobs. ``max_instances``, ``coalesce`` and ``misfire_grace_time`` are set on
purpose for each job; the reasons are next to them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.cron import previous_fire
from notify.deliver import deliver_due
from scheduler import digests

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator

    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Config
    from crawler.context import CrawlContext
    from scheduler.due import CrawlPlan
    from scheduler.status import ServiceStatus
    from storage.sources import PollState

logger = logging.getLogger(__name__)


class Service(Protocol):
    """What the jobs use of the running service (``scheduler.service.Service`` is one).

    A protocol here, so the jobs need not import the service that schedules them.
    """

    config: Config
    sessions: sessionmaker[Session]
    status: ServiceStatus
    stopping: bool
    scheduler: AsyncIOScheduler | None
    running: set[asyncio.Task[Any]]

    async def crawl_context(self) -> CrawlContext:
        """The crawl context shared by every crawl of the service."""
        ...

    def planner(self, name: str) -> Callable[[PollState], datetime]:
        """When ``name`` is due next, given its poll state after a crawl."""
        ...

    def reschedule(self, name: str, when: datetime) -> None:
        """Move the next poll of ``name`` to ``when``."""
        ...

    def wake_deliveries(self) -> None:
        """Run the delivery job now."""
        ...

    def write_status(self) -> None:
        """Rewrite the status file."""
        ...


# How often the alert outbox is worked off. A crawl that stored new articles also wakes
# the delivery job at once, so this is the retry cadence more than the alert latency.
DELIVERY_INTERVAL = timedelta(seconds=30)
DELIVERY_JOB_ID = "deliver"
DIGEST_JOB_ID = "digest"
DIGEST_CATCHUP_JOB_ID = "digest-catchup"
HEARTBEAT_JOB_ID = "heartbeat"
# A digest that could not be sent is tried again after 1, 2, 4, ... minutes, at most this.
DIGEST_RETRY_CAP = timedelta(hours=1)
# A missed digest is sent this long after start, once the first crawls are under way.
CATCHUP_DELAY = timedelta(seconds=2)


@contextlib.contextmanager
def _tracked(service: Service) -> Iterator[None]:
    """Register the running job's task, so a graceful stop waits for it."""
    task = asyncio.current_task()
    if task is not None:
        service.running.add(task)
    try:
        yield
    finally:
        if task is not None:
            service.running.discard(task)


def _every(
    scheduler: AsyncIOScheduler,
    job: Callable[[Service], Awaitable[None]],
    service: Service,
    seconds: float,
    job_id: str,
    name: str,
    now: datetime,
) -> None:
    """A job that runs at ``now``, then every ``seconds``: one at a time (``max_instances=1``),
    missed runs collapsed into one (``coalesce``), a late run still done until the next is due."""
    scheduler.add_job(
        job,
        trigger=IntervalTrigger(seconds=seconds, timezone=UTC),
        args=(service,),
        id=job_id,
        name=name,
        next_run_time=now,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=int(seconds),
        replace_existing=True,
    )


# --- crawls ----------------------------------------------------------------------------


def schedule_crawl(scheduler: AsyncIOScheduler, service: Service, plan: CrawlPlan) -> None:
    """Add the poll job of one source.

    ``max_instances=1``: one crawl of a source at a time. ``coalesce=True``: polls missed
    while the machine slept collapse into one. ``misfire_grace_time``: half an interval
    (see ``plan_crawls``). The trigger's interval and jitter apply between polls; after
    each poll the job itself moves its next run (backoff, Retry-After, max-age).
    """
    scheduler.add_job(
        crawl_job,
        trigger=IntervalTrigger(
            seconds=plan.interval.total_seconds(),
            jitter=max(int(plan.jitter.total_seconds()), 0) or None,
            timezone=UTC,
        ),
        args=(service, plan.source),
        id=f"crawl:{plan.source}",
        name=f"crawl {plan.source}",
        next_run_time=plan.first_run,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=max(int(plan.misfire_grace.total_seconds()), 1),
        replace_existing=True,
    )


async def crawl_job(service: Service, name: str) -> None:
    """Poll one source through the whole pipeline, then plan its next poll."""
    if service.stopping:
        return
    context = {"source": name}
    with _tracked(service):
        try:
            # Lazy on purpose: Scrapy and Twisted load only after the service installed the
            # asyncio reactor (crawler.runner.install_reactor).
            from crawler.runner import crawl_sources

            started = time.monotonic()
            summaries = await crawl_sources(
                service.config,
                [name],
                context=await service.crawl_context(),
                plan_next=service.planner(name),
                # A poll that fetched nothing is written with the next group commit: a
                # second of bookkeeping at risk in a kill -9, and nothing a restart repeats.
                defer_quiet=True,
            )
            seconds = time.monotonic() - started
            for summary in summaries:
                due = summary.next_poll
                if due is not None:
                    service.reschedule(name, due)
                service.status.crawl_done(summary, seconds=seconds, next_run=due)
                logger.info(
                    "crawled in %.1fs: status=%s http=%s items=%d new=%d seen=%d failed=%d skipped=%d next=%s%s",
                    seconds,
                    summary.status,
                    summary.http_status if summary.http_status is not None else "-",
                    summary.items_found,
                    summary.articles_new,
                    summary.articles_seen,
                    summary.articles_failed,
                    summary.articles_skipped,
                    due.isoformat(timespec="seconds") if due else "-",
                    f" error={summary.error}" if summary.error else "",
                    extra={"source": summary.name},
                )
            if any(summary.articles_new for summary in summaries):
                service.wake_deliveries()
        except asyncio.CancelledError:
            # Only our own shutdown cancels a crawl; ending the job normally keeps APScheduler
            # from logging the cancellation as a crash. Stored articles were each committed
            # whole; crawl_sources closed the open crawl run as interrupted.
            logger.warning("crawl cancelled by shutdown", extra=context)
        except Exception as exc:
            service.status.counters["job_errors_total"] += 1
            logger.error("crawl failed: %s: %s", type(exc).__name__, exc, extra=context)
            logger.debug("traceback", exc_info=True, extra=context)


# --- alert deliveries ------------------------------------------------------------------


def schedule_deliveries(scheduler: AsyncIOScheduler, service: Service, *, now: datetime) -> None:
    """Add the delivery job: first run at ``now`` (alerts left pending by the last run go out
    right after start), then every :data:`DELIVERY_INTERVAL`.

    ``max_instances=1``: two runs in one process would only race for the same claims.
    ``coalesce=True``: runs missed while the loop was busy collapse into one; the job
    sends everything due anyway. ``misfire_grace_time`` of one interval: a late run is
    still worth doing until the next one is about to start.
    """
    _every(scheduler, deliver_job, service, DELIVERY_INTERVAL.total_seconds(), DELIVERY_JOB_ID, "deliver alerts", now)


async def deliver_job(service: Service) -> None:
    """Send every due alert delivery (blocking I/O, so in a worker thread).

    Channel failures are recorded by ``deliver_due`` itself; anything else (the database
    being away) is logged here and the next tick tries again.
    """
    if service.stopping:
        return
    with _tracked(service):
        try:
            counts = await asyncio.to_thread(deliver_due, service.config, service.sessions)
            service.status.deliveries_done(counts)
        except asyncio.CancelledError:
            # The thread finishes its current send on its own; an unfinished delivery is
            # claimed again after its lease.
            logger.warning("delivery run cancelled by shutdown")
        except Exception as exc:
            service.status.counters["job_errors_total"] += 1
            logger.error("delivery run failed: %s: %s", type(exc).__name__, exc)
            logger.debug("traceback", exc_info=True)


# --- digests ---------------------------------------------------------------------------


def schedule_digests(scheduler: AsyncIOScheduler, service: Service, *, now: datetime) -> None:
    """Add the digest job on ``digest.schedule``, and a one-off run for a period missed while stopped.

    ``misfire_grace_time`` of an hour: a digest delayed by a busy loop or a suspended
    machine is still worth sending late; later than that, the next start's catch-up sends
    it (the period is recorded, so it never goes twice). ``coalesce=True``,
    ``max_instances=1``: one digest at a time.
    """
    config = service.config
    if not config.digest.to:
        logger.info("digest.to is empty: no digests are scheduled")
        return
    trigger = digests.schedule(config)
    scheduler.add_job(
        digest_job,
        trigger=trigger,
        args=(service,),
        id=DIGEST_JOB_ID,
        name="digest",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
        replace_existing=True,
    )
    missed = digests.missed_fire(config, service.sessions, now)
    if missed is not None:
        logger.info("the digest due at %s was not sent: sending it now", missed.isoformat(timespec="seconds"))
        scheduler.add_job(
            digest_job,
            trigger=DateTrigger(now + CATCHUP_DELAY, timezone=UTC),
            args=(service, missed),
            id=DIGEST_CATCHUP_JOB_ID,
            name="digest (missed while stopped)",
            misfire_grace_time=3600,
            replace_existing=True,
        )


async def digest_job(service: Service, fire: datetime | None = None) -> None:
    """Send the digest of the period ending at ``fire`` (default: the schedule's latest fire time).

    A failed send is tried again with a growing pause; the period stays claimable until it
    is sent, also by the next start.
    """
    if service.stopping:
        return
    config = service.config
    fire = fire or previous_fire(digests.schedule(config), datetime.now(UTC) + timedelta(seconds=1))
    if fire is None:
        return
    with _tracked(service):
        try:
            outcome = await asyncio.to_thread(digests.send_scheduled, config, service.sessions, fire)
        except asyncio.CancelledError:
            logger.warning("digest cancelled by shutdown; its claim runs out and the next start sends it")
            return
        except Exception as exc:
            service.status.counters["job_errors_total"] += 1
            logger.error("digest failed: %s: %s", type(exc).__name__, exc)
            logger.debug("traceback", exc_info=True)
            return
        service.status.counters[f"digests_{outcome.status}_total"] += 1
        service.status.digest.update(
            last_period_end=outcome.end.astimezone(UTC).isoformat(timespec="seconds"),
            last_status=outcome.status,
            last_error=outcome.error,
        )
        if outcome.status == "failed" and service.scheduler is not None and not service.stopping:
            attempts = service.status.counters["digests_failed_total"]
            pause = min(timedelta(minutes=2 ** min(attempts - 1, 10)), DIGEST_RETRY_CAP)
            service.scheduler.add_job(
                digest_job,
                trigger=DateTrigger(datetime.now(UTC) + pause, timezone=UTC),
                args=(service, fire),
                id=f"digest-retry:{digests.period_key(fire)}",
                name="digest (retry)",
                misfire_grace_time=3600,
                replace_existing=True,
            )
        service.write_status()


# --- liveness --------------------------------------------------------------------------


def schedule_heartbeat(scheduler: AsyncIOScheduler, service: Service, *, now: datetime) -> None:
    """Rewrite the status file every ``service.heartbeat``, so a monitor can tell a stuck process."""
    seconds = max(service.config.service.heartbeat.total_seconds(), 1.0)
    _every(scheduler, heartbeat_job, service, seconds, HEARTBEAT_JOB_ID, "heartbeat", now)


async def heartbeat_job(service: Service) -> None:
    """Write the status file (a few milliseconds of blocking I/O, kept on the loop on purpose:
    if the loop is stuck, the file goes stale, which is what a monitor must see)."""
    try:
        service.write_status()
    except Exception as exc:  # never let liveness reporting take the service down
        logger.warning("heartbeat failed: %s: %s", type(exc).__name__, exc)
