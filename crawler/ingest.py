"""The one write path of an article: :func:`ingest`, called by the Scrapy pipeline and the seeds.

:func:`ingest` takes the article as storage stores it and its analysis (what
:mod:`crawler.analysis` decided about it alone), takes the decisions that need the crawl's
state (near-duplicate lookup, story match), writes, updates the indexes, and returns what
it decided and wrote as :class:`Decisions`.

The write itself, :func:`write`, is one transaction: article, story, event, alert (outbox).
Everything decided in memory is written together, so an alert exists exactly when the
article that triggered it does: a crash before commit loses both, a crash after commit
leaves the alert's deliveries pending for the next run.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Protocol

from storage import alert_updates, alerts, articles, events, stories
from storage.db import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from crawler.analysis.events.classifier import EventResult
    from crawler.analysis.prepare import Analysis
    from crawler.dedup.deduplicator import Decision, Deduplicator
    from crawler.stories.assigner import StoryAssigner
    from crawler.writer import DbWriter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertPolicy:
    """When an event may alert (DESIGN.md: seed, background, max_age, min_sources)."""

    channels: list[str]
    max_age: timedelta | None = timedelta(days=2)
    min_sources: int = 1
    seed_published: date | None = None
    # alerts.group_wait, and alerts.updates / alerts.group_interval (storage.alert_updates).
    group_wait: timedelta = timedelta(0)
    updates: alert_updates.UpdatePolicy = field(default_factory=alert_updates.UpdatePolicy)

    def background(self, published: datetime | None) -> bool:
        """Published before the seed: known history, never news."""
        if self.seed_published is None or published is None:
            return False
        return published < datetime.combine(self.seed_published, time(0, 0), tzinfo=UTC)

    def too_old(self, published: datetime | None, now: datetime) -> bool:
        """Older than ``alerts.max_age``: joins its story, notifies nobody."""
        return self.max_age is not None and published is not None and now - published > self.max_age


class IngestState(Protocol):
    """What the write path needs of a crawl (a :class:`~crawler.context.CrawlContext` has it)."""

    writer: DbWriter
    dedup: Deduplicator
    stories: StoryAssigner
    policy: AlertPolicy


@dataclass(frozen=True)
class Decisions:
    """What :func:`ingest` decided and wrote for one article; its callers read this."""

    article_id: int
    # False: the article was stored already (an exact duplicate); ``matched_by`` says by what.
    created: bool
    matched_by: str | None  # url | guid | content_hash
    # The near-duplicate decision (the original, how it was found, how close), None for an original.
    duplicate: Decision | None
    # As stored: a copy of a relevant original is relevant whatever its own analysis said.
    relevant: bool
    story_id: int | None = None
    event_id: int | None = None
    alert_ids: tuple[int, ...] = ()


def ingest(state: IngestState, record: articles.ArticleRecord, analysis: Analysis) -> Decisions:
    """Decide, store and index one analysed article: the only way an article gets written.

    Blocking: call it on the database writer's thread (:meth:`~crawler.writer.DbWriter.submit`),
    under the crawl's store lock. The dedup and story indexes are read and updated here, in
    the order the articles arrive, so each article sees every article stored before it. The
    seed (``record.is_seed``) is the user's input: never a copy, and the start of its own story.
    """
    fingerprint = analysis.fingerprint
    record.signature = fingerprint.as_bytes()
    record.shingle_count = fingerprint.size
    record.short_text = fingerprint.short
    record.content_hash = analysis.content_hash
    duplicate = None if record.is_seed else state.dedup.find(fingerprint)
    if duplicate is not None:
        record.duplicate_of = duplicate.original_id
        record.duplicate_score = duplicate.score
        record.duplicate_method = duplicate.method
    plan = IngestPlan(
        record=record, relevant=analysis.relevant, relevance_score=analysis.relevance_score, policy=state.policy
    )
    if analysis.relevant:
        plan.event = analysis.event
        # The story match is the one decision left (no I/O): a copy joins its original's story.
        if duplicate is None and not record.is_seed and analysis.features is not None:
            plan.story_hint = state.stories.hint(analysis.features)
    written = state.writer.call(write, plan)
    if written.created:
        state.dedup.add(written.article_id, fingerprint)
        if written.story_id is not None and analysis.features is not None:
            state.stories.learn(written.story_id, analysis.features)
    return Decisions(
        article_id=written.article_id,
        created=written.created,
        matched_by=written.matched_by,
        duplicate=duplicate,
        relevant=plan.relevant,
        story_id=written.story_id,
        event_id=written.event_id,
        alert_ids=written.alert_ids,
    )


@dataclass
class IngestPlan:
    """What was decided about one article, for :func:`write`."""

    record: articles.ArticleRecord
    relevant: bool = True
    relevance_score: float | None = None
    story_hint: int | None = None
    event: EventResult | None = None
    policy: AlertPolicy = field(default_factory=lambda: AlertPolicy(channels=[]))


@dataclass(frozen=True)
class IngestResult:
    """What :func:`write` wrote."""

    article_id: int
    created: bool
    matched_by: str | None
    story_id: int | None = None
    event_id: int | None = None
    alert_ids: tuple[int, ...] = ()


def write(session: Session, plan: IngestPlan) -> IngestResult:
    """Store the article and everything that follows from it, in the caller's transaction."""
    record = plan.record
    if record.duplicate_of is not None:
        # A copy is as relevant as its original (the seed is relevant by definition).
        original = articles.get_article(session, record.duplicate_of)
        if original is not None and (original.relevant or original.is_seed):
            plan.relevant = True
    record.relevant = plan.relevant
    record.relevance_score = plan.relevance_score
    stored = articles.store_article(session, record)
    if not stored.created:
        return IngestResult(stored.article_id, False, stored.matched_by)
    if not plan.relevant:
        # Remembered by URL (never fetched again), kept out of stories, alerts, digests.
        return IngestResult(stored.article_id, True, None)
    story_id = None
    if record.duplicate_of is not None:
        story_id = stories.story_of(session, record.duplicate_of)
    if story_id is None:
        story_id = plan.story_hint
    when = record.published_at or record.fetched_at
    story_id = stories.attach(session, stored.article_id, story_id, title=record.title, when=when)
    event_id = None
    if plan.event is not None and not record.is_seed:
        prior = alert_updates.prior_state(session, story_id, plan.event.kind)
        event, created = events.upsert_event(
            session,
            story_id=story_id,
            article_id=stored.article_id,
            kind=plan.event.kind,
            subtype=plan.event.subtype,
            event_date=plan.event.event_date,
            evidence=plan.event.evidence,
            fields=plan.event.fields,
        )
        event_id = event.id
        if not created:  # a later report of an event that may have alerted: its history
            alert_updates.note_event_update(
                session, prior, event, article_id=stored.article_id, policy=plan.policy.updates
            )
    alert_ids = _maybe_alert(session, story_id, stored.article_id, record, plan)
    return IngestResult(stored.article_id, True, None, story_id, event_id, tuple(alert_ids))


