"""Queries for digests: what a period brought, and which periods were already digested.

A scheduled digest period is claimed before the mail is sent and marked sent after, like an
alert delivery (``storage.alerts``): the claim is a row with a unique ``period_key``, so two
processes (or one process before and after a restart) never both send the same period; a
claim left behind by a crash runs out after its lease and is taken up again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from storage.models import Article, CrawlRun, Digest, Source, Story
from storage.sources import FAILING_STATUSES
from storage.stories import reported_events

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from sqlalchemy.orm import Session

SENDING = "sending"
SENT = "sent"
SKIPPED = "skipped"  # empty period with digest.skip_empty: done, nothing mailed
FAILED = "failed"
# A digest that failed this many times is given up (a human reads the error in the log).
MAX_ATTEMPTS = 5


# --- what a period brought ------------------------------------------------------------


@dataclass(frozen=True)
class DigestArticle:
    """One outlet's report in a digest story."""

    title: str
    url: str
    source: str | None
    published: datetime | None
    language: str | None
    # A syndicated copy of another article of the story (duplicate_of set).
    copy: bool = False


@dataclass
class DigestStory:
    """A story with coverage first seen in the period."""

    id: int
    title: str
    first_seen: datetime
    kinds: list[str] = field(default_factory=list)  # talks_outcome / new_clash; empty = other coverage
    subtype: str | None = None
    evidence: str | None = None
    event_date: datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # of its first event: places, casualties, ...
    articles: list[DigestArticle] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        """The story's kind: its first event's, as ``/stories`` and search show it."""
        return self.kinds[0] if self.kinds else None

    @property
    def first_source(self) -> str | None:
        """The outlet that published first (articles are in published-time order)."""
        return next((a.source for a in self.articles if a.source), None)

    @property
    def first_reported(self) -> datetime:
        """When an outlet first published the story (its earliest published time), else first seen."""
        return min((a.published for a in self.articles if a.published is not None), default=self.first_seen)


def period_stories(session: Session, start: datetime, end: datetime, *, limit: int = 200) -> list[DigestStory]:
    """Stories with relevant coverage first seen in ``[start, end)``, newest first.

    Each lists its events (a story can report an outcome and a clash), the evidence sentence
    of its first event, and every article of the story (not only the period's) in time
    order, duplicates included, so each outlet's link is there. The seed and its copies are
    left out: the user wrote the seed.
    """
    first_seen = func.min(Article.fetched_at).label("first_seen")
    in_period = (
        select(Article.story_id, first_seen)
        .where(
            Article.story_id.is_not(None),
            Article.fetched_at >= start,
            Article.fetched_at < end,
            Article.is_seed.is_(False),
            or_(Article.relevant.is_(None), Article.relevant.is_(True)),
        )
        .group_by(Article.story_id)
        .order_by(first_seen.desc(), Article.story_id.desc())
        .limit(limit)
    )
    seen = {int(story_id or 0): when for story_id, when in session.execute(in_period)}
    if not seen:
        return []
    # A story the seed belongs to is the user's own story; its follow-ups are still news.
    stories = {s.id: s for s in session.scalars(select(Story).where(Story.id.in_(list(seen))))}
    out = {
        story_id: DigestStory(id=story_id, title=stories[story_id].title, first_seen=when)
        for story_id, when in seen.items()
        if story_id in stories
    }
    # The events each story reports, oldest first; one folded into another (merged_into) is
    # that one: its kind, its latest subtype and its figures, counted once.
    for story_id, reported in reported_events(session, list(out)).items():
        story = out[story_id]
        for event in reported:
            if event.kind not in story.kinds:
                story.kinds.append(event.kind)
        first = reported[0]
        story.subtype, story.evidence, story.event_date = first.subtype, first.evidence, first.event_date
        story.fields = dict(first.fields or {})
    for article, source_name in session.execute(
        select(Article, Source.name)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(Article.story_id.in_(list(out)), Article.is_seed.is_(False))
        .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
    ):
        out[int(article.story_id or 0)].articles.append(
            DigestArticle(
                article.title,
                article.url,
                source_name,
                article.published_at,
                article.language,
                article.duplicate_of is not None,
            )
        )
    return sorted(out.values(), key=lambda s: (s.first_seen, s.id), reverse=True)


@dataclass(frozen=True)
class SourceTrouble:
    """A source that failed, or brought nothing, during a period."""

    name: str
    problem: str  # failing | empty
    status: str
    runs: int
    failed_runs: int
    consecutive_errors: int
    last_error: str | None


