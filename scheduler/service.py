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
import os
import random
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.config import resolve_database_url
from core.errors import NewswatchError
from core.gc_freeze import freeze_startup_objects, set_crawl_thresholds
from core.units import format_duration
from scheduler import jobs
from scheduler.database import sync_config_sources
from scheduler.due import CrawlPlan, next_due, plan_crawls
from scheduler.jobs import DELIVERY_JOB_ID
from scheduler.status import ServiceStatus
from storage.crawl_runs import close_interrupted
from storage.db import make_engine, make_sessionmaker, transaction
from storage.sources import PollState, poll_states

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Config
    from crawler.context import CrawlContext
    from web.server import ApiServer

logger = logging.getLogger(__name__)

# After SIGINT/SIGTERM and ``service.shutdown_grace``, what the stop itself may take:
# cancelling what still runs, closing the crawlers (downloads in flight are cut short),
# flushing the database writer, stopping the API. The process exits by then.
SHUTDOWN_MARGIN = 3.0
# Beyond that, a watchdog ends the process whatever still holds it (see _arm_watchdog).
EXIT_SLACK = 2.0
# The API gets at most this long of the margin to let requests in flight finish.
API_STOP_TIMEOUT = 3.0


def _reactor_loop(reactor: Any) -> asyncio.AbstractEventLoop:
    # Scrapy itself reads this attribute (scrapy.utils.reactor.verify_installed_asyncio_event_loop).
    loop = getattr(reactor, "_asyncioEventloop", None)
    if not isinstance(loop, asyncio.AbstractEventLoop):
        raise NewswatchError(f"the installed Twisted reactor is not the asyncio reactor: {type(reactor).__name__}")
    return loop


