"""The ``cluster:`` section of config.yaml: one scheduler and N workers on PostgreSQL.

Its own module of the config package, so the cluster mode adds one field to
:class:`core.config.Config` and nothing else. Only ``newswatch run --role scheduler`` and
``newswatch worker`` read it; ``newswatch run`` without a role runs the single process.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field

from core.config.base import Duration, Section


class ClusterConfig(Section):
    """Scale-out on PostgreSQL (docs/scaling.md)."""

    # What `newswatch run` runs when no --role is given: `single` (the whole service in one
    # process, SQLite or PostgreSQL) or `scheduler` (the cluster's scheduler; PostgreSQL only).
    role: Literal["single", "scheduler"] = "single"
    # Poll jobs one `newswatch worker` runs at once (its extraction and decisions are shared).
    worker_concurrency: Annotated[int, Field(ge=1, le=256)] = 8
    # How often a worker tells PostgreSQL it is alive, and how long a silent worker's jobs
    # wait before the acting scheduler hands them to another worker (a kill -9, a lost host).
    heartbeat: Duration = timedelta(seconds=2)
    stalled_after: Duration = timedelta(seconds=10)
    # How often an idle worker looks for jobs besides being woken by LISTEN/NOTIFY (which a
    # finished locked job does not send; see docs/scaling.md).
    fetch_poll: Duration = timedelta(seconds=1)
    # How often the scheduler looks for due sources, and how often a standby tries the lock.
    tick: Duration = timedelta(seconds=1)
    # How long a failed job stays in procrastinate's table, for an operator to see why it
    # failed (`SELECT ... WHERE status = 'failed'`); the acting scheduler deletes older ones,
    # since failed jobs are never deleted by procrastinate itself and would pile up.
    keep_failed_jobs: Duration = timedelta(days=7)
