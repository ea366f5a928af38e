"""procrastinate's job queue schema (cluster mode, PostgreSQL only)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:50:00

The cluster mode (docs/scaling.md) runs its poll, digest and delivery jobs on procrastinate,
whose tables, types and PL/pgSQL functions live in our database. Alembic owns them, so
``newswatch db upgrade`` is the one step that prepares a database for either mode.

The SQL is a copy of procrastinate 3.10.0's ``schema.sql`` (MIT, its licence at the top of
the file), not read from the installed package: the package always ships its *latest*
schema, so a newer procrastinate would create a newer schema here, and a later revision
applying that version's migration files would then fail on it. pyproject pins
procrastinate to 3.10.x for the same reason; a bump that ships migrations gets its own
revision applying them (copied too).

``sa.text`` and not ``exec_driver_sql``: the PL/pgSQL ``RAISE`` messages contain ``%``,
which psycopg 3 reads as placeholders in a raw driver call. SQLite: nothing to do (the
cluster mode needs PostgreSQL; a single process on SQLite never queues jobs).
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SCHEMA = Path(__file__).with_name("0009_procrastinate_3_10_schema.sql")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(SCHEMA.read_text(encoding="utf-8")))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    tables = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")
    for table in tables:
        op.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
    functions = bind.execute(
        sa.text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%'"
        )
    ).scalars()
    for signature in list(functions):
        op.execute(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
    for type_ in ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type", "procrastinate_job_status"):
        op.execute(f"DROP TYPE IF EXISTS {type_} CASCADE")
