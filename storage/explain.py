"""What ``newswatch explain`` reads about one stored article: the article, its story, its alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from storage.models import Alert, Article, ArticleUrl, Source, Story
from storage.stories import reported_events

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def find_article(session: Session, reference: str, canonical: str | None = None) -> Article | None:
    """An article by id (digits), or by URL: as stored, as canonicalised, or as an alias URL."""
    reference = reference.strip()
    if reference.isdigit():
        return session.get(Article, int(reference))
    urls = [u for u in dict.fromkeys([reference, canonical]) if u]
    article = session.scalars(select(Article).where(Article.url.in_(urls)).limit(1)).first()
    if article is not None:
        return article
    alias = session.scalars(select(ArticleUrl.article_id).where(ArticleUrl.url.in_(urls)).limit(1)).first()
    return session.get(Article, alias) if alias is not None else None


def source_name(session: Session, article: Article) -> str | None:
    """The name of the source that first brought the article."""
    if article.source_id is None:
        return None
    return session.scalar(select(Source.name).where(Source.id == article.source_id))


@dataclass(frozen=True)
class StoryFacts:
    """A story as explain describes it."""

    id: int
    title: str
    articles: int
    first_article_id: int
    has_seed: bool
    independent_sources: int


def story_facts(session: Session, story_id: int) -> StoryFacts | None:
    """Size, first article, seed and independent outlets of a story."""
    story = session.get(Story, story_id)
    if story is None:
        return None
    when = func.coalesce(Article.published_at, Article.fetched_at)
    members = session.execute(
        select(Article.id, Article.is_seed, Article.source_id, Article.duplicate_of)
        .where(Article.story_id == story_id)
        .order_by(when, Article.id)
    ).all()
    sources = {m.source_id for m in members if m.duplicate_of is None and m.source_id is not None}
    return StoryFacts(
        id=story.id,
        title=story.title,
        articles=len(members),
        first_article_id=members[0].id if members else 0,
        has_seed=any(m.is_seed for m in members),
        independent_sources=len(sources),
    )


@dataclass(frozen=True)
class AlertFacts:
    """One alert of the article's story."""

    id: int
    kind: str
    subtype: str | None
    article_id: int | None
    created_at: datetime


def story_alerts(session: Session, story_id: int) -> list[AlertFacts]:
    """The alerts raised for a story, oldest first."""
    rows = session.scalars(select(Alert).where(Alert.story_id == story_id).order_by(Alert.id))
    return [AlertFacts(a.id, a.kind, a.subtype, a.article_id, a.created_at) for a in rows]


def story_event_kinds(session: Session, story_id: int) -> list[tuple[int, str, str | None]]:
    """Id, kind and subtype of each event a story reports, oldest first.

    An event folded into another (one event found twice) is that one, listed once: explain
    shows what the story reports, as every other surface does.
    """
    return [(e.id, e.kind, e.subtype) for e in reported_events(session, [story_id]).get(story_id, [])]
