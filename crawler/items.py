"""The item that flows from the spiders through the pipeline steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.dedup.deduplicator import Decision, Fingerprint


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
    # Filled by the dedup step.
    fingerprint: Fingerprint | None = None
    duplicate: Decision | None = None
