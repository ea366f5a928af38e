"""Queries of the cluster mode: the job queue's tables, and what a worker catches up on.

In the cluster mode (docs/scaling.md) every worker keeps the dedup index and the story
state in memory, as the single process does, but other workers write too. Those indexes
are a cache of the archive: before a decision, under the cluster-wide decision lock, a
worker loads the rows written since the last id it has seen (:func:`signatures_after`,
:func:`members_after`) and follows the story merges other workers made
(:func:`merges_after`). Article ids are handed out inside the locked decision
transaction, so they are committed in id order and "id above the mark" misses nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select, text

from storage.crawl_runs import INTERRUPTED
from storage.db import utcnow
from storage.models import Article, Story
from storage.stories import Member, member_query, members

if TYPE_CHECKING:
    from collections.abc import Collection

    from sqlalchemy.orm import Session

# procrastinate names every object of its schema (migration 0007) with the first prefix;
# the cluster's per-host politeness tables (0008) have the second.
CLUSTER_PREFIXES = ("procrastinate_", "cluster_host")
# The task name of a poll job (scheduler.cluster.queue.POLL; storage may not import the scheduler).
POLL_TASK = "poll_source"


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


def merge_marker(session: Session) -> tuple[int, int]:
    """A cheap fingerprint of the story merges in the archive: (count, sum of ids) of the merged stories.

    It changes whenever a story is merged (an index-only read of ``stories.merged_into``),
    so a worker looks for merges (:func:`merges_after`) only when one happened.
    """
    row = session.execute(
        select(func.count(Story.id), func.coalesce(func.sum(Story.id), 0)).where(Story.merged_into.is_not(None))
    ).one()
    return int(row[0]), int(row[1])


def merges_after(session: Session, story_ids: Collection[int]) -> list[tuple[int, int]]:
    """(survivor, absorbed) of the stories among ``story_ids`` that were merged into another, by absorbed id.

    ``story_ids``: the stories a worker's story state holds. A merge points the absorbed
    story (and every story merged into it before) straight at the survivor
    (:func:`storage.stories.merge_stories`), so ``merged_into`` is already the final story.
    """
    if not story_ids:
        return []
    known = set(story_ids)
    # Bounded below by the oldest story held, filtered here: no parameter list as long as the state.
    rows = session.execute(
        select(Story.merged_into, Story.id)
        .where(Story.id >= min(known), Story.merged_into.is_not(None))
        .order_by(Story.id)
    ).all()
    return [(int(r[0] or 0), int(r[1])) for r in rows if r[1] in known]


# The error of a run closed because the worker running it is gone.
ORPHANED = "the worker running the poll stopped before the run ended"


def close_orphaned_runs(session: Session, sources: list[str] | None = None, *, stalled: bool = False) -> list[int]:
    """Close as ``interrupted`` the ``running`` crawl runs whose worker is gone; their ids.

    A worker killed mid-poll, or whose poll failed as the database went away, leaves its
    run ``running``. Polls of one source run one at a time (their jobs share a lock), a
    poll opens at most one run, and its job is ``doing`` before the run opens and until it
    closes. So in one statement's snapshot a run is orphaned when no poll job of its source
    is ``doing``, or when a newer run of its source exists.

    ``sources``: only those sources' runs (through the runs' source index); without it,
    every run (a scan of crawl_runs). ``stalled``: each source's one ``doing`` job is a
    stalled job about to be handed back, so every open run of the source is orphaned.
    """
    params: dict[str, object] = {"status": INTERRUPTED, "error": ORPHANED, "now": utcnow(), "task": POLL_TASK}
    only = ""
    if sources is not None:
        if not sources:
            return []
        only = "AND s.name = ANY(:sources)"
        params["sources"] = sources
    orphaned = (
        ""
        if stalled
        else (
            "AND (NOT EXISTS (SELECT 1 FROM procrastinate_jobs j WHERE j.task_name = :task "
            "AND j.status = 'doing' AND j.args->>'source' = s.name) "
            "OR EXISTS (SELECT 1 FROM crawl_runs newer WHERE newer.source_id = r.source_id AND newer.id > r.id))"
        )
    )
    rows = session.execute(
        text(
            "UPDATE crawl_runs r SET status = :status, finished_at = :now, error = :error FROM sources s "
            f"WHERE s.id = r.source_id AND r.status = 'running' AND r.finished_at IS NULL {only} {orphaned} "
            "RETURNING r.id"
        ),
        params,
    ).all()
    return sorted(int(r[0]) for r in rows)
