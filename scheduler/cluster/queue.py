"""The cluster's jobs on procrastinate: names, keys, the connection, and deferring.

Jobs are deferred by name (``configure_task``), so the scheduler need not import the worker
and its crawler. The keys say what may run or wait at once:

* ``poll_source``: ``queueing_lock`` and ``lock`` ``source:<name>``: at most one poll of a
  source waiting and one running, whatever the number of schedulers that believe they act;
* ``deliver``, ``digest``: one waiting at a time (a second would only find nothing to do).
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import procrastinate
import psycopg
from sqlalchemy.engine import make_url

from core.config import resolve_database_url
from core.errors import ConfigError
from scheduler.database import migrate

if TYPE_CHECKING:
    from collections.abc import Iterator

    from core.config import Config

logger = logging.getLogger(__name__)

POLL = "poll_source"
DELIVER = "deliver"
DIGEST = "digest"
QUEUE = "newswatch"
# Held while migrating, so processes of a cluster started together migrate one at a time
# (the ASCII of "nwmigrat").
MIGRATE_LOCK = 0x6E776D6967726174


def source_key(name: str) -> str:
    """The queueing lock and lock of a source's poll jobs."""
    return f"source:{name}"


def conninfo(config: Config) -> str:
    """The libpq connection string of the configured database; PostgreSQL only (exit 2 otherwise)."""
    url = make_url(resolve_database_url(config))
    if url.get_backend_name() != "postgresql":
        raise ConfigError(
            "database.url: the cluster mode (newswatch worker, newswatch run --role scheduler) needs PostgreSQL, "
            f"not {url.get_backend_name()}"
        )
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def defer_app(config: Config) -> procrastinate.App:
    """An App that only defers, on a connection the caller gives (never opened itself).

    Why a sync connector: the scheduler defers on its lock session (a plain psycopg
    connection), and a worker defers from its writer thread (docs/scaling.md, the trap of
    deferring through an opened async App from sync code).
    """
    return procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo(config)))


def defer(app: procrastinate.App, connection: psycopg.Connection[Any], task: str, key: str | None, **args: Any) -> bool:
    """Defer ``task(**args)`` on ``connection`` with ``key`` as queueing lock (and lock, for polls).

    Returns False when a job with that key is already waiting (nothing to do then).
    """
    options: dict[str, Any] = {"queue": QUEUE, "queueing_lock": key}
    if task == POLL:
        options["lock"] = key
    try:
        app.configure_task(task, connection=connection, **options).defer(**args)
    except procrastinate.exceptions.AlreadyEnqueued:
        return False
    return True


@contextlib.contextmanager
def _migrate_lock(config: Config) -> Iterator[None]:
    with psycopg.connect(conninfo(config), autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK,))
        yield  # released with the connection


def migrate_cluster(config: Config) -> None:
    """Apply pending migrations, one process of the cluster at a time."""
    with _migrate_lock(config):
        migrate(config)
