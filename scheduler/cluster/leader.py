"""Which scheduler acts: the one holding a PostgreSQL session advisory lock.

A session lock belongs to its connection: when the process dies (kill -9, a lost machine),
PostgreSQL ends the session and the lock is free, and a standby asking every
``cluster.tick`` takes it within about that long (measured in docs/scaling.md). The holder
checks its session on every tick; an error means the lock may be gone, so it stops acting
and competes again. The window in which two schedulers may both believe they act (the
holder's session was ended behind its back) is made harmless by deferring on the lock's own
connection (a dead session cannot defer) and by the per-source queueing locks.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import psycopg

logger = logging.getLogger(__name__)

# The advisory lock key of the acting scheduler (the ASCII of "nwschedl").
SCHEDULER_LOCK = 0x6E77736368656C

# TCP keepalives: a holder cut off by the network loses its session (and the lock) within
# about idle + interval * count seconds instead of the kernel's two hours.
KEEPALIVES: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}


class Leader:
    """The lock session of one scheduler process."""

    def __init__(self, conninfo: str, key: int = SCHEDULER_LOCK) -> None:
        self.conninfo = conninfo
        self.key = key
        self.connection: psycopg.Connection[Any] | None = None
        self.acting = False

    def _connect(self) -> psycopg.Connection[Any]:
        if self.connection is None or self.connection.closed:
            self.connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5, **KEEPALIVES)
        return self.connection

    def try_acquire(self) -> bool:
        """Take the lock if it is free; True if this process now acts."""
        row = self._connect().execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        self.acting = bool(row and row[0])
        return self.acting

    def still_acting(self) -> bool:
        """Whether the lock session is alive (and with it the lock); False after any error."""
        if not self.acting or self.connection is None:
            return False
        try:
            self.connection.execute("SELECT 1")
        except psycopg.Error as exc:
            logger.warning("the scheduler's lock session failed (%s): no longer acting", exc)
            self.lose()
            return False
        return True

    def lose(self) -> None:
        """Forget the lock and the session (closing it releases the lock if the server still holds it)."""
        self.acting = False
        if self.connection is not None:
            with contextlib.suppress(psycopg.Error):
                self.connection.close()
        self.connection = None
