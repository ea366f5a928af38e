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

from crawler.analysis.events.identity import EventSignature, combine, gap_days, later_subtype, match
from storage import alert_updates, alerts, articles, events, stories
from storage.db import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from crawler.analysis.events.classifier import EventResult
    from crawler.analysis.events.identity import IdentityMatch, IdentityRules
    from crawler.analysis.prepare import Analysis
    from crawler.dedup.deduplicator import Decision, Deduplicator
    from crawler.stories.assigner import StoryAssigner
    from crawler.writer import DbWriter
    from storage.models import Event

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

    def background_event(self, event_date: datetime | None) -> bool:
        """An event dated before the seed is known history: a later recap of it never alerts."""
        if self.seed_published is None or event_date is None:
            return False
        return event_date.date() < self.seed_published

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
    # What the report changed in the event it joined (None for a new event or no event).
    event_change: events.EventChange | None = None
    # (survivor, absorbed) stories merged because this report told one event of both.
    merged: tuple[tuple[int, int], ...] = ()


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
    if analysis.features is not None:
        # Kept with the article: the regrouping pass clusters with the kind decided here,
        # against the outlet's own time ("on Saturday"), without classifying again.
        record.event_kind = analysis.features.event_kind or ""
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
        if analysis.event is not None and not record.is_seed:
            plan.signature = state.stories.signature(analysis.event, record.title)
            plan.identity = state.stories.identity if plan.signature is not None else None
        # The story match is the one decision left (no I/O): a copy joins its original's story.
        if duplicate is None and not record.is_seed and analysis.features is not None:
            plan.story_hint = state.stories.hint(analysis.features)
    written = state.writer.call(write, plan)
    for survivor, absorbed in written.merged:
        state.stories.merged(survivor, absorbed)
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
        event_change=written.event_change,
        merged=written.merged,
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
    # The event's identity and the rules to match it against stored events; without them
    # (callers that predate event identity), a story holds one event per kind.
    signature: EventSignature | None = None
    identity: IdentityRules | None = None


@dataclass(frozen=True)
class IngestResult:
    """What :func:`write` wrote."""

    article_id: int
    created: bool
    matched_by: str | None
    story_id: int | None = None
    event_id: int | None = None
    alert_ids: tuple[int, ...] = ()
    event_change: events.EventChange | None = None
    merged: tuple[tuple[int, int], ...] = ()


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
    found = _matching_events(session, plan) if plan.event is not None and not record.is_seed else []
    merged: list[tuple[int, int]] = []
    if found:
        # One event, one story: the report joins its event's story; an event found in two
        # stories makes them one (the older id stays).
        story_ids = sorted({event.story_id for event, _ in found} | ({story_id} if story_id is not None else set()))
        story_id = story_ids[0]
        for absorbed in story_ids[1:]:
            stories.merge_stories(session, story_id, absorbed)
            merged.append((story_id, absorbed))
    elif story_id is None and plan.story_hint is not None:
        # The hint comes from the in-memory clusterer, which may not know yet that its story was
        # merged into another (by another cluster worker): join the story it is now.
        hint = stories.resolve(session, plan.story_hint)
        if hint is not None and _may_join(session, plan, hint):
            story_id = hint
    when = record.published_at or record.fetched_at
    outlets_before = events.independent_sources(session, story_id) if found and story_id is not None else 0
    story_id = stories.attach(session, stored.article_id, story_id, title=record.title, when=when)
    event_id, change = None, None
    if plan.event is not None and not record.is_seed:
        event_id, change = _record_event(session, plan, story_id, stored.article_id, found, outlets_before)
        if change is not None and not change.created:
            # A later report of an event that may have alerted: the alert's history.
            alert_updates.note_change(session, change, article_id=stored.article_id, policy=plan.policy.updates)
    alert_ids = _maybe_alert(session, story_id, stored.article_id, record, plan)
    return IngestResult(stored.article_id, True, None, story_id, event_id, tuple(alert_ids), change, tuple(merged))


def _may_join(session: Session, plan: IngestPlan, story_id: int) -> bool:
    """Whether a report no stored event matches may join the story it shares most words with.

    Only a story that tells no event yet (a preview's, say): a story of another event, of
    either kind, is that event's (an Urdu report of a clash is not the talks story's).
    """
    return plan.event is None or plan.identity is None or not events.story_events(session, story_id)


