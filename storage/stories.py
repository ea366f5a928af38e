"""Queries about stories: creating them, attaching articles, listing them with their outlets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from sqlalchemy import func, select, update
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import aliased

from storage.db import utcnow
from storage.models import Alert, Article, Event, Source, Story
from storage.story_lookup import first_event_kind as first_event_kind
from storage.story_lookup import resolve as resolve
from storage.story_lookup import stories_reporting as stories_reporting

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.engine import CursorResult
    from sqlalchemy.orm import Session

    # The columns of a Member, in its field order.
    MemberQuery: TypeAlias = Select[int, int | None, str, str, datetime, str | None, bool, int | None, str | None]


def story_of(session: Session, article_id: int) -> int | None:
    """The story an article belongs to."""
    return session.scalar(select(Article.story_id).where(Article.id == article_id))


def create_story(session: Session, title: str) -> int:
    """A new, empty story titled ``title`` (its first article's headline); its id."""
    now = utcnow()
    story = Story(title=title[:500], first_seen_at=now, updated_at=now, event_date=None)
    session.add(story)
    session.flush()
    return int(story.id)


def attach(session: Session, article_id: int, story_id: int | None, *, title: str, when: datetime) -> int:
    """Put an article in ``story_id``, or in a new story titled ``title`` when None.

    Returns the story id. The story's first-seen time is when newswatch first saw any of
    its articles; its title is its first article's headline.
    """
    now = utcnow()
    if story_id is None:
        story_id = create_story(session, title)
    else:
        # UPDATE statements instead of loading both rows: the article was just inserted
        # with Core (storage.articles.store_article) and is not in the session, so loading
        # it read its whole text back for one column. ORM-enabled UPDATEs still refresh any
        # copy a caller holds in the session.
        touched = session.execute(update(Story).where(Story.id == story_id).values(updated_at=now))
        if cast("CursorResult[Any]", touched).rowcount != 1:
            raise NoResultFound(f"no story {story_id}")
    session.execute(update(Article).where(Article.id == article_id).values(story_id=story_id))
    return story_id


def merge_stories(session: Session, survivor: int, absorbed: int) -> None:
    """Merge story ``absorbed`` into ``survivor``: one event, one story.

    Its articles, events and alerts move; it keeps its row with ``merged_into`` set, so its
    id (in links, alerts and feeds already sent) resolves to the survivor. Stories merged into
    it before now point at the survivor too.
    """
    if survivor == absorbed:
        return
    now = utcnow()
    # "evaluate": the rows the caller holds in the session move too. Left stale, an event's
    # story_id would be read (to move its alert) or flushed back onto the absorbed story.
    session.flush()
    for model in (Article, Event, Alert):
        session.execute(
            update(model)
            .where(model.story_id == absorbed)
            .values(story_id=survivor)
            .execution_options(synchronize_session="evaluate")
        )
    session.execute(
        update(Story)
        .where((Story.id == absorbed) | (Story.merged_into == absorbed))
        .values(merged_into=survivor, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    first = session.scalar(select(func.min(Story.first_seen_at)).where(Story.id.in_((survivor, absorbed))))
    session.execute(
        update(Story)
        .where(Story.id == survivor)
        .values(updated_at=now, first_seen_at=first)
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class Member:
    """An article of a story, as the story state (clusterer) learns it.

    Read at start, in the cluster mode, and by the story regrouping pass
    (:func:`storage.story_window.window_members`), which also needs ``duplicate_of``.
    """

    article_id: int
    story_id: int
    title: str
    text: str
    when: datetime
    language: str | None
    is_seed: bool = False
    # The article this one is a copy of, if any: the regrouping pass keeps copies with their original.
    duplicate_of: int | None = None
    # The event kind the write path stored ("" for none; None: not stored, articles.event_kind).
    event_kind: str | None = None


def member_query() -> MemberQuery:
    """The columns of :class:`Member` for every article in a story; callers add filters and the order.

    One query for every reader of story members (:func:`recent_members`,
    :func:`storage.cluster.members_after`, :func:`storage.story_window.window_members`),
    so they learn the same fields the same way.
    """
    return select(
        Article.id,
        Article.story_id,
        Article.title,
        Article.text,
        func.coalesce(Article.published_at, Article.fetched_at),
        Article.language,
        Article.is_seed,
        Article.duplicate_of,
        Article.event_kind,
    ).where(Article.story_id.is_not(None))


def members(session: Session, query: MemberQuery) -> list[Member]:
    """The rows of a :func:`member_query` as :class:`Member` rows, in the query's order."""
    # story_id is never NULL (member_query selects members of stories).
    return [
        Member(r[0], int(r[1] or 0), r[2] or "", r[3] or "", r[4], r[5], bool(r[6]), r[7], r[8])
        for r in session.execute(query)
    ]


def recent_members(session: Session, since: datetime) -> list[Member]:
    """Articles of stories active since ``since``, oldest first (to rebuild the clusterer)."""
    active = select(Story.id).where(Story.updated_at >= since, Story.merged_into.is_(None))
    query = member_query().where(Article.story_id.in_(active))
    return members(session, query.order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id))


# --- the events a story reports ------------------------------------------------------
#
# An event found to be another (events.merged_into, storage.events.fold_event) keeps its row
# and its story; wherever a user reads a story's events it counts as the event it was folded
# into, once. fold_event points every event folded into an absorbed one at the survivor, so
# merged_into is always one step from a live event.


def _survivor() -> type[Event]:
    """An alias of ``events`` for the surviving event of an ``Event`` row (itself when not folded)."""
    return aliased(Event, name="survivor")


def reported_events(session: Session, story_ids: list[int]) -> dict[int, list[Event]]:
    """The live events each story reports, oldest first; stories without any are left out.

    An event folded into another counts as that one, wherever the survivor lives.
    """
    if not story_ids:
        return {}
    survivor = _survivor()
    rows = session.execute(
        select(Event.story_id, survivor)
        .join(survivor, survivor.id == func.coalesce(Event.merged_into, Event.id))
        .where(Event.story_id.in_(story_ids))
        .order_by(survivor.id)
    ).all()
    out: dict[int, list[Event]] = {}
    for story_id, event in rows:
        listed = out.setdefault(int(story_id), [])
        if all(e.id != event.id for e in listed):
            listed.append(event)
    return out


@dataclass(frozen=True)
class StoryArticle:
    """One article in a story listing."""

    id: int
    url: str
    title: str
    source: str | None
    published: datetime | None
    language: str | None
    duplicate_of: int | None
    is_seed: bool


@dataclass
class StoryRow:
    """A story as ``newswatch stories`` shows it."""

    id: int
    title: str
    first_seen: datetime
    updated: datetime
    event_kind: str | None
    event_subtype: str | None
    # Outlets of the independent reports (storage.coverage); syndicated copies counted apart.
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    articles: list[StoryArticle] = field(default_factory=list)
    copies: int = 0


def list_stories(
    session: Session, *, limit: int = 50, since: datetime | None = None, story_id: int | None = None
) -> list[StoryRow]:
    """Stories newest first (by first-seen time), with their articles in time order.

    Merged stories are listed as the story they were merged into: ``story_id`` of a merged
    story gives the surviving one.
    """
    query = (
        select(Story)
        .where(Story.merged_into.is_(None))
        .order_by(Story.first_seen_at.desc(), Story.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(Story.updated_at >= since)
    if story_id is not None:
        query = query.where(Story.id == (resolve(session, story_id) or story_id))
    stories = list(session.scalars(query))
    if not stories:
        return []
    ids = [s.id for s in stories]
    # A story's kind is its first event's, as search and the digest show it; an event folded
    # into another (merged_into) counts as that one.
    events = {story_id: found[0] for story_id, found in reported_events(session, ids).items()}
    rows = session.execute(
        select(Article, Source.name)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(Article.story_id.in_(ids))
        .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
    ).all()
    outlets: dict[int, set[str]] = {}
    for article, source_name in rows:
        if article.duplicate_of is None and source_name:
            outlets.setdefault(int(article.story_id or 0), set()).add(source_name)
    out = {
        s.id: StoryRow(
            id=s.id,
            title=s.title,
            first_seen=s.first_seen_at,
            updated=s.updated_at,
            event_kind=events[s.id].kind if s.id in events else None,
            event_subtype=events[s.id].subtype if s.id in events else None,
            outlets=sorted(outlets.get(s.id, set())),
        )
        for s in stories
    }
    for article, source_name in rows:
        row = out[int(article.story_id or 0)]
        row.articles.append(
            StoryArticle(
                id=article.id,
                url=article.url,
                title=article.title,
                source=source_name,
                published=article.published_at,
                language=article.language,
                duplicate_of=article.duplicate_of,
                is_seed=article.is_seed,
            )
        )
        row.copies += article.duplicate_of is not None
        if article.language and article.language not in row.languages:
            row.languages.append(article.language)
    return [out[i] for i in ids]
