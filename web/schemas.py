"""Response shapes for the OpenAPI schema.

The routes return the same dicts as ``newswatch ... --format json`` (storage/rows.py,
storage/alerts.py); these models only document them. tests/web/test_api.py checks that
every documented field is what the API really sends, so the two cannot drift.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ArticleOut(BaseModel):
    """An archive search hit (``newswatch search --format json``)."""

    id: int
    url: str
    title: str
    source: str | None
    published: datetime | None
    fetched: datetime
    language: str | None
    relevant: bool | None
    duplicate_of: int | None
    duplicate_score: float | None
    duplicate_method: str | None
    is_seed: bool
    story_id: int | None
    event_kind: str | None
    snippet: str | None
    rank: float | None = Field(description="BM25 score in relevance order; null in newest order")


class StoryArticleOut(BaseModel):
    """One article of a story, in time order."""

    id: int
    url: str
    title: str
    source: str | None
    published: datetime | None
    language: str | None
    duplicate_of: int | None
    is_seed: bool


class StoryOut(BaseModel):
    """A story (``newswatch stories --format json``)."""

    id: int
    title: str
    first_seen: datetime
    updated: datetime
    event_kind: str | None
    event_subtype: str | None
    outlets: list[str]
    languages: list[str]
    articles: list[StoryArticleOut]
    article_count: int
    copies: int = Field(description="Syndicated copies among the articles; outlets count the independent reports")


class EventOut(BaseModel):
    """What a story reports."""

    kind: str
    subtype: str | None
    event_date: datetime | None
    evidence: str | None
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class StoryDetailOut(StoryOut):
    """A story with its events (evidence and fields)."""

    events: list[EventOut]


class DeliveryOut(BaseModel):
    """An alert's delivery to one channel."""

    channel: str
    update_id: int | None = Field(description="The update this delivery sends; null for the alert itself")
    status: str
    attempts: int
    last_error: str | None
    delivered_at: datetime | None
    lag_s: float | None = Field(description="Seconds from the triggering article's published time to this delivery")


class FirstReportOut(BaseModel):
    """The outlet that published first, and its article."""

    source: str | None
    url: str
    title: str
    published: datetime | None


class AlertUpdateOut(BaseModel):
    """A later report that changed an alerted event (``storage.alert_updates``)."""

    id: int
    created_at: datetime
    url: str | None = Field(description="The report that caused the update")
    changes: dict[str, Any] = Field(
        description="What changed: subtype {old, new}, casualties {key: {old, new}}, outlets_added [names]"
    )
    material: bool
    delivery: str = Field(description="recorded (not sent), scheduled (sent again), folded (into an unsent delivery)")
    text: str = Field(description="What changed, in one line for people")


class AlertOut(BaseModel):
    """An alert (``newswatch alerts --format json``)."""

    id: int
    kind: str
    subtype: str | None
    story_id: int
    title: str | None
    url: str | None
    source: str | None
    published: datetime | None
    created_at: datetime
    merged_into: int | None = Field(
        description="The earlier alert of the same event this one was merged into (it is an update of it)"
    )
    articles: list[str]
    outlets: list[str] = Field(description="Outlets of the story's independent reports")
    copies: int = Field(description="Syndicated copies among the story's articles")
    coverage: str = Field(description="The counts in words: 3 articles from 2 outlets, +1 copy")
    first_report: FirstReportOut | None = Field(description="The story's earliest article by published time")
    evidence: str | None
    fields: dict[str, Any]
    detection_lag_s: float | None = Field(
        description="Seconds from the triggering article's published time to the alert"
    )
    deliveries: list[DeliveryOut]
    updates: list[AlertUpdateOut] = Field(description="The alert's history, oldest first")
    updated_at: datetime | None = Field(description="When a later report last changed the alert")


class SourceOut(BaseModel):
    """A source's health (``newswatch sources --format json``)."""

    name: str
    type: str
    url: str
    enabled: bool
    interval: str
    status: str
    http_status: int | None
    last_fetch: datetime | None
    last_success: datetime | None
    next_fetch: datetime | None
    items_last_fetch: int
    articles_total: int
    articles_24h: int
    consecutive_errors: int
    last_error: str | None
    last_error_at: datetime | None
    last_run_new: int
    last_run_seen: int
    last_run_failed: int
    median_lag: str | None = Field(
        description="Median time from publication to first sight, last 30 days (e.g. 12m30s)"
    )
    lag_samples: int


class HealthOut(BaseModel):
    """``/healthz``: the process answers and the database can be read."""

    status: str
    database: str
