"""Migration 0009: procrastinate's schema on PostgreSQL, nothing on SQLite, and a job can be queued."""

from __future__ import annotations

import procrastinate
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from storage.db import make_engine, upgrade

QUEUE_TABLES = {"procrastinate_jobs", "procrastinate_events", "procrastinate_periodic_defers", "procrastinate_workers"}


def test_queue_schema_only_on_postgresql(empty_db_url):
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        if engine.dialect.name == "sqlite":
            assert not {t for t in tables if t.startswith("procrastinate")}
            return
        assert tables >= QUEUE_TABLES
    finally:
        engine.dispose()
    # The copied schema is the one the pinned procrastinate speaks: a defer goes through
    # its own functions (procrastinate_defer_jobs_v1) and lands in its table.
    conninfo = make_url(empty_db_url).set(drivername="postgresql").render_as_string(hide_password=False)
    app = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo))

    @app.task(name="probe", queueing_lock="probe")
    def probe() -> None: ...

    with app.open():
        job_id = probe.defer()
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT task_name, status FROM procrastinate_jobs WHERE id = :i"), {"i": job_id})
            assert tuple(row.one()) == ("probe", "todo")
    finally:
        engine.dispose()


def test_queue_schema_downgrade_removes_it(empty_db_url):
    from alembic import command

    from storage.db import alembic_config

    upgrade(empty_db_url)
    command.downgrade(alembic_config(empty_db_url), "0006")
    engine = make_engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert not {t for t in tables if t.startswith("procrastinate")}
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                left = conn.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%'")).scalar()
                types = conn.execute(text("SELECT count(*) FROM pg_type WHERE typname LIKE 'procrastinate%'")).scalar()
            assert (left, types) == (0, 0)
    finally:
        engine.dispose()
    upgrade(empty_db_url)  # and up again
