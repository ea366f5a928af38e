"""``newswatch run --role scheduler``: decide what is due and defer it as jobs; nothing else.

Every ``cluster.tick`` a standby tries the lock (scheduler.cluster.leader); the acting
scheduler, on the lock's own connection:

* defers one ``poll_source`` job per due source that has no poll waiting or running. When a
  source is due is the single process's rule (:func:`scheduler.due.next_due` of the poll
  state the workers store, jitter included), so a takeover needs no schedule in memory:
  the archive is the schedule, as Miniflux keeps "which feeds are due" one query;
* defers the delivery sweep every :data:`~scheduler.jobs.DELIVERY_INTERVAL`, and the
  digest of each period of ``digest.schedule`` once (and, on taking over, a period missed
  while no scheduler acted; the digest's period claim keeps it from going twice);
* hands the jobs of workers that stopped beating (``cluster.stalled_after``) back to the
  queue, since procrastinate leaves that to its user, and closes the crawl runs such
  workers left ``running`` as ``interrupted`` (at once for a poll it hands back or that
  failed, before deferring a source's next poll, on taking over and every
  :data:`REAP_INTERVAL` for the rest).

The jobs table is read before the poll states: a poll that ended after that read has its
outcome stored, so the source is not taken for due again by mistake.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import psycopg
from procrastinate.sql import queries as procrastinate_queries

from core.config import resolve_database_url
from core.cron import previous_fire
from scheduler import digests
from scheduler.cluster import queue
from scheduler.cluster.leader import Leader
from scheduler.database import sync_config_sources
from scheduler.due import next_due
from scheduler.jobs import DELIVERY_INTERVAL
from storage import cluster
from storage.db import make_engine, make_sessionmaker, transaction
from storage.sources import PollState, poll_states

if TYPE_CHECKING:
    from core.config import Config

logger = logging.getLogger(__name__)

# How often the acting scheduler closes runs left open by stopped workers besides those of
# the polls it hands back (storage.cluster.close_orphaned_runs scans crawl_runs).
REAP_INTERVAL = timedelta(minutes=5)

_PENDING_POLLS = (
    "SELECT DISTINCT args->>'source' FROM procrastinate_jobs WHERE task_name = %s AND status IN ('todo', 'doing')"
)
_FAILED_POLLS = "SELECT id, args->>'source' FROM procrastinate_jobs WHERE task_name = %s AND status = 'failed'"
_STALLED = """
SELECT job.id, job.task_name, job.args->>'source' FROM procrastinate_jobs job
LEFT JOIN procrastinate_workers w ON w.id = job.worker_id
WHERE job.status = 'doing'
  AND (job.worker_id IS NULL OR w.id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %s))
