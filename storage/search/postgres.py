"""Archive search on PostgreSQL: the generated ``search_vector`` (GIN index), ts_headline snippets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, literal, literal_column, select

from storage.schema import articles
from storage.search import ranking
from storage.search.base import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    SEARCH_VECTOR,
    SPACE,
    Candidate,
    SearchFilters,
    candidate,
    candidate_columns,
    conditions,
    ids_param,
    sort_key,
)
from storage.search.query import Query, to_tsquery

if TYPE_CHECKING:
    from storage.search.base import Reader


def _tsquery(query: Query) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'"), literal(to_tsquery(query)))


def _search_vector() -> ColumnElement[Any]:
    return literal_column(f"articles.{SEARCH_VECTOR}")


def candidates(session: Reader, query: Query, filters: SearchFilters) -> list[Candidate]:
    """The matches passing the filters that decide the page (see :func:`relevance_window`)."""
    tsq = _tsquery(query)
    vector = _search_vector()
    key = sort_key()
    columns = [articles.c.id, key, *candidate_columns(filters)[1:]]
    if filters.order == "relevance":
        # As on SQLite: the candidates' worth of passing matches first (usually one read of
        # a quarter of the window), the rest of the ranking.RELEVANCE_SCAN newest only when fewer
        # pass there. Each match read costs a tsvector check (detoasted) in the heap.
        wanted = max(ranking.RELEVANCE_CANDIDATES, filters.offset + filters.limit)
        newest = select(*columns).where(vector.op("@@")(tsq)).order_by(key.desc(), articles.c.id.desc())
        first = min(ranking.RELEVANCE_SCAN, wanted + wanted // 4)
        window = [candidate(row, filters) for row in session.execute(newest.limit(first))]
        if len(window) == first < ranking.RELEVANCE_SCAN and sum(c.passes for c in window) < wanted:
            rest = newest.offset(first).limit(ranking.RELEVANCE_SCAN - first)
            window += [candidate(row, filters) for row in session.execute(rest)]
        candidates = ranking.relevance_window(window, filters)
        if candidates is not None:
            return candidates
    rows = session.execute(
        select(*columns)
        .where(vector.op("@@")(tsq), *conditions(filters))
        .order_by(key.desc(), articles.c.id.desc())
        .limit(filters.offset + filters.limit)
    )
    return [candidate(row, filters) for row in rows]


def snippets(session: Reader, query: Query, ids: list[int]) -> dict[int, str]:
    """``ts_headline`` of the text of each of ``ids``, matches marked, cuts shown as FTS5 shows them."""
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=0, "
        "MaxFragments=1, HighlightAll=false"
    )
    headline = func.ts_headline(literal_column("'simple'"), articles.c.text, _tsquery(query), literal(options))
    rows = session.execute(
        select(articles.c.id, headline, articles.c.text).where(articles.c.id.in_(ids_param())), {"ids": ids}
    ).all()
    snippets: dict[int, str] = {}
    for article_id, fragment, body in rows:
        fragment = SPACE.sub(" ", fragment or "").strip()
        plain = fragment.replace(MARK_START, "").replace(MARK_END, "")
        flat = SPACE.sub(" ", body or "").strip()
        # ts_headline marks no cut; FTS5's snippet does: show the same ellipses.
        if plain and not flat.startswith(plain):
            fragment = ELLIPSIS + fragment
        if plain and not flat.endswith(plain):
            fragment += ELLIPSIS
        snippets[article_id] = fragment
    return snippets
