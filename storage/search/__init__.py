"""Archive search: full-text on SQLite FTS5 and PostgreSQL tsvector, filters, two orders.

The full-text objects are created by migration 0004 and live outside the models (Alembic
does not know FTS5 virtual tables or generated tsvector columns; :func:`is_search_object`
keeps them out of autogenerate):

* SQLite: ``articles_fts``, an external-content FTS5 table over ``articles(title, text)``
  (tokenizer ``unicode61`` with marks kept inside words), kept in sync by triggers;
* PostgreSQL: ``articles.search_vector``, a generated ``tsvector`` ('simple' configuration:
  no stemming, no stop words, the same for every language; title and text one position
  apart, migration 0006, so phrases stay within a column as in FTS5) with a GIN index;
* both: ``ix_articles_sort_key`` on ``coalesce(published_at, fetched_at), id``, the order of
  "newest first".

Orders. ``newest`` is exact on both backends. On SQLite, matches are read from FTS5 in
descending rowid order (rowid = article id, ascending with the time an article was stored)
in growing batches until the ``need`` newest-by-date are known: once a batch yields them,
articles stored earlier can only rank higher when their date is later than the
``need``-th candidate's, and those few are looked up through the sort-key index and checked
(an article dated after the time it was stored). This keeps a very common word from
joining every one of its matches to ``articles`` and sorting them.

``relevance`` ranks the ``RELEVANCE_CANDIDATES`` newest matches that pass the filters
among the ``RELEVANCE_SCAN`` newest matches (when fewer than a page pass there: the newest
page of passing matches) by BM25 over the title (counted twice) and the lede, computed in
Python from the candidates' own statistics, the same way on both backends (see
:mod:`storage.search.ranking`): ranking all matches of a very common word takes seconds at
a million articles (FTS5's bm25() alone scans the word's whole doclist for its document
frequency), and an analyst searching the archive wants the best of recent coverage first.
When fewer articles match, every match is ranked. Ties keep newest first.

Snippets are the best fragment of the text with each match between :data:`MARK_START` and
:data:`MARK_END` (plain text: HTML consumers escape the snippet, then replace the markers).

Modules, each depending only on those before it: :mod:`~storage.search.query` (the query
language: parsed, compiled to MATCH and tsquery), :mod:`~storage.search.base` (names,
filters, rows, the sort key), :mod:`~storage.search.ranking` (relevance window and BM25),
:mod:`~storage.search.sqlite` and :mod:`~storage.search.postgres` (the backends), and this
package, which runs a search and builds its rows.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from storage.schema import articles, sources
from storage.search import postgres, ranking, sqlite
from storage.search.base import (
    ELLIPSIS,
    FTS_TABLE,
    MARK_END,
    MARK_START,
    ORDERS,
    PLAIN_SNIPPET,
    SEARCH_VECTOR,
    SEARCH_VECTOR_INDEX,
    SORT_KEY_INDEX,
    SPACE,
    ArticleRow,
    Candidate,
    Order,
    SearchFilters,
    conditions,
    ids_param,
    is_search_object,
    sort_key,
)
from storage.search.query import QueryError, parse_query
from storage.story_lookup import first_event_kind, resolve

if TYPE_CHECKING:
    from storage.search.base import Reader

__all__ = [
    "ELLIPSIS",
    "FTS_TABLE",
    "MARK_END",
    "MARK_START",
    "ORDERS",
    "SEARCH_VECTOR",
    "SEARCH_VECTOR_INDEX",
    "SORT_KEY_INDEX",
    "ArticleRow",
    "Order",
    "QueryError",
    "SearchFilters",
    "is_search_object",
    "search",
]


def _plain_snippet(text: str, width: int = PLAIN_SNIPPET) -> str:
    """The start of the text (no query to centre on)."""
    piece = SPACE.sub(" ", text[: width * 2]).strip()
    return piece[:width] + (ELLIPSIS if len(piece) > width or len(text) >= width * 2 else "")


def _list_newest(session: Reader, filters: SearchFilters) -> list[Candidate]:
    key = sort_key()
    rows = session.execute(
        select(articles.c.id, key)
        .where(*conditions(filters))
        .order_by(key.desc(), articles.c.id.desc())
        .offset(filters.offset)
        .limit(filters.limit)
    ).all()
    return [Candidate(r[0], r[1]) for r in rows]


def _rows(session: Reader, picked: list[Candidate], snippets: dict[int, str] | None, ranked: bool) -> list[ArticleRow]:
    if not picked:
        return []
    # The story's kind as /stories shows it (storage.stories.list_stories): its first event's.
    event_kind = first_event_kind(articles.c.story_id)
    # Columns, not entities: the signature blob and the full text are not needed here.
    start = func.coalesce(func.substr(articles.c.text, 1, 2 * PLAIN_SNIPPET), articles.c.summary, "")
    columns = (
        articles.c.id,
        articles.c.url,
        articles.c.title,
        sources.c.name,
        articles.c.published_at,
        articles.c.fetched_at,
        articles.c.language,
        articles.c.relevant,
        articles.c.duplicate_of,
        articles.c.duplicate_score,
        articles.c.duplicate_method,
        articles.c.is_seed,
        articles.c.story_id,
        event_kind,
        start,
    )
    statement = (
        select(*columns).outerjoin(sources, sources.c.id == articles.c.source_id).where(articles.c.id.in_(ids_param()))
    )
    loaded = {row[0]: row for row in session.execute(statement, {"ids": [c.id for c in picked]})}
    rows = []
    for candidate in picked:
        row = loaded[candidate.id]
        snippet = (snippets or {}).get(candidate.id) or _plain_snippet(row[14] or "")
        rows.append(
            ArticleRow(
                id=row[0],
                url=row[1],
                title=row[2],
                source=row[3],
                published=row[4],
                fetched=row[5],
                language=row[6],
                relevant=row[7],
                duplicate_of=row[8],
                duplicate_score=row[9],
                duplicate_method=row[10],
                is_seed=row[11],
                story_id=row[12],
                event_kind=row[13],
                snippet=snippet,
                rank=candidate.score if ranked else None,
            )
        )
    return rows


def search(session: Reader, filters: SearchFilters) -> list[ArticleRow]:
    """Archive search: the page of articles matching ``filters``, in ``filters.order``.

    ``session`` is an ORM session or a Core connection (the queries are Core).

    Without a query, every article passing the filters, newest first. ``story_id`` of a story
    merged into another finds the articles of the one it was merged into. Raises
    :class:`storage.search.query.QueryError` for a query that cannot be read.
    """
    if filters.order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {filters.order!r}")
    if filters.limit < 1 or filters.offset < 0:
        raise ValueError("limit must be at least 1 and offset at least 0")
    query = parse_query(filters.query)
    if filters.story_id is not None:
        # A story merged into another (one event found in both) lives on as the one that stays,
        # which holds its articles now: its id keeps finding them, as in /stories/{id}.
        filters = dataclasses.replace(filters, story_id=resolve(session, filters.story_id) or filters.story_id)
    if query is None:
        return _rows(session, _list_newest(session, filters), None, ranked=False)
    dialect = session.dialect if isinstance(session, Connection) else session.get_bind().dialect
    backend = postgres if dialect.name == "postgresql" else sqlite
    candidates = backend.candidates(session, query, filters)
    picked = ranking.pick(session, query, candidates, filters)
    if not picked:
        return []
    ids = [c.id for c in picked]
    snippets = backend.snippets(session, query, ids)
    return _rows(session, picked, snippets, ranked=filters.order == "relevance")
