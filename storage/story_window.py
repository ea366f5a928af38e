"""The recent articles of live stories, as the story regrouping pass reads them (crawler.stories.regroup)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from storage.models import Article, Story

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class WindowArticle:
    """An article of a live story, with what re-clustering it needs."""

    article_id: int
    story_id: int
    title: str
    text: str
    when: datetime
    language: str | None
    is_seed: bool
    duplicate_of: int | None


def window_articles(session: Session, since: datetime) -> list[WindowArticle]:
    """Articles of live stories published (else fetched) since ``since``, in canonical order.

    Canonical order is published time, then id: the order the regrouping pass clusters in,
    whatever order the articles arrived in.
    """
    when = func.coalesce(Article.published_at, Article.fetched_at)
    live = select(Story.id).where(Story.merged_into.is_(None))
    query = (
        select(
            Article.id,
            Article.story_id,
            Article.title,
            Article.text,
            when,
            Article.language,
            Article.is_seed,
            Article.duplicate_of,
        )
        .where(Article.story_id.in_(live), when >= since)
        .order_by(when, Article.id)
    )
    # story_id is never NULL here (articles of live stories).
    return [
        WindowArticle(int(r[0]), int(r[1] or 0), r[2] or "", r[3] or "", r[4], r[5], bool(r[6]), r[7])
        for r in session.execute(query)
    ]
