"""Migrations: an empty database upgrades to head, and the models match the migrations."""

from __future__ import annotations

import warnings

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from storage.cluster import is_cluster_object
from storage.db import _head_from_files, alembic_config, at_head, current_revision, head_revision, make_engine, upgrade
from storage.models import Base
from storage.search import SEARCH_VECTOR, SEARCH_VECTOR_INDEX, SORT_KEY_INDEX, is_search_object


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


def test_head_read_from_the_files_is_alembics():
    """``upgrade``'s fast path reads the head from the migration files; it must be Alembic's."""
    assert _head_from_files() == head_revision()


def test_at_head_only_when_the_database_is_at_the_newest_revision(empty_db_url):
    """The fast path of ``upgrade``: an empty or older database still goes through Alembic."""
    engine = make_engine(empty_db_url)
    try:
        assert not at_head(empty_db_url)  # no alembic_version table
        upgrade(empty_db_url, "0005")
        assert not at_head(empty_db_url)
        upgrade(empty_db_url)  # an older schema is upgraded, not taken for current
        assert current_revision(engine) == head_revision()
        assert at_head(empty_db_url)
    finally:
        engine.dispose()


def _described_by_models(name, type_, _parent_names) -> bool:
    return not is_search_object(name, type_) and not is_cluster_object(name, type_)


def test_models_match_migrations(empty_db_url):
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            # As in migrations/env.py: the full-text and job queue objects are not described by the models.
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


def test_full_text_objects_survive_to_head(empty_db_url):
    # The FTS5 triggers and the sort-key index are not in the models, and Alembic's batch
    # mode (how SQLite alters a table: copy, drop, rename) drops every trigger and index of
    # the table it rebuilds. A later migration that batch-alters `articles` must recreate
    # them; this fails if one forgets.
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                rows = conn.execute(text("SELECT type, name FROM sqlite_master WHERE tbl_name = 'articles'")).all()
                objects = {(kind, name) for kind, name in rows}
                expected = {("trigger", f"articles_fts_{op}") for op in ("insert", "delete", "update")}
                expected.add(("index", SORT_KEY_INDEX))
            else:
                rows = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'articles'")).all()
                objects = {("index", name) for (name,) in rows}
                columns = {c["name"] for c in inspect(engine).get_columns("articles")}
                objects |= {("column", name) for name in columns}
                expected = {("index", SORT_KEY_INDEX), ("index", SEARCH_VECTOR_INDEX), ("column", SEARCH_VECTOR)}
    finally:
        engine.dispose()
    assert expected <= objects, f"missing after upgrade to head: {sorted(expected - objects)}"


def test_article_event_kind_is_null_for_articles_stored_before_it_and_downgrades(empty_db_url):
    """0013 adds ``articles.event_kind`` in place: older articles keep NULL (not known), and
    on SQLite the full-text triggers of articles survive both directions."""
    upgrade(empty_db_url, "0012")
    engine = make_engine(empty_db_url)
    insert = text(
        "INSERT INTO articles (url, title, text, fetched_at, extraction, content_hash, is_seed) "
        "VALUES (:url, 'Old talks', 'Kurram ceasefire held', '2025-11-01 09:00:00.000000', 't', 'h', false)"
    )
    try:
        with engine.begin() as conn:
            conn.execute(insert, {"url": "https://example.org/old"})
        upgrade(empty_db_url)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT event_kind FROM articles")).scalar_one() is None
        command.downgrade(alembic_config(empty_db_url), "0012")
        assert "event_kind" not in {c["name"] for c in inspect(engine).get_columns("articles")}
        with engine.begin() as conn:
            conn.execute(insert, {"url": "https://example.org/after"})
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 2
            if engine.dialect.name == "sqlite":
                # The insert trigger of the full-text index still ran for the second article.
                assert conn.execute(text("SELECT count(*) FROM articles_fts")).scalar() == 2
    finally:
        engine.dispose()
    upgrade(empty_db_url)
