"""Everything decided about a fetched page that needs no shared state: run where extraction runs.

From the page's HTML and what the feed said about it, :func:`prepare` extracts the article,
picks its fields (page first, feed as fallback), normalises them and takes the decisions
that depend on the article alone: MinHash fingerprint, relevance, event, story features.
In a crawl this runs in the extraction worker processes (:mod:`crawler.extract_pool`), so
the reactor's thread, which every download, the dedup index and the database writer share
under one GIL, is left with the lookups that need the crawl's state (duplicate search, story
match) and the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.analysis.events.classifier import EventClassifier, EventResult
from crawler.analysis.features import Features, article_features
from crawler.analysis.fingerprint import Fingerprint, fingerprint
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.names import DerivedNames, derive_names
from crawler.analysis.relevance import RelevanceJudge
from crawler.analysis.text import normalise_language, normalise_summary, normalise_text, normalise_title, words
from crawler.urls import trusted_canonical
from storage.content import content_hash

if TYPE_CHECKING:
    from core.config import DedupConfig, TopicConfig

# A feed summary shorter than this is no substitute for the article text.
MIN_SUMMARY_CHARS = 40


@dataclass(frozen=True)
class Fallback:
    """What the feed (and the source's config) said about the article, for what the page lacks."""

    title: str | None = None
    summary: str | None = None
    author: str | None = None
    language: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class Analysis:
    """The decisions about one article that depend on nothing but the article."""

    fingerprint: Fingerprint
    # The exact-duplicate key (storage.articles.content_hash).
    content_hash: str
    relevant: bool
    relevance_score: float
    event: EventResult | None
    # Story clustering features, for relevant articles only (others join no story).
    features: Features | None


@dataclass(frozen=True)
class Prepared:
    """A page made into an article (normalised fields and analysis), or why it could not be."""

    # Why the page gave no article (recorded as a failed article); ``empty``: nothing at all
    # was left after cleaning (dropped quietly, as before).
    failure: str | None = None
    empty: bool = False
    title: str = ""
    text: str = ""
    summary: str | None = None
    author: str | None = None
    language: str | None = None
    published: datetime | None = None
    published_source: str = "none"
    extraction: str = "trafilatura"
    # The page's <link rel=canonical> (or og:url), canonicalised, when it can be trusted as
    # the article's identity (crawler.urls.trusted_canonical); else None.
    canonical_url: str | None = None
    fetched_at: datetime | None = None
    analysis: Analysis | None = None
    # True when the page had no article text and the feed's summary stands in for it.
    from_summary: bool = False


class Analyser:
    """Fingerprint, relevance, event and story features of an article, from the topic's config."""

    def __init__(self, topic: TopicConfig, dedup: DedupConfig, derived: DerivedNames | None = None) -> None:
        """``derived``: the topic's derived names, when the caller has them (else derived here)."""
        self.shingle_size = dedup.shingle_size
        self.derived = derived if derived is not None else derive_names(topic)
        self.gazetteer = Gazetteer.from_topic(topic, self.derived)
        self.relevance = RelevanceJudge(topic, self.gazetteer)
        self.events = EventClassifier(self.gazetteer, topic.events.talks, topic.events.clashes)

    def analyse(self, title: str, text: str, language: str | None, when: datetime) -> Analysis:
        """Decide on a normalised article; ``when`` is its publication (else fetch) time."""
        # The body's words once, for both the shingles and the story terms.
        body = words(text)
        fingerprint_ = fingerprint(title, text, self.shingle_size, body)
        digest = content_hash(title, text)
        judged = self.relevance.judge(title, text, language)
        if not judged.relevant:
            return Analysis(fingerprint_, digest, False, judged.score, None, None)
        event = self.events.classify(title, text, when, language)
        features = article_features(0, title, text, when, language, self.gazetteer, event.kind if event else None, body)
        return Analysis(fingerprint_, digest, True, judged.score, event, features)


def prepare(html: str, url: str, fallback: Fallback, analyser: Analyser) -> Prepared:
    """Extract, choose, normalise and analyse one article page. Never raises on bad markup."""
    # Here, not at the top: the crawl process imports this module for its types and the
    # analyser, while only the extraction workers (and workers=0) extract; trafilatura and
    # htmldate cost the crawl process about 0.15 s of CPU before its first fetch otherwise.
    from crawler.analysis.extract import extract, is_article

    extracted = extract(html, url)
    canonical = trusted_canonical(extracted.canonical_url, url)
    from_summary = False
    if is_article(extracted):
        text, extraction = extracted.text, "trafilatura"
    elif fallback.summary and len(fallback.summary) >= MIN_SUMMARY_CHARS:
        text, extraction, from_summary = fallback.summary, "feed", True
    else:
        return Prepared(failure="no extractable article text on the page", canonical_url=canonical)
    published, published_source = extracted.published, "page"
    if published is None and fallback.published is not None:
        published, published_source = fallback.published, "feed"
    elif published is None:
        published_source = "none"
    title = normalise_title(extracted.title or fallback.title or "")
    text = normalise_text(text, cleaned=not from_summary)
    if not title and not text:
        return Prepared(empty=True, canonical_url=canonical)
    if not title:
        title = text.split("\n", 1)[0][:120]
    language = normalise_language(extracted.language or fallback.language)
    # storage.db.utcnow, without importing the database layer into the workers.
    fetched_at = datetime.now(UTC)
    return Prepared(
        title=title,
        text=text,
        summary=normalise_summary(fallback.summary),
        author=extracted.author or fallback.author,
        language=language,
        published=published,
        published_source=published_source,
        extraction=extraction,
        canonical_url=canonical,
        fetched_at=fetched_at,
        analysis=analyser.analyse(title, text, language, published or fetched_at),
        from_summary=from_summary,
    )
