"""The archive's schema as typed SQLAlchemy 2.x models.

Some columns (relevance, stories, events, alerts, deliveries) are filled by later pipeline
steps; they exist from the first migration so the schema does not churn. The tables that
archive search reads (sources, articles, stories, events) are SQLAlchemy Core tables in
:mod:`storage.schema`, which the models here map, so search runs without the ORM.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage import schema
from storage.schema import NAMING as NAMING
from storage.schema import UTCDateTime as UTCDateTime


class Base(DeclarativeBase):
    """Declarative base on the archive's one metadata (storage.schema: its naming convention)."""

    metadata = schema.metadata
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Source(Base):
    """A configured feed, sitemap or listing page and its health."""

    __table__ = schema.sources

    id: Mapped[int]
    name: Mapped[str]
    type: Mapped[str]
    url: Mapped[str]
    # Validators for conditional GET (RFC 9110 §13.1).
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    last_fetch_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_fetch_at: Mapped[datetime | None]
    # ok | not_modified | empty | error | rate_limited | blocked
    status: Mapped[str]
    http_status: Mapped[int | None]
    items_last_fetch: Mapped[int]
    consecutive_errors: Mapped[int]
    error_count: Mapped[int]
    last_error: Mapped[str | None]
    last_error_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Article(Base):
    """One fetched, extracted news item, stored once whatever the number of feeds carrying it."""

    __table__ = schema.articles

    id: Mapped[int]
    url: Mapped[str]
    guid: Mapped[str | None]
    title: Mapped[str]
    text: Mapped[str]
    summary: Mapped[str | None]
    author: Mapped[str | None]
    language: Mapped[str | None]
    published_at: Mapped[datetime | None]
    # Where the published time came from: page | feed | none.
    published_source: Mapped[str | None]
    fetched_at: Mapped[datetime]
    source_id: Mapped[int | None]
    # trafilatura | feed (extraction failed, the feed's own summary was kept) | seed
    extraction: Mapped[str]
    content_hash: Mapped[str]
    is_seed: Mapped[bool]
    relevant: Mapped[bool | None]
    relevance_score: Mapped[float | None]
    duplicate_of: Mapped[int | None]
    duplicate_score: Mapped[float | None]
    duplicate_method: Mapped[str | None]
    story_id: Mapped[int | None]
    signature: Mapped[bytes | None]
    # Number of distinct shingles behind the signature (to estimate containment), and
    # whether the article was shingled as a short, title-only item.
    shingle_count: Mapped[int | None]
    short_text: Mapped[bool | None]
    # The event kind the write path's story features carried (talks_outcome, new_clash), ""
    # when it found none; NULL when not known (stored before migration 0013, or never
    # analysed for stories). The regrouping pass reads it instead of classifying again.
    event_kind: Mapped[str | None]


class ArticleUrl(Base):
    """Every URL an article was seen under (feed link, redirect target, canonical link).

    Why: "a URL already stored is not fetched again" must hold for the URL a feed gives us,
    which is often not the canonical one.
    """

    __tablename__ = "article_urls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class ArticleSighting(Base):
    """A source that carried an article, first time seen there."""

    __tablename__ = "article_sightings"
    __table_args__ = (UniqueConstraint("article_id", "source_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    seen_at: Mapped[datetime]


class Story(Base):
    """A cluster of articles that report the same real-world event."""

    __table__ = schema.stories

    id: Mapped[int]
    title: Mapped[str]
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    event_date: Mapped[datetime | None]
    signature: Mapped[bytes | None]
    # Set when the story was found to report the same event as an older one: the story that
    # stays. Its articles and events moved there; its id keeps resolving to it.
    merged_into: Mapped[int | None]


class Event(Base):
    """One real-world event (a talks outcome or a new clash), its fields, and the story telling it.

    Later reports of the event update this row (crawler.analysis.events.identity decides
    which reports are one event); an event found to be another's has ``merged_into`` set.
    """

    __table__ = schema.events

    id: Mapped[int]
    story_id: Mapped[int]
    article_id: Mapped[int | None]
    kind: Mapped[str]
    subtype: Mapped[str | None]
    event_date: Mapped[datetime | None]
    evidence: Mapped[str | None]
    fields: Mapped[dict[str, object]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The identity of the event, folded from its reports (EventSignature.as_json).
    signature: Mapped[dict[str, Any] | None]
    merged_into: Mapped[int | None]


class Alert(Base):
    """A notification that an event was first seen: one per event."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    subtype: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    # Set when its event was found to be an earlier alert's: that alert (this one became an
    # update of it, its unsent deliveries cancelled); its id keeps resolving.
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("alerts.id", ondelete="SET NULL"), index=True)


class AlertUpdate(Base):
    """A later report that changed an alerted event: what changed, and whether it is material.

    ``changes`` is JSON: ``{"subtype": {"old", "new"}, "casualties": {key: {"old", "new"}},
    "outlets_added": [names]}``, each key present only when it changed. ``delivery`` says
    what became of it: ``recorded`` (not sent: not material, or ``alerts.updates: none``),
    ``scheduled`` (deliveries tagged with this update), ``folded`` (an unsent delivery of
    the same alert will carry it).
    """

    __tablename__ = "alert_updates"
    __table_args__ = (Index("ix_alert_updates_alert_id_created_at", "alert_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    changes: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    material: Mapped[bool] = mapped_column(Boolean, default=False)
    delivery: Mapped[str] = mapped_column(String(16), default="recorded")


class Delivery(Base):
    """One alert (or one update of it) to one channel, never twice to the same channel.

    The alert itself: ``update_id`` NULL, unique per (alert, channel) through a partial
    index (NULLs are distinct in a plain UNIQUE). A delivered update: ``update_id`` set,
    unique per (update, channel).
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index(
            "uq_deliveries_alert_id_channel_first",
            "alert_id",
            "channel",
            unique=True,
            sqlite_where=text("update_id IS NULL"),
            postgresql_where=text("update_id IS NULL"),
        ),
        UniqueConstraint("update_id", "channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(64))
    update_id: Mapped[int | None] = mapped_column(ForeignKey("alert_updates.id", ondelete="CASCADE"))
    # pending | sending (claimed; next_attempt_at is then the end of the lease) | sent | failed
    # | cancelled (its alert was merged into an earlier one before it was sent)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]


class CrawlRun(Base):
    """One poll of one source: what it found and what went wrong."""

    __tablename__ = "crawl_runs"
    __table_args__ = (Index("ix_crawl_runs_source_started", "source_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(24), default="running")
    http_status: Mapped[int | None]
    items_found: Mapped[int] = mapped_column(Integer, default=0)
    articles_new: Mapped[int] = mapped_column(Integer, default=0)
    articles_seen: Mapped[int] = mapped_column(Integer, default=0)
    articles_failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class FetchFailure(Base):
    """An article URL that could not be fetched or extracted, with the reason."""

    __tablename__ = "fetch_failures"
    __table_args__ = (Index("ix_fetch_failures_source_at", "source_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime]


class ServiceState(Base):
    """Small key/value facts the service must remember across restarts (last digest, ...)."""

    __tablename__ = "service_state"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class Digest(Base):
    """One digest e-mail: the period it covers and whether it went out.

    A scheduled period has a ``period_key`` (the schedule's fire time), unique, so a period
    is digested once even across restarts and with two processes racing for it. Digests sent
    by hand (``newswatch digest --send``) have no key and never block a scheduled one.
    """

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    # sending (claimed; lease_until is the end of the claim) | sent | skipped | failed
    status: Mapped[str] = mapped_column(String(16), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None]
    stories: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
