"""Per-host politeness across the whole cluster: the host gates, kept in PostgreSQL.

:mod:`crawler.middlewares.host_gate` holds one gate per host for one process. A cluster
worker installs :class:`ClusterHostGates` in its place (:func:`host_gate.install_gates`),
so ``crawl.concurrency_per_domain`` and ``crawl.download_delay`` hold for all workers
together:

* concurrency: each host has ``concurrency_per_domain`` rows in ``cluster_host_slots``
  (migration 0008); a request takes a free one as a lease (``busy_until``) and frees it
  when its answer or failure comes back. A worker killed mid-download never frees its
  slot, so the lease runs out on its own after the longest a download may take.
* delay: ``cluster_hosts.next_start`` is the earliest start of the next request to the
  host; a request moves it ``download_delay`` on and waits until its own start.

One short autocommitted statement per step on the worker's own connection, never inside an
article's transaction. No slot free: the request waits and asks again (:data:`RETRY`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import psycopg

if TYPE_CHECKING:
    from psycopg import AsyncConnection

logger = logging.getLogger(__name__)

# How long a request with no free slot waits before it asks again (plus up to as much jitter).
RETRY = 0.05

_SLOTS = (
    "INSERT INTO cluster_host_slots (host, slot) SELECT %(host)s, generate_series(0, %(n)s - 1) ON CONFLICT DO NOTHING"
)
_TAKE = """
WITH free AS (
    SELECT slot FROM cluster_host_slots
    WHERE host = %(host)s AND slot < %(n)s AND (busy_until IS NULL OR busy_until < now())
    ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED
)
UPDATE cluster_host_slots s SET busy_until = now() + %(lease)s
FROM free WHERE s.host = %(host)s AND s.slot = free.slot
RETURNING s.slot
"""
_FREE = "UPDATE cluster_host_slots SET busy_until = NULL WHERE host = %(host)s AND slot = %(slot)s"
_START = """
INSERT INTO cluster_hosts AS h (host, next_start) VALUES (%(host)s, now() + %(delay)s)
ON CONFLICT (host) DO UPDATE SET next_start = greatest(h.next_start, now()) + %(delay)s
RETURNING extract(epoch FROM (h.next_start - %(delay)s - now()))::float8
"""


class ClusterHostGates:
    """The :class:`~crawler.middlewares.host_gate.HostGates` interface, shared by every worker."""

    def __init__(self, conninfo: str, concurrency: int, delay: float, lease: timedelta) -> None:
        self.conninfo = conninfo
        self.concurrency = max(concurrency, 1)
        self.delay = max(delay, 0.0)
        self.lease = lease
        self._conn: AsyncConnection[Any] | None = None
        self._lock = asyncio.Lock()  # one statement at a time on the one connection
        self._known: set[str] = set()  # hosts whose slot rows exist
        self._held: dict[str, list[int]] = {}
        self.waits = 0  # requests that found no free slot at first (for tests and the bench)

    async def _execute(self, query: str, params: dict[str, Any]) -> Any:
        async with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True)
            try:
                cursor = await self._conn.execute(query, params)
                return await cursor.fetchone() if cursor.description else None
            except psycopg.OperationalError:
                await self._conn.close()  # reconnect on the next call
                raise

    async def enter(self, host: str) -> None:
        """Take a slot of ``host`` (waiting for one), then wait for the host's next start."""
        if host not in self._known:
            await self._execute(_SLOTS, {"host": host, "n": self.concurrency})
            self._known.add(host)
        first = True
        while True:
            row = await self._execute(_TAKE, {"host": host, "n": self.concurrency, "lease": self.lease})
            if row is not None:
                self._held.setdefault(host, []).append(row[0])
                break
            if first:
                self.waits += 1
                first = False
            await asyncio.sleep(RETRY + random.uniform(0, RETRY))
        if not self.delay:
            return
        try:
            row = await self._execute(_START, {"host": host, "delay": timedelta(seconds=self.delay)})
            wait = float(row[0]) if row is not None else 0.0
            if wait > 0:
                await asyncio.sleep(wait)
        except BaseException:
            self.leave(host)
            raise

    def leave(self, host: str) -> None:
        """Free a slot taken by :meth:`enter` (in the background: the answer need not wait)."""
        held = self._held.get(host)
        if not held:
            return
        slot = held.pop()
        task = asyncio.ensure_future(self._free(host, slot))
        _PENDING.add(task)
        task.add_done_callback(_PENDING.discard)

    async def _free(self, host: str, slot: int) -> None:
        try:
            await self._execute(_FREE, {"host": host, "slot": slot})
        except Exception as exc:  # the lease runs out on its own
            logger.warning("freeing a host slot failed: %s: %s", type(exc).__name__, exc, extra={"url": host})

    def busy(self, host: str) -> int:
        """Slots this process holds at ``host`` now."""
        return len(self._held.get(host, ()))

    async def close(self) -> None:
        """Close the connection (held slots run out with their lease)."""
        if self._conn is not None:
            await self._conn.close()


# Background frees in flight, kept referenced until done.
_PENDING: set[asyncio.Future[None]] = set()