"""


class ActingScheduler:
    """One scheduler process of a cluster: a standby until it holds the lock, then the one that acts."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.conninfo = queue.conninfo(config)
        self.engine = make_engine(resolve_database_url(config))
        self.sessions = make_sessionmaker(self.engine)
        self.leader = Leader(self.conninfo)
        self.app = queue.defer_app(config)
        self.stop = threading.Event()
        self.next_delivery: datetime | None = None
        self.next_reap: datetime | None = None
        # Failed poll jobs whose runs were closed (failed jobs stay in the queue's table).
        self.failed_seen: set[int] = set()
        self.last_digest: datetime | None = None
        self.deferred = 0

    # --- lifecycle -------------------------------------------------------------------

    def run(self) -> None:
        """Compete for the lock, act while holding it, until SIGINT/SIGTERM."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: self.stop.set())
        logger.info("cluster scheduler started (standby until it holds the lock)")
        tick = self.config.cluster.tick.total_seconds()
        try:
            while not self.stop.is_set():
                try:
                    self.step()
                except (psycopg.Error, OSError) as exc:
                    # The database went away (a restart, the network): every session lock is
                    # gone with it; compete again once it is back.
                    if self.leader.acting:
                        logger.warning("lost the database while acting (%s): standing by", exc)
                    else:
                        logger.warning("database unreachable (%s); trying again", exc)
                    self.leader.lose()
                except Exception as exc:  # one bad tick must not end the scheduler
                    logger.error("scheduler tick failed: %s: %s", type(exc).__name__, exc)
                    logger.debug("traceback", exc_info=True)
                self.stop.wait(tick)
        finally:
            self.leader.lose()
            self.engine.dispose()
        logger.info("cluster scheduler stopped")

    def step(self) -> None:
        """One tick: take the lock if free, then act if held."""
        if not self.leader.acting:
            if not self.leader.try_acquire():
                return
            logger.info("this scheduler now acts for the cluster")
            self.take_over(datetime.now(UTC))
        elif not self.leader.still_acting():
            return
        self.act(datetime.now(UTC))

    def take_over(self, now: datetime) -> None:
        """Make the sources table list the config's sources; catch up a digest missed meanwhile."""
        with transaction(self.sessions) as session:
            sync_config_sources(session, self.config)
        self.next_delivery = now
        self.next_reap = None
        self.last_digest = None
        if self.config.digest.to:
            self.last_digest = previous_fire(digests.schedule(self.config), now)
            missed = digests.missed_fire(self.config, self.sessions, now)
            if missed is not None:
                logger.info("the digest due at %s was not sent: deferring it", missed.isoformat(timespec="seconds"))
                self._defer(queue.DIGEST, "digest", fire=missed.isoformat())

    # --- acting ----------------------------------------------------------------------

    def act(self, now: datetime) -> None:
        """Defer what is due now."""
        self.defer_due_polls(now)
        if self.next_delivery is None or now >= self.next_delivery:
            self._defer(queue.DELIVER, "deliver")
            self.next_delivery = now + DELIVERY_INTERVAL
        if self.config.digest.to:
            fire = previous_fire(digests.schedule(self.config), now)
            if fire is not None and (self.last_digest is None or fire > self.last_digest):
                self._defer(queue.DIGEST, "digest", fire=fire.isoformat())
                self.last_digest = fire
        self.retry_stalled()
        self.close_runs_of_failed_polls()
        if self.next_reap is None or now >= self.next_reap:
            # Runs a worker left open without a stalled job to hand back (its poll failed
            # as the database restarted): a scan of crawl_runs, so not every tick.
            self.close_orphaned_runs()
            self.prune_failed_jobs()
            self.next_reap = now + REAP_INTERVAL

    def defer_due_polls(self, now: datetime) -> int:
        """Defer a poll of every due source without one waiting or running (its open runs closed first); how many."""
        conn = self._conn()
        pending = {row[0] for row in conn.execute(_PENDING_POLLS, (queue.POLL,))}
        sources = [s for s in self.config.sources if s.enabled and s.name not in pending]
        if not sources:
            return 0
        with transaction(self.sessions) as session:
            states = poll_states(session, [s.name for s in sources])
        due_now = []
        for source in sources:
            due = next_due(
                states.get(source.name, PollState()), self.config.source_interval(source), self.config.crawl.max_backoff
            )
            if due is None or due <= now:
                due_now.append(source.name)
        # No poll of these sources waits or runs, so a run of theirs still open was left by a
        # poll that ended without closing it (failed, cut by a restart): close it now. Once
        # the next poll runs, that run would look like the new poll's until the new poll
        # opened or recorded its own, and close_runs_of_failed_polls looks only once.
        self.close_orphaned_runs(due_now)
        count = 0
        for name in due_now:
            if self._defer(queue.POLL, queue.source_key(name), source=name):
                count += 1
        if count:
            logger.debug("deferred %d poll(s)", count)
        return count

    def retry_stalled(self) -> int:
        """Put the running jobs of workers silent for ``cluster.stalled_after`` back in the queue."""
        conn = self._conn()
        seconds = self.config.cluster.stalled_after.total_seconds()
        rows = list(conn.execute(_STALLED, (seconds,)))
        for job_id, task, source in rows:
            if task == queue.POLL and source:
                # Its run is closed first, while its job still holds the source's lock, so
                # no other poll of the source can have opened a run meanwhile.
                self.close_orphaned_runs([source], stalled=True)
            try:
                conn.execute("SELECT procrastinate_retry_job_v2(%s, now(), NULL, NULL, NULL)", (job_id,))
                logger.warning("job %d of a silent worker handed back to the queue", job_id)
            except psycopg.errors.RaiseException:
                pass  # it finished (or was retried) meanwhile
        return len(rows)

    def close_runs_of_failed_polls(self) -> None:
        """Close the runs left open by poll jobs that failed (a poll cut by a database restart), once per job."""
        rows = list(self._conn().execute(_FAILED_POLLS, (queue.POLL,)))
        for job_id, source in rows:
            if job_id not in self.failed_seen and source:
                self.close_orphaned_runs([source])
        self.failed_seen = {row[0] for row in rows}

    def prune_failed_jobs(self) -> int:
        """Delete the failed jobs older than ``cluster.keep_failed_jobs``; how many."""
        # procrastinate's own query (the one its builtin remove_old_jobs task runs): the age
        # is that of each job's latest event, i.e. when it failed, not when it was deferred.
        # It counts in whole hours.
        hours = max(1, round(self.config.cluster.keep_failed_jobs.total_seconds() / 3600))
        cursor = self._conn().execute(
            procrastinate_queries["delete_old_jobs"], {"statuses": ["failed"], "queue": None, "nb_hours": hours}
        )
        if cursor.rowcount:
            logger.info("deleted %d failed job(s) older than %d hours", cursor.rowcount, hours)
        return max(cursor.rowcount, 0)

    def close_orphaned_runs(self, sources: list[str] | None = None, *, stalled: bool = False) -> list[int]:
        """Close the ``running`` crawl runs whose worker is gone (of ``sources``, or all), so runs show it."""
        if sources == []:
            return []
        with transaction(self.sessions) as session:
            closed = cluster.close_orphaned_runs(session, sources, stalled=stalled)
        if closed:
            logger.warning("closed %d crawl run(s) of stopped workers as interrupted: %s", len(closed), closed)
        return closed

    def _conn(self) -> psycopg.Connection[Any]:
        conn = self.leader.connection
        if conn is None:
            raise psycopg.OperationalError("no lock session")
        return conn

    def _defer(self, task: str, key: str, **args: Any) -> bool:
        # Fencing: on the lock's own session; if it is gone, so is the right to defer.
        deferred = queue.defer(self.app, self._conn(), task, key, **args)
        self.deferred += deferred
        return deferred


def run_scheduler(config: Config) -> None:
    """Run one scheduler of a cluster until SIGINT or SIGTERM."""
    queue.migrate_cluster(config)
    ActingScheduler(config).run()