class Service:
    """The scheduler, the reactor and the archive of one ``newswatch run``."""

    def __init__(self, config: Config, *, shutdown_grace: float | None = None) -> None:
        self.config = config
        self.shutdown_grace = (
            shutdown_grace if shutdown_grace is not None else config.service.shutdown_grace.total_seconds()
        )
        self.engine = make_engine(resolve_database_url(config))
        self.sessions: sessionmaker[Session] = make_sessionmaker(self.engine)
        self.running: set[asyncio.Task[Any]] = set()
        self.stopping = False
        self.reactor: Any = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.scheduler: AsyncIOScheduler | None = None
        self.status = ServiceStatus()
        self.rng = random.Random()
        self.plans: dict[str, CrawlPlan] = {}
        status_file = config.service.status_file
        self.status_path: Path | None = None
        if status_file is not None:
            self.status_path = status_file if status_file.is_absolute() else config.base_dir / status_file
        # One crawl context for the life of the service: the dedup and story indexes, the
        # extraction workers and the database writer are built once, not on every tick.
        self._crawl_context: CrawlContext | None = None
        self._context_lock = asyncio.Lock()
        self.api: ApiServer | None = None  # while the API runs

    async def crawl_context(self) -> CrawlContext:
        """The shared :class:`crawler.context.CrawlContext`, opened on first use."""
        async with self._context_lock:
            if self._crawl_context is None:
                # Lazy on purpose: the crawler (Scrapy, Twisted) loads with the first crawl.
                from crawler.runner import open_context
                from crawler.writer import DbWriter

                writer = DbWriter(resolve_database_url(self.config))
                self._crawl_context = await open_context(self.config, writer)
                # Each poll's line (scheduler.jobs) carries its failure: not logged twice.
                self._crawl_context.failure_log_level = logging.INFO
                # The dedup and story indexes just loaded live as long as the service:
                # keep the GC's full passes from walking them every few seconds, and
                # collect young objects at the crawl's pace (core.gc_freeze).
                freeze_startup_objects()
                set_crawl_thresholds()
            return self._crawl_context

    async def close_crawl_context(self, timeout: float | None = None) -> None:
        """Close the source crawlers, the extraction workers and the database writer (in ``timeout`` seconds)."""
        context, self._crawl_context = self._crawl_context, None
        if context is not None:
            try:
                await context.close(timeout)
            except Exception as exc:  # closing must never keep the process from exiting
                logger.warning("closing the crawl context failed: %s: %s", type(exc).__name__, exc)

    # --- archive ---------------------------------------------------------------------

    def prepare_archive(self) -> None:
        """Make the ``sources`` table list every configured source and close runs a crash left open."""
        with transaction(self.sessions) as session:
            sync_config_sources(session, self.config)
            interrupted = close_interrupted(session)
        if interrupted:
            logger.warning("%d crawl run(s) were left open by a stopped process; marked interrupted", interrupted)

    def last_polls(self, names: list[str] | None = None) -> dict[str, PollState]:
        """Last poll, earliest next poll and failures in a row of every configured source (blocking)."""
        with transaction(self.sessions) as session:
            rows = poll_states(session, names or [s.name for s in self.config.sources])
        return rows

    def planner(self, name: str) -> Callable[[PollState], datetime]:
        """The ``plan_next`` callback of a crawl of ``name``: next due time, with jitter.

        Runs after the poll, before its outcome is stored; the time it returns is stored
        with the outcome (``sources.next_fetch_at``, what a restart plans from) and moves
        the job's next run when the interval trigger would not run it then anyway.
        """
        plan = self.plans[name]
        max_backoff = self.config.crawl.max_backoff
        jitter = plan.jitter.total_seconds()

        def plan_next(state: PollState) -> datetime:
            now = datetime.now(UTC)
            due = max(next_due(state, plan.interval, max_backoff) or now, now)
            return due + timedelta(seconds=self.rng.uniform(0, jitter))

        return plan_next

    # --- lifecycle -------------------------------------------------------------------

    def run(self) -> None:
        """Install the reactor, schedule sources, digests and deliveries, run until SIGINT/SIGTERM."""
        # Lazy on purpose: Scrapy and Twisted load only when the service really starts (and
        # the asyncio reactor must be installed before anything imports twisted's reactor).
        from crawler.runner import install_reactor

        if self.config.api.enabled:
            # Lazy on purpose, as for start_api below.
            from web.auth import check_exposure

            # Refuse an exposed API without a token before anything starts (exit 2).
            check_exposure(self.config, self.config.api.host)
        self.reactor = install_reactor()
        self.loop = loop = _reactor_loop(self.reactor)
        self.prepare_archive()
        now = datetime.now(UTC)
        plans = plan_crawls(self.config, self.last_polls(), now=now, rng=self.rng)
        self.plans = {plan.source: plan for plan in plans}
        self.scheduler = AsyncIOScheduler(event_loop=loop, timezone=UTC)
        for plan in plans:
            jobs.schedule_crawl(self.scheduler, self, plan)
            # DEBUG: the started line counts the sources; a line each is noise at every start.
            logger.debug(
                "scheduled every %s, first poll at %s",
                format_duration(plan.interval),
                plan.first_run.isoformat(timespec="seconds"),
                extra={"source": plan.source},
            )
        jobs.schedule_deliveries(self.scheduler, self, now=now)
        jobs.schedule_digests(self.scheduler, self, now=now)
        if self.status_path is not None:
            jobs.schedule_heartbeat(self.scheduler, self, now=now)
        if not plans:
            logger.warning("no enabled sources in the config; the service will only deliver pending alerts")
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_stop, signum)
        self.reactor.callWhenRunning(self._started)
        logger.info("newswatch service started with %d source(s)", len(plans))
        try:
            # Our handlers above stop the service gracefully; Twisted's would stop the reactor
            # under running crawls.
            self.reactor.run(installSignalHandlers=False)
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(signum)
            self.status.state = "stopped"
            self.write_status()
            self.engine.dispose()
        logger.info("newswatch service stopped")

    def _started(self) -> None:
        assert self.scheduler is not None and self.loop is not None
        self.scheduler.start()
        self.status.state = "running"
        if self.config.api.enabled:
            self.loop.create_task(self._start_api())
        self.write_status()

    async def _start_api(self) -> None:
        """Serve the API and dashboard on the service's loop; a port in use is logged, not fatal.

        Why not fatal: crawling and alerting matter more than the dashboard, and a second
        ``newswatch run`` on the same machine should still work (with ``api.enabled: false``).
        """
        # Lazy on purpose: FastAPI and uvicorn load only when the API is enabled.
        from web.server import start_api

        try:
            self.api = await start_api(self.config)
            self.status.api = self.api.url
        except Exception as exc:
            logger.error("the API and dashboard are not served: %s", exc)

    def next_runs(self) -> dict[str, datetime | None]:
        """Next run time of every scheduled job, by job id."""
        if self.scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    def write_status(self) -> None:
        """Rewrite the status file (when one is configured)."""
        if self.status_path is not None:
            self.status.write(self.status_path, next_runs=self.next_runs())

    def reschedule(self, name: str, when: datetime) -> None:
        """Move the next poll of ``name`` to ``when`` (after a backoff or a server's wish).

        Most polls plan what the job's interval trigger already holds (the interval plus
        jitter); moving the job then would only cost the scheduler a wake-up and a re-sort
        on every poll, so a time within the jitter (and a second) of the trigger's is left.
        """
        plan = self.plans.get(name)
        slack = (plan.jitter if plan is not None else timedelta(0)) + timedelta(seconds=1)
        self.reschedule_job(f"crawl:{name}", when, slack=slack)

    def wake_deliveries(self) -> None:
        """Run the delivery job now instead of at its next tick (new articles may have alerted)."""
        self.reschedule_job(DELIVERY_JOB_ID, datetime.now(UTC))

    def reschedule_job(self, job_id: str, when: datetime, *, slack: timedelta = timedelta(0)) -> None:
        """Move the next run of ``job_id`` to ``when``, if the job exists and the service runs,
        unless its next run is already within ``slack`` of it."""
        if self.scheduler is not None and self.scheduler.running and not self.stopping:
            job = self.scheduler.get_job(job_id)
            if job is not None:
                planned = job.next_run_time
                if slack and planned is not None and abs(planned - when) <= slack:
                    return
                job.modify(next_run_time=when)

    def request_stop(self, signum: int) -> None:
        """Signal handler: first signal stops gracefully, a second one stops at once.

        The whole stop has one deadline, ``shutdown_grace`` + :data:`SHUTDOWN_MARGIN`,
        whatever the network does; a watchdog ends the process :data:`EXIT_SLACK` later
        if something still holds it.
        """
        name = signal.Signals(signum).name
        if self.stopping:
            logger.warning("%s again: stopping now", name)
            self._stop_reactor()
            return
        self.stopping = True
        self.status.state = "stopping"
        limit = self.shutdown_grace + SHUTDOWN_MARGIN
        logger.info(
            "%s received: stopping (waiting up to %.0fs for running jobs, exiting within %.0fs)",
            name,
            self.shutdown_grace,
            limit,
        )
        _arm_watchdog(limit + EXIT_SLACK)
        if self.loop is not None:
            self.loop.create_task(self._shutdown(self.loop.time() + limit))

    async def _shutdown(self, deadline: float) -> None:
        """Let running jobs finish for the grace, cancel the rest, close everything by ``deadline`` (loop time)."""
        loop = asyncio.get_running_loop()

        def left() -> float:
            return max(deadline - loop.time(), 0.0)

        try:
            if self.scheduler is not None and self.scheduler.running:
                self.scheduler.pause()  # no new runs while the running ones finish
            pending = {task for task in self.running if not task.done()}
            if pending:
                _, pending = await asyncio.wait(pending, timeout=min(self.shutdown_grace, left()))
            for task in pending:
                task.cancel()  # a cancelled crawl closes its run as interrupted (crawler.runner)
            if pending:
                await asyncio.wait(pending, timeout=left())
            if self.scheduler is not None and self.scheduler.running:
                self.scheduler.shutdown(wait=False)
                await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a loop callback
            # Independent of each other: the API and the crawlers stop side by side.
            await asyncio.gather(self._stop_api(left()), self.close_crawl_context(left()))
        finally:
            self._stop_reactor()

    async def _stop_api(self, timeout: float) -> None:
        if self.api is not None:
            try:
                await asyncio.wait_for(self.api.stop(), timeout=min(API_STOP_TIMEOUT, timeout))
            except Exception as exc:  # stopping must never keep the process from exiting
                logger.warning("stopping the API failed: %s: %s", type(exc).__name__, exc)

    def _stop_reactor(self) -> None:
        if self.reactor is not None and self.reactor.running:
            self.reactor.stop()


def _arm_watchdog(seconds: float) -> None:
    """End the process ``seconds`` from now if it is still running then.

    The shutdown bounds every wait of its own, but the interpreter joins worker threads
    on exit (a delivery blocked on a mail server that does not answer, a database write),
    and a blocking call can hold the event loop itself. Everything stored was committed
    whole, so ending the process then loses nothing a restart does not redo.
    """
    timer = threading.Timer(seconds, _exit_now, args=(seconds,))
    timer.daemon = True  # never what keeps the process alive
    timer.start()


def _exit_now(seconds: float) -> None:
    busy = [t.name for t in threading.enumerate() if not t.daemon and t is not threading.main_thread()]
    logger.warning(
        "not stopped %.0fs after the signal (still running: %s); exiting now",
        seconds,
        ", ".join(busy) or "the event loop",
    )
    for handler in logging.getLogger().handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    # A stop the user asked for: the exit code of a clean stop. Not sys.exit(), which
    # would wait for the very threads that hold the process.
    os._exit(0)


def run_service(config: Config, *, shutdown_grace: float | None = None) -> None:
    """Run the service until SIGINT or SIGTERM; returns normally after a clean stop."""
    Service(config, shutdown_grace=shutdown_grace).run()
