"""The long-running service: every enabled source crawled on its own interval, one process.

Scrapy and APScheduler share one asyncio event loop (Scrapy's asyncio reactor +
``AsyncIOScheduler``): Twisted's reactor cannot be restarted, so every crawl runs inside the
one reactor that runs for the life of the process.

*When* a source is polled is decided here (:func:`plan_crawls`, from the config and what the
archive remembers about the last poll); *how* it is polled is the crawler's business
(``crawler.runner.crawl_sources``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import signal
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.config import resolve_database_url
from scheduler.database import sync_config_sources
from scheduler.errors import NewswatchError
from scheduler.units import format_duration
from storage.db import make_engine, make_sessionmaker, transaction
from storage.sources import health

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.orm import Session, sessionmaker

    from scheduler.config import Config

logger = logging.getLogger(__name__)

# Jitter: a tenth of the interval, capped, so sources on the same interval drift apart and
# hosts do not see polls on the minute (Miniflux does the same with its refresh spread).
JITTER_FRACTION = 0.1
MAX_JITTER = timedelta(minutes=5)
# On start, sources that are due are spread over at most this long instead of all at once.
MAX_STARTUP_SPREAD = timedelta(seconds=30)
# How long running crawls get to finish after SIGINT/SIGTERM before they are cancelled.
SHUTDOWN_GRACE = 5.0
# How often the alert outbox is worked off. A crawl that stored new articles also wakes
# the delivery job at once, so this is the retry cadence more than the alert latency.
DELIVERY_INTERVAL = timedelta(seconds=30)
DELIVERY_JOB_ID = "deliver"


@dataclass(frozen=True)
class CrawlPlan:
    """When and how often one source is polled."""

    source: str
    interval: timedelta
    jitter: timedelta
    misfire_grace: timedelta
    first_run: datetime


@dataclass(frozen=True)
class LastPoll:
    """What the archive remembers about a source's last poll."""

    last_fetch: datetime | None = None
    next_fetch: datetime | None = None  # a Retry-After the server asked us to honour