def period_source_health(session: Session, start: datetime, end: datetime) -> list[SourceTrouble]:
    """Sources that were polled in ``[start, end)`` and failed at least once or found nothing new.

    "Empty" means no new article and no article seen again in any poll of the period: a
    feed that answered 304 all day is empty for the digest reader too. Sources never
    polled in the period are left out (a disabled source is not trouble).
    """
    failing = case((CrawlRun.status.in_(sorted(FAILING_STATUSES)), 1), else_=0)
    runs = session.execute(
        select(
            CrawlRun.source_id,
            func.count(),
            func.sum(CrawlRun.articles_new),
            func.sum(CrawlRun.articles_seen),
            func.sum(failing),
        )
        .where(CrawlRun.started_at >= start, CrawlRun.started_at < end, CrawlRun.finished_at.is_not(None))
        .group_by(CrawlRun.source_id)
    ).all()
    sources = {s.id: s for s in session.scalars(select(Source).where(Source.id.in_([r[0] for r in runs])))}
    out = []
    for source_id, count, new, seen, failed in runs:
        source = sources.get(source_id)
        if source is None:
            continue
        failures = int(failed or 0)
        if failures:
            problem = "failing"
        elif not (new or 0) and not (seen or 0):
            problem = "empty"
        else:
            continue
        out.append(
            SourceTrouble(
                name=source.name,
                problem=problem,
                status=source.status,
                runs=int(count),
                failed_runs=failures,
                consecutive_errors=source.consecutive_errors,
                last_error=source.last_error,
            )
        )
    return sorted(out, key=lambda t: (t.problem != "failing", t.name))


def period_polled_sources(session: Session, start: datetime, end: datetime) -> list[str]:
    """Names of the sources polled (a finished crawl run) in ``[start, end)``, by name.

    What the digest counts its sources against when it is not told the configured ones:
    a source removed from the config or disabled is not polled, so it is not counted.
    """
    return list(
        session.scalars(
            select(Source.name)
            .join(CrawlRun, CrawlRun.source_id == Source.id)
            .where(CrawlRun.started_at >= start, CrawlRun.started_at < end, CrawlRun.finished_at.is_not(None))
            .group_by(Source.name)
            .order_by(Source.name)
        )
    )


def period_article_count(session: Session, start: datetime, end: datetime) -> int:
    """Relevant articles first seen in ``[start, end)`` (duplicates included)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Article)
            .where(
                Article.fetched_at >= start,
                Article.fetched_at < end,
                Article.is_seed.is_(False),
                or_(Article.relevant.is_(None), Article.relevant.is_(True)),
            )
        )
        or 0
    )


# --- digested periods -----------------------------------------------------------------


@dataclass(frozen=True)
class DigestClaim:
    """A digest this process may send now."""

    id: int
    period_key: str | None
    period_start: datetime
    period_end: datetime
    attempts: int


def claim_period(
    session: Session, key: str, start: datetime, end: datetime, *, now: datetime, lease: timedelta
) -> DigestClaim | None:
    """Reserve the scheduled period ``key`` for sending; None when it was sent or is being sent.

    A first claim inserts the row (the unique key decides a race); a later one takes over a
    row whose lease ran out or whose last attempt failed, while attempts remain.
    """
    try:
        with session.begin_nested():
            digest = Digest(
                period_key=key,
                period_start=start,
                period_end=end,
                status=SENDING,
                attempts=1,
                lease_until=now + lease,
                created_at=now,
            )
            session.add(digest)
            session.flush()
        return DigestClaim(digest.id, key, start, end, 1)
    except IntegrityError:
        pass
    row = session.execute(
        update(Digest)
        .where(
            Digest.period_key == key,
            Digest.attempts < MAX_ATTEMPTS,
            or_(Digest.status == FAILED, and_(Digest.status == SENDING, Digest.lease_until <= now)),
        )
        .values(status=SENDING, lease_until=now + lease, attempts=Digest.attempts + 1)
        .returning(Digest.id, Digest.period_start, Digest.period_end, Digest.attempts)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:
        return None
    return DigestClaim(row.id, key, row.period_start, row.period_end, row.attempts)


def record_manual(session: Session, start: datetime, end: datetime, *, now: datetime) -> DigestClaim:
    """A digest sent by hand: recorded for the history, never blocking a scheduled period."""
    digest = Digest(period_key=None, period_start=start, period_end=end, status=SENDING, attempts=1, created_at=now)
    session.add(digest)
    session.flush()
    return DigestClaim(digest.id, None, start, end, 1)


def mark_sent(session: Session, digest_id: int, *, now: datetime, stories: int, recipients: int) -> None:
    """Record that the digest went out."""
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id)
        .values(status=SENT, sent_at=now, lease_until=None, stories=stories, recipients=recipients, last_error=None)
        .execution_options(synchronize_session=False)
    )


def mark_skipped(session: Session, digest_id: int, *, now: datetime) -> None:
    """Record that the period was empty and, as configured, not mailed."""
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id)
        .values(status=SKIPPED, sent_at=now, lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


def mark_failed(session: Session, digest_id: int, error: str) -> None:
    """Record a failed send; the period is claimed again on the next run while attempts remain."""
    session.execute(
        update(Digest)
        .where(Digest.id == digest_id)
        .values(status=FAILED, lease_until=None, last_error=error[:2000])
        .execution_options(synchronize_session=False)
    )


def period_status(session: Session, key: str) -> str | None:
    """The status of the scheduled period ``key``, or None if it was never claimed."""
    return session.scalar(select(Digest.status).where(Digest.period_key == key))
