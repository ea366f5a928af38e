"""The recent articles of live stories, as the story regrouping pass reads them (crawler.stories.regroup).

Read in two steps: :func:`window_placement` (ids only) after every poll, and
:func:`window_members` (titles and texts) only for the articles whose features the pass
has not computed yet: an unchanged window costs one query that reads no text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select, update

from storage.chunks import in_chunks
from storage.models import Article, Story
from storage.stories import Member, create_story, member_query, members

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Placement:
    """Where an article of the window is: its story, and the original it is a copy of."""

    article_id: int
    story_id: int
    duplicate_of: int | None = None


def window_placement(session: Session, since: datetime) -> list[Placement]:
    """Articles of live stories published (else fetched) since ``since``, in canonical order.

    Canonical order is published time, then URL: the order the regrouping pass clusters in,
    whatever order the articles arrived in (ids follow arrival, so articles published at
    the same second are ordered by URL, not id). Reads no title or text.
    """
    when = func.coalesce(Article.published_at, Article.fetched_at)
    live = select(Story.id).where(Story.merged_into.is_(None))
    # The same test as ``when >= since``, written so the index on published_at serves it:
    # the pass runs after every poll, and a coalesce() would scan the whole archive.
    recent = or_(Article.published_at >= since, and_(Article.published_at.is_(None), Article.fetched_at >= since))
    query = (
        select(Article.id, Article.story_id, Article.duplicate_of)
        .where(Article.story_id.in_(live), recent)
        .order_by(when, Article.url)
    )
    return [Placement(int(r[0]), int(r[1] or 0), r[2]) for r in session.execute(query)]


def window_members(session: Session, article_ids: Iterable[int]) -> list[Member]:
    """The stored articles ``article_ids`` as :class:`Member` rows (title and text), by id."""
    wanted = sorted(set(article_ids))
    out: list[Member] = []
    for chunk in in_chunks(wanted):
        out += members(session, member_query().where(Article.id.in_(chunk)).order_by(Article.id))
    return out


def move_articles(session: Session, moves: dict[int, int]) -> None:
    """Put each article of ``moves`` (article id -> story id) in its story (the placement's moves)."""
    by_story: dict[int, list[int]] = {}
    for article_id, story_id in moves.items():
        by_story.setdefault(story_id, []).append(article_id)
    for story_id, article_ids in sorted(by_story.items()):
        for chunk in in_chunks(sorted(article_ids)):
            session.execute(
                update(Article)
                .where(Article.id.in_(chunk))
                .values(story_id=story_id)
                .execution_options(synchronize_session=False)
            )


def new_story(session: Session, first: int) -> int:
    """A new, empty story titled with article ``first``'s headline (:func:`move_articles` fills it)."""
    return create_story(session, session.scalar(select(Article.title).where(Article.id == first)) or "")


def emptied(session: Session, story_ids: Iterable[int]) -> list[int]:
    """The stories of ``story_ids`` that hold no article any more (sorted)."""
    wanted = sorted(set(story_ids))
    if not wanted:
        return []
    held = set(session.scalars(select(Article.story_id).where(Article.story_id.in_(wanted)).distinct()))
    return [s for s in wanted if s not in held]
