"""``newswatch worker``: run the cluster's jobs (polls, deliveries, digests) until stopped.

One process: Scrapy's asyncio reactor and procrastinate's worker on one event loop (as the
single process runs APScheduler there), so a poll job is the single process's poll:
:func:`crawler.runner.crawl_sources` with the long-lived crawlers, conditional GET,
robots.txt and the extraction worker processes. What differs:

* decisions go through :class:`crawler.cluster.ClusterDecider` (one worker at a time
  cluster-wide, caches caught up from PostgreSQL first);
* per-host politeness is kept in PostgreSQL (crawler.middlewares.cluster_gate);
* a poll's outcome and next due time are stored before the job ends (the acting scheduler
  reads them to decide when the source is due again).

procrastinate's worker returns (exit status 0) when it loses the database; this loop starts
it again with a growing pause, so a database restart costs a pause, not the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import signal
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import procrastinate
from procrastinate.worker import Worker

from core.config import resolve_database_url
from scheduler import digests
from scheduler.cluster import queue
from scheduler.due import JITTER_FRACTION, MAX_JITTER, next_due
from storage.db import make_engine, make_sessionmaker

if TYPE_CHECKING:
    from collections.abc import Callable

    from core.config import Config
    from crawler.context import CrawlContext
    from storage.sources import PollState

logger = logging.getLogger(__name__)

# Pauses between restarts of the worker after it lost the database: 1, 2, 4, ... s, at most this.
MAX_RESTART_PAUSE = 30.0
# After SIGTERM: running jobs get service.shutdown_grace, closing this much more; then exit.
CLOSE_MARGIN = 3.0
# Seconds since this worker's last heartbeat (NULL: its row is gone, pruned as stalled).
_HEARTBEAT_AGE = (
    "SELECT (SELECT extract(epoch FROM now() - last_heartbeat)::float FROM procrastinate_workers"
    " WHERE id = %(worker_id)s) AS age"
)


class ClusterWorker:
    """The jobs of one worker process and the crawl context they share."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.conninfo = queue.conninfo(config)
        self.engine = make_engine(resolve_database_url(config))
        self.sessions = make_sessionmaker(self.engine)
        self.app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=self.conninfo))
        self.app.task(name=queue.POLL, queue=queue.QUEUE)(self.poll)
        self.app.task(name=queue.DELIVER, queue=queue.QUEUE)(self.deliver)
        self.app.task(name=queue.DIGEST, queue=queue.QUEUE)(self.digest)
        self.stopping = False
        self.rng = random.Random()
        self._context: CrawlContext | None = None
        self._context_lock = asyncio.Lock()
        self._main: asyncio.Task[None] | None = None

    # --- jobs ------------------------------------------------------------------------

    async def poll(self, source: str) -> None:
        """Poll one source through the whole pipeline, store its outcome and next due time."""
        from crawler.runner import crawl_sources

        summaries = await crawl_sources(
            self.config, [source], context=await self.context(), plan_next=self.planner(source)
        )
        for summary in summaries:
            logger.info(
                "polled: status=%s http=%s new=%d seen=%d failed=%d alerts=%d",
                summary.status,
                summary.http_status if summary.http_status is not None else "-",
                summary.articles_new,
                summary.articles_seen,
                summary.articles_failed,
                summary.alerts,
                extra={"source": summary.name},
            )
        if any(summary.alerts or summary.articles_new for summary in summaries):
            # Deliver now rather than at the next sweep (a new article may have made an alert's
            # update due, as in the single process's scheduler.jobs); one waiting sweep is enough.
            with contextlib.suppress(procrastinate.exceptions.AlreadyEnqueued):
                await self.app.configure_task(queue.DELIVER, queue=queue.QUEUE, queueing_lock="deliver").defer_async()

    async def deliver(self) -> None:
        """Send every due alert delivery (the outbox's claims keep two workers from sending one twice)."""
        from notify.deliver import deliver_due

        await asyncio.to_thread(deliver_due, self.config, self.sessions)

    async def digest(self, fire: str) -> None:
        """Send the digest of the period ending at ``fire`` (claimed per period: never twice)."""
        outcome = await asyncio.to_thread(
            digests.send_scheduled, self.config, self.sessions, datetime.fromisoformat(fire)
        )
        logger.info("digest of %s: %s", fire, outcome.status)

    def planner(self, name: str) -> Callable[[PollState], datetime]:
        """When ``name`` is due next after a poll: the single process's rule and jitter (scheduler.service)."""
        source = self.config.source(name)
        interval = self.config.source_interval(source)
        jitter = min(interval * JITTER_FRACTION, MAX_JITTER).total_seconds()

        def plan_next(state: PollState) -> datetime:
            now = datetime.now(UTC)
            due = max(next_due(state, interval, self.config.crawl.max_backoff) or now, now)
            return due + timedelta(seconds=self.rng.uniform(0, jitter))

        return plan_next

    async def context(self) -> CrawlContext:
        """The worker's crawl context, opened on the first poll (seeds stored through the locked decision)."""
        async with self._context_lock:
            if self._context is None:
                from crawler.cluster import ClusterDecider
                from crawler.middlewares.cluster_gate import ClusterHostGates
                from crawler.middlewares.host_gate import install_gates
                from crawler.runner import open_context
                from crawler.writer import DbWriter

                crawl = self.config.crawl
                # A download's longest life: its timeout for each try, and a margin.
                lease = crawl.timeout * (crawl.retries + 1) + timedelta(seconds=10)
                gates = ClusterHostGates(self.conninfo, crawl.concurrency_per_domain, crawl.download_delay, lease)
                install_gates(crawl.concurrency_per_domain, crawl.download_delay, gates)
                writer = DbWriter(resolve_database_url(self.config))
                from crawler.analysis.prepare import Analyser

                analyser = Analyser(self.config.topic, self.config.dedup)
                decide = ClusterDecider(self.config.topic, self.config.stories, analyser, self.config.events)
                # The decider builds the caches, as every later decision will see them,
                # before any job is taken (open_context calls its warm, once).
                self._context = await open_context(self.config, writer, decide=decide)
            return self._context

    # --- lifecycle -------------------------------------------------------------------

    def run(self) -> None:
        """Install the reactor, run the worker until SIGINT/SIGTERM."""
        from crawler.runner import install_reactor

        reactor = install_reactor()
        loop: asyncio.AbstractEventLoop = reactor._asyncioEventloop

        def start() -> None:
            self._main = loop.create_task(self.main())
            self._main.add_done_callback(lambda _: reactor.stop())

        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_stop)
        reactor.callWhenRunning(start)
        logger.info("cluster worker started")
        reactor.run(installSignalHandlers=False)
        self.engine.dispose()
        logger.info("cluster worker stopped")

    def request_stop(self) -> None:
        """Stop fetching jobs, let running ones finish for the grace, then exit (a watchdog makes sure)."""
        if self.stopping:
            os._exit(0)
        self.stopping = True
        grace = self.config.service.shutdown_grace.total_seconds()
        logger.info("stopping: running jobs get %.0fs", grace)
        timer = threading.Timer(grace + 2 * CLOSE_MARGIN, os._exit, args=(0,))
        timer.daemon = True
        timer.start()
        if self._main is not None:
            self._main.cancel()

    async def main(self) -> None:
        """Run procrastinate's worker; start it again after it lost the database."""
        pause = 1.0
        try:
            while not self.stopping:
                started = asyncio.get_running_loop().time()
                try:
                    # Before taking jobs: loading Scrapy, the indexes and the analyser blocks
                    # the loop for seconds on a busy machine, and a loop that blocks misses
                    # heartbeats, so the scheduler would hand running polls to another worker.
                    await self.context()
                    async with self.app.open_async():
                        await self._run_worker()
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    logger.error("the worker stopped: %s: %s", type(exc).__name__, exc)
                if self.stopping:
                    break
                if asyncio.get_running_loop().time() - started > MAX_RESTART_PAUSE:
                    pause = 1.0
                logger.warning("the worker lost the database; starting it again in %.0fs", pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, MAX_RESTART_PAUSE)
        except asyncio.CancelledError:
            pass
        finally:
            await self._close()

    async def _run_worker(self) -> None:
        """One run of procrastinate's worker, stopped if its heartbeat stops (then :meth:`main` starts it again)."""
        cluster = self.config.cluster
        worker = Worker(
            app=self.app,
            queues=[queue.QUEUE],
            name=f"newswatch-{os.getpid()}",
            concurrency=cluster.worker_concurrency,
            fetch_job_polling_interval=cluster.fetch_poll.total_seconds(),
            update_heartbeat_interval=cluster.heartbeat.total_seconds(),
            stalled_worker_timeout=cluster.stalled_after.total_seconds(),
            shutdown_graceful_timeout=self.config.service.shutdown_grace.total_seconds(),
            delete_jobs="successful",
            install_signal_handlers=False,
        )
        watchdog = asyncio.create_task(self._watch_heartbeat(worker))
        try:
            await worker.run()
        finally:
            watchdog.cancel()

    async def _watch_heartbeat(self, worker: Worker) -> None:
        """Stop ``worker`` when its heartbeat in the database is older than ``cluster.stalled_after``.

        Why: when PostgreSQL restarts, procrastinate's heartbeat task can end on the
        connection error while the worker goes on taking jobs; the acting scheduler then
        takes every running job of this worker for stalled and hands it to another worker,
        again and again. A worker that stopped beating starts again (a new registration, a
        new heartbeat) instead.
        """
        cluster = self.config.cluster
        interval = cluster.heartbeat.total_seconds()
        limit = cluster.stalled_after.total_seconds()
        # Stale at two checks in a row: a loop that was blocked for a while (a busy machine)
        # beats again at once when it runs; a dead heartbeat task does not.
        stale = 0
        while True:
            await asyncio.sleep(interval)
            if worker.worker_id is None:
                continue
            try:
                row = await self.app.connector.execute_query_one_async(_HEARTBEAT_AGE, worker_id=worker.worker_id)
            except Exception:  # the database is away: nothing to judge by; try again
                continue
            age = row["age"]
            stale = stale + 1 if age is not None and age > limit else 0
            if age is None or stale >= 2:
                logger.warning(
                    "this worker's heartbeat is %s: starting the worker again",
                    "gone" if age is None else f"{age:.0f}s old",
                )
                worker.stop()
                return

    async def _close(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            try:
                await context.close(CLOSE_MARGIN)
            except Exception as exc:  # closing must never keep the process from exiting
                logger.warning("closing the crawl context failed: %s: %s", type(exc).__name__, exc)


def run_worker(config: Config) -> None:
    """Run one worker of a cluster until SIGINT or SIGTERM."""
    queue.migrate_cluster(config)
    ClusterWorker(config).run()