def _matching_events(session: Session, plan: IngestPlan) -> list[tuple[Event, EventSignature]]:
    """Stored live events this report tells, best first, with their signatures.

    The best match (a must-link before a weak one, then the closest date, then the oldest)
    and every other match that does not contradict it: a report can show two stored events
    to be one, never join two events that differ.
    """
    sig, rules = plan.signature, plan.identity
    if sig is None or rules is None:
        return []
    window = timedelta(days=rules.date_window)
    scored: list[tuple[tuple[int, int, int, int], Event, EventSignature, IdentityMatch]] = []
    for event in events.candidates(session, sig.kind, sig.first, sig.last, window):
        stored = _stored_signature(event)
        if stored is None:
            continue
        result = match(sig, stored, rules)
        if result.same:
            # Ties between equally strong, equally close matches go to the event located
            # where the report is (its places and region among the event's own places),
            # not to the older id: which event was stored first follows arrival order.
            located = len((sig.places | sig.context) & stored.places)
            key = (result.strength != "must", gap_days(sig, stored), -located, event.id)
            scored.append((key, event, stored, result))
    scored.sort(key=lambda item: item[0])
    if not scored:
        return []
    _, best, best_sig, _ = scored[0]
    out = [(best, best_sig)]
    for _, event, stored, _ in scored[1:]:
        if all(compatible(chosen, stored, rules) for _, chosen in out):
            out.append((event, stored))
    return out


def compatible(a: EventSignature, b: EventSignature, rules: IdentityRules) -> bool:
    """Whether two events a report (or the merge pass) finds to be one may be folded together.

    Nothing may set them apart (a place, venue, round or subtype); being too far apart for a
    weak match is no objection when a report or a chain of reports ties them within the window.
    """
    result = match(a, b, rules)
    if result.same:
        return True
    return set(result.conflicts) <= {"date"} and gap_days(a, b) <= rules.date_window


def _stored_signature(event: Event) -> EventSignature | None:
    try:
        return EventSignature.from_json(event.signature) if event.signature else None
    except (KeyError, TypeError, ValueError):
        return None


def _record_event(
    session: Session,
    plan: IngestPlan,
    story_id: int,
    article_id: int,
    found: list[tuple[Event, EventSignature]],
    outlets_before: int,
) -> tuple[int, events.EventChange | None]:
    """Create the report's event, or fold the report into the stored event it tells."""
    result = plan.event
    assert result is not None
    if plan.identity is None:
        # Without identity rules: a story's event of this kind is updated (the old rule).
        same_kind = [e for e in events.story_events(session, story_id) if e.kind == result.kind]
        if same_kind:
            change = events.update_event(
                session, same_kind[0], subtype=None, event_date=None, fields=result.fields, signature=None
            )
            return same_kind[0].id, change
    if not found:
        created = events.create_event(
            session,
            story_id=story_id,
            article_id=article_id,
            kind=result.kind,
            subtype=result.subtype,
            event_date=result.event_date,
            evidence=result.evidence,
            fields=result.fields,
            signature=plan.signature.as_json() if plan.signature is not None else None,
        )
        return created.id, None
    survivor, survivor_sig = min(found, key=lambda item: item[0].id)
    signatures = [survivor_sig, *(s for _, s in found if s is not survivor_sig)]
    # The report ties stored events together: each fold is recorded in the history of the
    # alert that stays (a later alert of the same event becomes an update of it), then the
    # report's own change is, from the folded state, by the caller.
    for event, _ in sorted(found, key=lambda item: item[0].id):
        if event.id != survivor.id:
            before = {e.id: alert_updates.state_of(e) for e in (survivor, event)}
            subtype = later_subtype(survivor.subtype or event.subtype or "", event.subtype or "")
            events.fold_event(session, survivor, event, None, subtype=subtype or None)
            alert_updates.fold_alerts(
                session, survivor, event, before, article_id=article_id, policy=plan.policy.updates
            )
    if plan.signature is not None:
        signatures.append(plan.signature)
    folded = combine(signatures)
    subtype = later_subtype(survivor.subtype or result.subtype, result.subtype)
    change = events.update_event(
        session,
        survivor,
        subtype=subtype,
        event_date=folded.first,
        fields=result.fields,
        signature=folded.as_json(),
        outlets=(outlets_before, events.independent_sources(session, story_id)),
    )
    return survivor.id, change


def _maybe_alert(
    session: Session, story_id: int, article_id: int, record: articles.ArticleRecord, plan: IngestPlan
) -> list[int]:
    """Raise the alerts of the story's events that are due now (each event once)."""
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
        # Once per event: a later report of it (or of an event found to be it) never alerts.
        if policy.background_event(event.event_date) or events.event_alerted(session, event.id):
            continue
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
