"""Reading a story's identity and events on the Core tables: what archive search needs of stories.

Here, apart from :mod:`storage.stories`, so that search runs without the ORM (see
:mod:`storage.schema`); every function works on a Core connection and on an ORM session
alike, and :mod:`storage.stories` offers them under the same names.

An event found to be another (``events.merged_into``, :func:`storage.events.fold_event`)
keeps its row and its story; wherever a user reads a story's events it counts as the event
it was folded into, once. ``fold_event`` points every event folded into an absorbed one at
the survivor, so ``merged_into`` is always one step from a live event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from storage.schema import events, stories

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, ScalarSelect, Select
    from sqlalchemy.orm import InstrumentedAttribute


def story_exists(db: Any, story_id: int) -> bool:
    """Whether story ``story_id`` has a row (merged or not); ``db`` is a connection or a session."""
    return db.execute(select(stories.c.id).where(stories.c.id == story_id)).first() is not None


def resolve(db: Any, story_id: int) -> int | None:
    """The story ``story_id`` is now: itself, or the story it was merged into; None if unknown.

    ``db`` is a connection or a session.
    """
    seen: set[int] = set()
    current: int | None = story_id
    while current is not None and current not in seen:
        seen.add(current)
        row = db.execute(select(stories.c.id, stories.c.merged_into).where(stories.c.id == current)).first()
        if row is None:
            return None
        if row.merged_into is None:
            return int(row.id)
        current = int(row.merged_into)
    return current


def _survivor() -> Any:
    """An alias of ``events`` for the surviving event of an event row (itself when not folded)."""
    return events.alias("survivor")


def stories_reporting(kind: str) -> Select[Any]:
    """Ids of the stories that report a live event of ``kind`` (a subquery for ``IN``)."""
    survivor = _survivor()
    return (
        select(events.c.story_id)
        .join(survivor, survivor.c.id == func.coalesce(events.c.merged_into, events.c.id))
        .where(survivor.c.kind == kind)
    )


def first_event_kind(story_id: ColumnElement[int | None] | InstrumentedAttribute[int | None]) -> ScalarSelect[str]:
    """The kind of the oldest live event story ``story_id`` (a column) reports: a correlated scalar subquery."""
    survivor = _survivor()
    return (
        select(survivor.c.kind)
        .select_from(events)
        .join(survivor, survivor.c.id == func.coalesce(events.c.merged_into, events.c.id))
        .where(events.c.story_id == story_id)
        .order_by(survivor.c.id)
        .limit(1)
        .scalar_subquery()
    )
