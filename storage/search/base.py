"""What every part of archive search shares: names, filters, rows, candidates, the sort key.

Internal to :mod:`storage.search` (the public names are re-exported there). The full-text
objects' names are here because migration 0004 created them under these names and
:func:`is_search_object` keeps them out of Alembic's autogenerate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from sqlalchemy import ColumnElement, String, and_, bindparam, case, func, literal, or_, select, type_coerce

from storage.schema import articles, sources
from storage.story_lookup import stories_reporting

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

    # What a search reads through: a Core connection (the CLI, which spares itself the ORM's
    # import, see storage.schema) or an ORM session (the API); the queries are Core on both.
    Reader: TypeAlias = Connection | Session

MARK_START = "«"
MARK_END = "»"
ELLIPSIS = "…"

PLAIN_SNIPPET = 160  # characters

FTS_TABLE = "articles_fts"
SEARCH_VECTOR = "search_vector"
SORT_KEY_INDEX = "ix_articles_sort_key"
SEARCH_VECTOR_INDEX = "ix_articles_search_vector"

Order = Literal["newest", "relevance"]
ORDERS: tuple[Order, ...] = ("newest", "relevance")

SPACE = re.compile(r"\s+")


def is_search_object(name: str | None, type_: str) -> bool:
    """True for the full-text objects of migration 0004, which the models do not describe.

    Alembic's ``include_name`` hook: autogenerate (and the models-match-migrations test)
    must neither drop them nor report them as differences.
    """
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    if type_ == "column":
        return name == SEARCH_VECTOR
    if type_ == "index":
        return name in (SORT_KEY_INDEX, SEARCH_VECTOR_INDEX)
    return False


@dataclass
class SearchFilters:
    """Filters of ``newswatch search`` (all optional).

    ``query`` is in the syntax of :mod:`storage.search.query`; a query that cannot be read raises
    :class:`storage.search.query.QueryError`. ``order`` is ``newest`` (by published time, else
    fetch time) or ``relevance`` (see the module docstring; without a query it is newest).
    ``offset`` skips that many results (paging).
    """

    query: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    language: str | None = None
    kind: str | None = None
    story_id: int | None = None
    include_irrelevant: bool = False
    limit: int = 50
    order: Order = "newest"
    offset: int = 0


@dataclass(frozen=True)
class ArticleRow:
    """An article as search shows it.

    ``snippet``: with a query, the best fragment of the text with matches between
    :data:`MARK_START` and :data:`MARK_END`; without, the start of the text. ``rank``: in
    relevance order, the BM25 score among the ranked candidates (higher is better; the same
    on both backends); None in newest order.
    """

    id: int
    url: str
    title: str
    source: str | None
    published: datetime | None
    fetched: datetime
    language: str | None
    relevant: bool | None
    duplicate_of: int | None
    duplicate_score: float | None
    duplicate_method: str | None
    is_seed: bool
    story_id: int | None
    event_kind: str | None
    snippet: str
    rank: float | None = None


@dataclass
class Candidate:
    """A match: its id, sort key, relevance score once ranked, and whether it passes the filters."""

    id: int
    key: datetime | str  # str: SQLite's stored text, which sorts as the time does
    score: float | None = None
    passes: bool = True  # passes the filters (relevance reads a window of matches first)


def raw_sort_key() -> ColumnElement[str]:
    """SQLite: the sort key as stored ('YYYY-MM-DD HH:MM:SS.ffffff' UTC, sorts as time does).

    Comparing these strings instead of converting thousands of candidates to aware
    datetimes per query saves a good part of a batch's cost.
    """
    return type_coerce(sort_key(), String)


def sort_key() -> ColumnElement[datetime]:
    """coalesce(published_at, fetched_at): the time ``newest`` orders by."""
    # Written exactly as in ix_articles_sort_key, so both backends use the index.
    return func.coalesce(articles.c.published_at, articles.c.fetched_at)


def conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    """The non-text filters, on ``articles`` alone (no join needed)."""
    key = sort_key()
    conditions: list[ColumnElement[bool]] = []
    if filters.since:
        conditions.append(key >= filters.since)
    if filters.until:
        conditions.append(key < filters.until)
    if filters.source:
        conditions.append(articles.c.source_id.in_(select(sources.c.id).where(sources.c.name == filters.source)))
    if filters.language:
        conditions.append(articles.c.language == filters.language)
    if filters.story_id is not None:
        conditions.append(articles.c.story_id == filters.story_id)
    if filters.kind:
        # The story's events as it reports them: one folded into another counts as that one.
        conditions.append(articles.c.story_id.in_(stories_reporting(filters.kind)))
    if not filters.include_irrelevant:
        conditions.append(or_(articles.c.relevant.is_(None), articles.c.relevant.is_(True)))
    return conditions


def newest_first(candidates: list[Candidate]) -> list[Candidate]:
    """Newest first by the sort key, ties by id (the order of ``newest``)."""
    return sorted(candidates, key=lambda c: (c.key, c.id), reverse=True)


def candidate_columns(filters: SearchFilters) -> list[Any]:
    """After the id: the sort key and whether the row passes the filters."""
    filters_sql = conditions(filters)
    passes = case((and_(*filters_sql), 1), else_=0) if filters_sql else literal(1)
    return [raw_sort_key(), passes]


def candidate(row: Any, filters: SearchFilters) -> Candidate:
    """A candidate from a row of (id, sort key, passes)."""
    return Candidate(row[0], row[1], passes=bool(row[2]))


def ids_param() -> Any:
    """The ``:ids`` parameter of an ``IN`` over a list of article ids."""
    # One expanding parameter: SQLAlchemy coerces a literal list element by element.
    return bindparam("ids", expanding=True)
