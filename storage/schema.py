"""The archive's shared metadata, and the tables that archive search reads, as SQLAlchemy Core.

Why Core here and not only the ORM models: ``newswatch search`` reads these four tables and
nothing else, and importing the ORM and building the mapped classes cost ~0.12 s of CPU, a
quarter of the 0.5 s its start may take (issue 20). The models of :mod:`storage.models`
map these very ``Table`` objects (``__table__``), so there is one schema, checked against
the migrations by ``tests/storage/test_migrations.py``; the other tables are declared in the
models, on the same :data:`metadata`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    Why: SQLite has no time zone type and hands back naive values; comparing those with
    aware ones raises. We store UTC and re-attach the zone on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _when(name: str, *, nullable: bool) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


# A configured feed, sitemap or listing page and its health (storage.models.Source).
sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), unique=True, nullable=False),
    Column("type", String(16), nullable=False),
    Column("url", Text, nullable=False),
    # Validators for conditional GET (RFC 9110 §13.1).
    Column("etag", Text),
    Column("last_modified", Text),
    _when("last_fetch_at", nullable=True),
    _when("last_success_at", nullable=True),
    _when("next_fetch_at", nullable=True),
    # ok | not_modified | empty | error | rate_limited | blocked
    Column("status", String(24), default="new", nullable=False),
    Column("http_status", Integer),
    Column("items_last_fetch", Integer, default=0, nullable=False),
    Column("consecutive_errors", Integer, default=0, nullable=False),
    Column("error_count", Integer, default=0, nullable=False),
    Column("last_error", Text),
    _when("last_error_at", nullable=True),
    _when("created_at", nullable=False),
)

# One fetched, extracted news item, stored once whatever the number of feeds carrying it
# (storage.models.Article).
articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, unique=True, nullable=False),
    Column("guid", Text),
    Column("title", Text, default="", nullable=False),
    Column("text", Text, default="", nullable=False),
    Column("summary", Text),
    Column("author", Text),
    Column("language", String(16)),
    _when("published_at", nullable=True),
    # Where the published time came from: page | feed | none.
    Column("published_source", String(16)),
    _when("fetched_at", nullable=False),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL")),
    # trafilatura | feed (extraction failed, the feed's own summary was kept) | seed
    Column("extraction", String(16), default="trafilatura", nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("is_seed", Boolean, default=False, nullable=False),
    Column("relevant", Boolean),
    Column("relevance_score", Float),
    Column("duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("duplicate_score", Float),
    Column("duplicate_method", String(32)),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("signature", LargeBinary),
    # Number of distinct shingles behind the signature (to estimate containment), and
    # whether the article was shingled as a short, title-only item.
    Column("shingle_count", Integer),
    Column("short_text", Boolean),
    # The event kind the write path's story features carried (talks_outcome, new_clash), ""
    # when it found none; NULL when not known (stored before migration 0013, or never
    # analysed for stories). The regrouping pass reads it instead of classifying again.
    Column("event_kind", String(32)),
    Index("ix_articles_published_at", "published_at"),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_guid", "guid"),
    Index("ix_articles_story_id", "story_id"),
)

# A cluster of articles that report the same real-world event (storage.models.Story).
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, default="", nullable=False),
    _when("first_seen_at", nullable=False),
    _when("updated_at", nullable=False),
    _when("event_date", nullable=True),
    Column("signature", LargeBinary),
    # Set when the story was found to report the same event as an older one: the story that
    # stays. Its articles and events moved there; its id keeps resolving to it.
    Column("merged_into", Integer, ForeignKey("stories.id", ondelete="SET NULL"), index=True),
)

# One real-world event, its fields, and the story telling it (storage.models.Event).
events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("kind", String(32), nullable=False),
    Column("subtype", String(32)),
    _when("event_date", nullable=True),
    Column("evidence", Text),
    Column("fields", JSON, default=dict, nullable=False),
    _when("created_at", nullable=False),
    _when("updated_at", nullable=False),
    # The identity of the event, folded from its reports (EventSignature.as_json).
    Column("signature", JSON),
    Column("merged_into", Integer, ForeignKey("events.id", ondelete="SET NULL"), index=True),
    Index("ix_events_kind_event_date", "kind", "event_date"),
    Index("ix_events_story_id", "story_id"),
)
