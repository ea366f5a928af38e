"""cluster_host_slots, cluster_hosts: per-host politeness across the workers of a cluster

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:10:00

In the cluster mode several worker processes fetch from the same hosts; each process's own
gates (crawler.middlewares.host_gate) would let N workers fetch N times as hard as
``crawl.concurrency_per_domain`` and ``crawl.download_delay`` say. A worker takes one of
the host's ``concurrency_per_domain`` slots (a lease that runs out, so a killed worker's
slot comes back) and reserves its start time on the host's row
(crawler.middlewares.cluster_gate). PostgreSQL only, like the cluster mode; not described
by the models (storage.cluster.is_cluster_object), like procrastinate's tables.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE cluster_host_slots ("
        " host text NOT NULL, slot integer NOT NULL, busy_until timestamptz,"
        " PRIMARY KEY (host, slot))"
    )
    op.execute("CREATE TABLE cluster_hosts (host text PRIMARY KEY, next_start timestamptz NOT NULL)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS cluster_host_slots")
    op.execute("DROP TABLE IF EXISTS cluster_hosts")
