"""The item that flows from the spiders through the pipeline steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.analysis.prepare import Analysis
    from crawler.dedup.deduplicator import Decision


@dataclass
class ArticleItem:
    """An extracted article on its way to storage."""

    url: str
    title: str
    text: str
    source_id: int
    source_name: str
    aliases: list[str] = field(default_factory=list)
    summary: str | None = None
    author: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    published_source: str | None = None
    guid: str | None = None
    extraction: str = "trafilatura"
    # When it was fetched: with no publication time, its decisions were dated by this.
    fetched_at: datetime | None = None
    # Fingerprint, relevance, event, story features: computed with the extraction.
    analysis: Analysis | None = None
    # Filled by the store step.
    duplicate: Decision | None = None
