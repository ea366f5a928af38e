"""Alembic environment: runs migrations against the URL set by storage.db.alembic_config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from storage.cluster import is_cluster_object
from storage.models import Base
from storage.search import is_search_object

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    # The full-text objects (FTS5 table and its shadow tables, tsvector column, sort-key
    # index) are written by hand in revision 0004, procrastinate's job queue by 0007;
    # autogenerate must not drop them.
    return not is_search_object(name, type_) and not is_cluster_object(name, type_)


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
    with connectable.connect() as connection:
        # Batch mode: SQLite cannot ALTER most things in place.
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
