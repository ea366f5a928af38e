"""Migrations: an empty database upgrades to head, and the models match the migrations."""

from __future__ import annotations

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import current_revision, head_revision, make_engine, upgrade
from storage.models import Base
from storage.search import is_search_object


def test_upgrade_empty_database_to_head(empty_db_url):
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) is None
        assert inspect(engine).get_table_names() == []
        upgrade(empty_db_url)
        assert head_revision() is not None
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        assert "alembic_version" in tables
        upgrade(empty_db_url)  # idempotent
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def _described_by_models(name, type_, _parent_names) -> bool:
    return not is_search_object(name, type_)


def test_models_match_migrations(empty_db_url):
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            # As in migrations/env.py: the full-text objects are not described by the models.
            opts = {"compare_type": True, "include_name": _described_by_models}
            context = MigrationContext.configure(connection, opts=opts)
            with warnings.catch_warnings():
                # SQLite's reflection cannot read the sort-key expression index (and says so);
                # it is one of the objects include_name leaves out anyway.
                warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
                diffs = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert diffs == [], f"models and migrations differ; write a migration: {diffs}"


def test_session_database_is_at_head(engine):
    assert current_revision(engine) == head_revision()