def _maybe_alert(
    session: Session, story_id: int, article_id: int, record: articles.ArticleRecord, plan: IngestPlan
) -> list[int]:
    """Raise the story's alerts that are due now (each kind once per story)."""
    policy = plan.policy
    now = utcnow()
    # What the record says alone first; the queries only for an article that could alert.
    if record.is_seed or policy.background(record.published_at) or policy.too_old(record.published_at, now):
        return []
    if events.story_has_seed(session, story_id):
        return []
    story_events = events.story_events(session, story_id)
    if not story_events:
        return []
    if events.independent_sources(session, story_id) < policy.min_sources:
        return []
    created = []
    for event in story_events:
        alert = alerts.create_alert(
            session,
            story_id=story_id,
            kind=event.kind,
            subtype=event.subtype,
            article_id=article_id,
            event_id=event.id,
            channels=policy.channels,
            now=now,
            hold=policy.group_wait,
        )
        if alert is not None:
            created.append(alert.id)
            logger.info(
                "alert %d: %s/%s in story %d",
                alert.id,
                event.kind,
                event.subtype,
                story_id,
                extra={"url": record.url, "article_id": article_id},
            )
    return created


@dataclass
class PendingStore:
    """An analysed article waiting for the store step, and where its decisions go."""

    record: articles.ArticleRecord
    analysis: Analysis
    done: asyncio.Future[Decisions]
    outcome: Decisions | None = None
    error: BaseException | None = None
