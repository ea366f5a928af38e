"""The item that flows from the spiders through the pipeline steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storage.articles import ArticleRecord

if TYPE_CHECKING:
    from crawler.analysis.prepare import Analysis, Prepared


@dataclass
class ArticleItem:
    """An extracted article on its way to storage: where it was found, and what prepare() made of it."""

    url: str
    source_id: int
    source_name: str
    # Fields, normalised, and their analysis (fingerprint, relevance, event, story
    # features), as the extraction made them: carried whole, not copied field by field.
    prepared: Prepared
    aliases: list[str] = field(default_factory=list)
    guid: str | None = None

    @property
    def analysis(self) -> Analysis:
        """The article's analysis (prepare() gives one with every article it does not refuse)."""
        if self.prepared.analysis is None:
            raise ValueError(f"{self.url}: an article item without its analysis")
        return self.prepared.analysis

    def record(self) -> ArticleRecord:
        """The article as storage takes it; the write path adds its decisions."""
        prepared = self.prepared
        record = ArticleRecord(
            url=self.url,
            title=prepared.title,
            text=prepared.text,
            source_id=self.source_id,
            guid=self.guid,
            summary=prepared.summary,
            author=prepared.author,
            language=prepared.language,
            published_at=prepared.published,
            published_source=prepared.published_source,
            extraction=prepared.extraction,
            aliases=self.aliases,
        )
        if prepared.fetched_at is not None:
            # The time the analysis dated an undated article by.
            record.fetched_at = prepared.fetched_at
        return record
