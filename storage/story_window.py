"""The recent articles of live stories, as the story regrouping pass reads them (crawler.stories.regroup)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select

from storage.models import Article, Story
from storage.stories import Member, member_query, members

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session


def window_articles(session: Session, since: datetime) -> list[Member]:
    """Articles of live stories published (else fetched) since ``since``, in canonical order.

    Canonical order is published time, then id: the order the regrouping pass clusters in,
    whatever order the articles arrived in.
    """
    when = func.coalesce(Article.published_at, Article.fetched_at)
    live = select(Story.id).where(Story.merged_into.is_(None))
    # The same test as ``when >= since``, written so the index on published_at serves it:
    # the pass runs after every poll, and a coalesce() would scan the whole archive.
    recent = or_(Article.published_at >= since, and_(Article.published_at.is_(None), Article.fetched_at >= since))
    query = member_query().where(Article.story_id.in_(live), recent).order_by(when, Article.id)
    return members(session, query)