def plan_crawls(
    config: Config,
    last_polls: Mapping[str, LastPoll],
    *,
    now: datetime,
    rng: random.Random | None = None,
) -> list[CrawlPlan]:
    """One plan per enabled source, in config order.

    A source is due one interval after its last fetch, and not before the time the server
    asked us to come back (``next_fetch``); a restart therefore does not re-poll everything.
    Due sources start within a short random spread, so a restart is not a burst.
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
        poll = last_polls.get(source.name, LastPoll())
        due = now
        if poll.last_fetch is not None:
            due = max(due, poll.last_fetch + interval)
        if poll.next_fetch is not None:
            due = max(due, poll.next_fetch)
        spread = min(jitter, MAX_STARTUP_SPREAD).total_seconds()
        first_run = due + timedelta(seconds=rng.uniform(0, spread))
        plans.append(CrawlPlan(source.name, interval, jitter, misfire_grace, first_run))
    return plans


def _reactor_loop(reactor: Any) -> asyncio.AbstractEventLoop:
    # Scrapy itself reads this attribute (scrapy.utils.reactor.verify_installed_asyncio_event_loop).
    loop = getattr(reactor, "_asyncioEventloop", None)
    if not isinstance(loop, asyncio.AbstractEventLoop):
        raise NewswatchError(f"the installed Twisted reactor is not the asyncio reactor: {type(reactor).__name__}")
    return loop


class Service:
    """The scheduler, the reactor and the archive of one ``newswatch run``."""

    def __init__(self, config: Config, *, shutdown_grace: float = SHUTDOWN_GRACE) -> None:
        self.config = config
        self.shutdown_grace = shutdown_grace
        self.engine = make_engine(resolve_database_url(config))
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        self.running: set[asyncio.Task[Any]] = set()
        self.stopping = False
        self.reactor: Any = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.scheduler: AsyncIOScheduler | None = None
        # One crawl context for the life of the service: the dedup and story indexes, the
        # extraction workers and the archive writer are built once, not on every tick.
        self._crawl_context: Any = None
        self._context_lock = asyncio.Lock()

    async def crawl_context(self) -> Any:
        """The shared :class:`crawler.context.CrawlContext`, opened on first use."""
        async with self._context_lock:
            if self._crawl_context is None:
                from crawler.archive import Archive
                from crawler.context import CrawlContext

                archive = Archive(resolve_database_url(self.config))
                self._crawl_context = await CrawlContext.open(self.config, archive)
            return self._crawl_context

    def close_crawl_context(self) -> None:
        """Stop the extraction workers and the archive writer."""
        if self._crawl_context is not None:
            self._crawl_context.extractor.close()
            self._crawl_context.archive.close()
            self._crawl_context = None

    # --- archive ---------------------------------------------------------------------

    def sync_sources(self) -> None:
        """Make the ``sources`` table list every configured source (blocking)."""
        with transaction(self.sessions) as session:
            sync_config_sources(session, self.config)

    def last_polls(self) -> dict[str, LastPoll]:
        """Last and next allowed fetch of every configured source (blocking)."""
        with transaction(self.sessions) as session:
            rows = health(session, names=[s.name for s in self.config.sources])
        return {r.name: LastPoll(r.last_fetch, r.next_fetch) for r in rows}

    async def retry_after(self, name: str) -> datetime | None:
        """The time before which ``name`` must not be polled (a server's Retry-After), if any."""
        polls = await asyncio.to_thread(self.last_polls)
        next_fetch = polls.get(name, LastPoll()).next_fetch
        return next_fetch if next_fetch and next_fetch > datetime.now(UTC) else None

    # --- lifecycle -------------------------------------------------------------------

    def run(self) -> None:
        """Install the reactor, schedule every enabled source, run until SIGINT/SIGTERM."""
        from crawler.runner import install_reactor

        self.reactor = install_reactor()
        self.loop = loop = _reactor_loop(self.reactor)
        self.sync_sources()
        plans = plan_crawls(self.config, self.last_polls(), now=datetime.now(UTC))
        self.scheduler = AsyncIOScheduler(event_loop=loop, timezone=UTC)
        for plan in plans:
            self.scheduler.add_job(
                crawl_job,
                trigger=IntervalTrigger(
                    seconds=plan.interval.total_seconds(),
                    jitter=max(int(plan.jitter.total_seconds()), 0) or None,
                    timezone=UTC,
                ),
                args=(self, plan.source),
                id=f"crawl:{plan.source}",
                name=f"crawl {plan.source}",
                next_run_time=plan.first_run,
                max_instances=1,
                coalesce=True,
                misfire_grace_time=max(int(plan.misfire_grace.total_seconds()), 1),
                replace_existing=True,
            )
            logger.info(
                "scheduled every %s, first poll at %s",
                format_duration(plan.interval),
                plan.first_run.isoformat(timespec="seconds"),
                extra={"source": plan.source},
            )
        schedule_deliveries(self.scheduler, self, now=datetime.now(UTC))
        if not plans:
            logger.warning("no enabled sources in the config; the service will only deliver pending alerts")
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_stop, signum)
        self.reactor.callWhenRunning(self.scheduler.start)
        logger.info("newswatch service started with %d source(s)", len(plans))
        try:
            # Our handlers above stop the service gracefully; Twisted's would stop the reactor
            # under running crawls.
            self.reactor.run(installSignalHandlers=False)
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            self.engine.dispose()
        logger.info("newswatch service stopped")

    def wake_deliveries(self) -> None:
        """Run the delivery job now instead of at its next tick (new articles may have alerted)."""
        if self.scheduler is not None and self.scheduler.running and not self.stopping:
            job = self.scheduler.get_job(DELIVERY_JOB_ID)
            if job is not None:
                job.modify(next_run_time=datetime.now(UTC))

    def request_stop(self, signum: int) -> None:
        """Signal handler: first signal stops gracefully, a second one stops at once."""
        name = signal.Signals(signum).name
        if self.stopping:
            logger.warning("%s again: stopping now", name)
            self._stop_reactor()
            return
        self.stopping = True
        logger.info("%s received: stopping (waiting up to %.0fs for running crawls)", name, self.shutdown_grace)
        if self.loop is not None:
            self.loop.create_task(self._shutdown())

    async def _shutdown(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()  # no new runs while the running ones finish
        pending = {task for task in self.running if not task.done()}
        if pending:
            _, pending = await asyncio.wait(pending, timeout=self.shutdown_grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1.0)
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a loop callback
        self.close_crawl_context()
        self._stop_reactor()

    def _stop_reactor(self) -> None:
        if self.reactor is not None and self.reactor.running:
            self.reactor.stop()


async def crawl_job(service: Service, name: str) -> None:
    """APScheduler job: poll one source through the whole pipeline.

    The job boundary: every error is logged against the source and swallowed, so one broken
    source never stops the service or the other sources' jobs.
    """
    if service.stopping:
        return
    context = {"source": name}
    task = asyncio.current_task()
    if task is not None:
        service.running.add(task)
    try:
        retry_at = await service.retry_after(name)
        if retry_at is not None:
            logger.info("skipped: the server asked us to wait until %s", retry_at.isoformat(), extra=context)
            return
        from crawler.runner import crawl_sources

        logger.debug("crawl started", extra=context)
        summaries = await crawl_sources(service.config, [name], context=await service.crawl_context())
        for summary in summaries:
            logger.info(
                "crawled: status=%s http=%s items=%d new=%d seen=%d failed=%d%s",
                summary.status,
                summary.http_status if summary.http_status is not None else "-",
                summary.items_found,
                summary.articles_new,
                summary.articles_seen,
                summary.articles_failed,
                f" error={summary.error}" if summary.error else "",
                extra={"source": summary.name},
            )
        if any(summary.articles_new for summary in summaries):
            service.wake_deliveries()
    except asyncio.CancelledError:
        # Only our own shutdown cancels a crawl; ending the job normally keeps APScheduler
        # from logging the cancellation as a crash.
        logger.warning("crawl cancelled by shutdown", extra=context)
    except Exception as exc:
        logger.error("crawl failed: %s: %s", type(exc).__name__, exc, extra=context)
        logger.debug("traceback", exc_info=True, extra=context)
    finally:
        if task is not None:
            service.running.discard(task)


def schedule_deliveries(scheduler: AsyncIOScheduler, service: Service, *, now: datetime) -> None:
    """Add the delivery job: first run at ``now`` (alerts left pending by the last run go out
    right after start), then every :data:`DELIVERY_INTERVAL`.

    ``max_instances=1``: two runs in one process would only race for the same claims.
    ``coalesce=True``: runs missed while the loop was busy collapse into one; the job
    sends everything due anyway. ``misfire_grace_time`` of one interval: a late run is
    still worth doing until the next one is about to start.
    """
    interval = DELIVERY_INTERVAL.total_seconds()
    scheduler.add_job(
        deliver_job,
        trigger=IntervalTrigger(seconds=interval, timezone=UTC),
        args=(service,),
        id=DELIVERY_JOB_ID,
        name="deliver alerts",
        next_run_time=now,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=int(interval),
        replace_existing=True,
    )


async def deliver_job(service: Service) -> None:
    """APScheduler job: send every due alert delivery (blocking I/O, so in a worker thread).

    The job boundary: channel failures are recorded by ``deliver_due`` itself; anything else
    (the database being away) is logged here and the next tick tries again.
    """
    if service.stopping:
        return
    from notify.deliver import deliver_due

    task = asyncio.current_task()
    if task is not None:
        service.running.add(task)
    try:
        await asyncio.to_thread(deliver_due, service.config, service.sessions)
    except asyncio.CancelledError:
        # The thread finishes its current send on its own; an unfinished delivery is
        # claimed again after its lease.
        logger.warning("delivery run cancelled by shutdown")
    except Exception as exc:
        logger.error("delivery run failed: %s: %s", type(exc).__name__, exc)
        logger.debug("traceback", exc_info=True)
    finally:
        if task is not None:
            service.running.discard(task)


def run_service(config: Config, *, shutdown_grace: float = SHUTDOWN_GRACE) -> None:
    """Run the service until SIGINT or SIGTERM; returns normally after a clean stop."""
    Service(config, shutdown_grace=shutdown_grace).run()
