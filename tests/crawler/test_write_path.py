"""The one write path, :func:`crawler.ingest.ingest`: a record and its analysis in, decisions out.

The Scrapy pipeline and the seeds both call it; nothing is written onto an item and read
back. Real database, real dedup and story indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.config import DedupConfig, StoriesConfig, TopicConfig
from crawler.analysis.features import article_features
from crawler.analysis.fingerprint import fingerprint
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.prepare import Analysis
from crawler.dedup.deduplicator import Deduplicator
from crawler.ingest import AlertPolicy, ingest
from crawler.stories.assigner import StoryAssigner
from crawler.writer import DbWriter
from storage.articles import ArticleRecord
from storage.content import content_hash

WHEN = datetime(2025, 11, 6, 9, 0, tzinfo=UTC)
TEXT = " ".join(
    f"Delegations from both sides met for a {n}th round of talks at the border crossing on Thursday." for n in range(8)
)


@dataclass
class State:
    writer: DbWriter
    dedup: Deduplicator
    stories: StoryAssigner
    policy: AlertPolicy


def _analysis(title: str, text: str, *, relevant: bool) -> Analysis:
    features = article_features(0, title, text, WHEN, "en", Gazetteer())
    return Analysis(
        fingerprint(title, text), content_hash(title, text), relevant, 1.0 if relevant else 0.0, None, features
    )


def _record(url: str, title: str, text: str) -> ArticleRecord:
    return ArticleRecord(url=url, title=title, text=text, source_id=None, published_at=WHEN, language="en")


def test_ingest_returns_its_decisions_and_indexes_what_it_stored(db_url: str) -> None:
    writer = DbWriter(db_url)
    try:
        state = State(
            writer, Deduplicator(DedupConfig()), StoryAssigner(TopicConfig(), StoriesConfig()), AlertPolicy([])
        )
        title = "Talks resume at the border crossing"
        first = ingest(state, _record("https://a.example/1", title, TEXT), _analysis(title, TEXT, relevant=True))
        assert first.created and first.duplicate is None and first.relevant and first.story_id is not None
        assert first.article_id in state.dedup.long

        # A trimmed copy elsewhere, judged off topic on its own: a near-duplicate of the first,
        # relevant as its original is, in its story.
        copy_text = TEXT.rsplit(" Delegations", 1)[0] + " Reporting by a wire service."
        copy = ingest(
            state, _record("https://b.example/2", title, copy_text), _analysis(title, copy_text, relevant=False)
        )
        assert copy.created and copy.duplicate is not None and copy.duplicate.original_id == first.article_id
        assert copy.relevant and copy.story_id == first.story_id

        # The same URL again: nothing new, the stored article and the key it matched by.
        again = ingest(state, _record("https://a.example/1", title, TEXT), _analysis(title, TEXT, relevant=True))
        assert not again.created and again.matched_by == "url" and again.article_id == first.article_id
    finally:
        writer.close()
