"""Queries of the cluster mode: the job queue's tables, and what a worker catches up on.

In the cluster mode (docs/scaling.md) every worker keeps the dedup index and the story
state in memory, as the single process does, but other workers write too. Those indexes
are a cache of the archive: before a decision, under the cluster-wide decision lock, a
worker loads the rows written since the last id it has seen (:func:`signatures_after`,
:func:`members_after`). Article ids are handed out inside the locked decision transaction,
so they are committed in id order and "id above the mark" misses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from storage.models import Article, Story
from storage.stories import Member, member_query, members

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# procrastinate names every object of its schema (migration 0007) with the first prefix;
# the cluster's per-host politeness tables (0008) have the second.
CLUSTER_PREFIXES = ("procrastinate_", "cluster_host")


def is_cluster_object(name: str | None, type_: str) -> bool:
    """True for the cluster mode's tables and indexes (PostgreSQL only), which the models do not describe.

    Alembic's ``include_name`` hook, like :func:`storage.search.base.is_search_object`.
    """
    return name is not None and type_ in ("table", "index") and name.startswith(CLUSTER_PREFIXES)


def max_article_id(session: Session) -> int:
    """The largest stored article id (0 for an empty archive): a worker's first high-water mark."""
    return int(session.scalar(select(func.max(Article.id))) or 0)


def signatures_after(session: Session, last_id: int, upto: int | None = None) -> list[tuple[int, bytes, int, bool]]:
    """(id, signature, shingle count, short) of the articles stored after ``last_id`` (up to ``upto``), in id order."""
    query = (
        select(Article.id, Article.signature, Article.shingle_count, Article.short_text)
        .where(Article.id > last_id, Article.signature.is_not(None))
        .order_by(Article.id)
    )
    if upto is not None:
        query = query.where(Article.id <= upto)
    return [(r[0], r[1] or b"", r[2] or 0, bool(r[3])) for r in session.execute(query).all()]


def members_after(
    session: Session, last_id: int, active_since: datetime | None = None, upto: int | None = None
) -> list[Member]:
    """Story members stored after ``last_id`` (up to ``upto``), in id order (the order they were decided in).

    ``active_since``: only members of stories updated since then (the horizon a restart
    re-learns, as :meth:`crawler.stories.assigner.StoryAssigner.load` keeps).
    """
    query = member_query().join(Story, Story.id == Article.story_id).where(Article.id > last_id).order_by(Article.id)
    if active_since is not None:
        query = query.where(Story.updated_at >= active_since)
    if upto is not None:
        query = query.where(Article.id <= upto)
    return members(session, query)
