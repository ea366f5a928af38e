"""Archive search on SQLite: FTS5 matches read newest first in growing batches, snippets.

Matches are read from ``articles_fts`` in descending rowid order (rowid = article id,
ascending with the time an article was stored) in growing batches until the ``need``
newest-by-date are known: once a batch yields them, articles stored earlier can only rank
higher when their date is later than the ``need``-th candidate's, and those few are looked
up through the sort-key index and checked (an article dated after the time it was stored).
This keeps a very common word from joining every one of its matches to ``articles`` and
sorting them. bm25() is never called (see :mod:`storage.search.ranking`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, String, bindparam, column, func, literal_column, select, table, text, type_coerce

from storage.schema import articles
from storage.search import ranking
from storage.search.base import (
    ELLIPSIS,
    FTS_TABLE,
    MARK_END,
    MARK_START,
    SORT_KEY_INDEX,
    SPACE,
    Candidate,
    SearchFilters,
    candidate,
    candidate_columns,
    ids_param,
    newest_first,
    raw_sort_key,
)
from storage.search.query import Query, to_fts5

if TYPE_CHECKING:
    from storage.search.base import Reader

# SQLite: matches read per FTS5 batch at first, and the most a batch grows to.
FIRST_BATCH = 256
MAX_BATCH = 16_384
# SQLite: articles dated after the need-th candidate are walked (through the sort-key
# index) to find those stored before the batches read; past this many, reading further
# batches is cheaper.
MAX_NEWER = 50_000
SNIPPET_TOKENS = 24


_fts = table(FTS_TABLE, column("rowid"))


def _match() -> ColumnElement[bool]:
    return literal_column(FTS_TABLE).op("MATCH")(bindparam("match"))


def _batch(
    session: Reader, match: str, filters: SearchFilters, below: int | None, size: int
) -> tuple[list[Candidate], int | None, bool]:
    """One batch of FTS5 matches below rowid ``below``: (matches, lowest rowid, last batch).

    Each match says whether it passes the filters. No bm25() here: its document
    frequencies cost a scan of each word's whole doclist per statement (seconds for a word
    in most of a million articles).
    """
    fts_rowid = _fts.c.rowid
    inner = select(fts_rowid.label("rid")).where(_match())
    if below is not None:
        inner = inner.where(fts_rowid < below)
    batch = inner.order_by(fts_rowid.desc()).limit(size).subquery("m")
    columns = candidate_columns(filters)
    rows = session.execute(select(batch.c.rid, *columns).join(articles, articles.c.id == batch.c.rid), {"match": match})
    found = [candidate(row, filters) for row in rows]
    lowest = min((c.id for c in found), default=None)
    return found, lowest, len(found) < size


# Written out to name the index: with "id < :below" SQLite's planner would rather walk the
# rowid range, every article stored before the batches read.
_OUTLIER_IDS = text(
    f"SELECT id FROM articles INDEXED BY {SORT_KEY_INDEX} "
    "WHERE coalesce(published_at, fetched_at) > :after AND id < :below"
)


def _outliers(
    session: Reader, match: str, filters: SearchFilters, after: datetime | str, below: int
) -> list[Candidate] | None:
    """Matches stored before rowid ``below`` yet dated after ``after``.

    None when more than :data:`MAX_NEWER` articles are dated after ``after`` (a rare word,
    or a filter few pass, whose need-th candidate is old): walking them would cost more
    than reading the word's remaining matches, which the caller does instead.
    """
    key = raw_sort_key()
    newer = select(articles.c.id).where(key > type_coerce(after, String))
    # Two walks of the sort-key index inside SQLite, no rows to Python: is it short enough,
    # then which of them were stored before ``below`` (few: dates follow storage order).
    if session.scalar(newer.limit(1).offset(MAX_NEWER)) is not None:
        return None
    ids = list(session.scalars(_OUTLIER_IDS, {"after": after, "below": below}))
    if not ids:
        return []
    fts_rowid = _fts.c.rowid
    matched = select(fts_rowid.label("rid")).where(_match(), fts_rowid.in_(ids_param())).subquery("m")
    rows = session.execute(
        select(matched.c.rid, *candidate_columns(filters)).join(articles, articles.c.id == matched.c.rid),
        {"match": match, "ids": ids},
    )
    return [candidate(row, filters) for row in rows]


class _NewestScan:
    """Reads a query's FTS5 matches newest first, in growing batches, for one search.

    Kept across calls so that relevance order, when its window holds too few passing
    matches, goes on from where the window stopped instead of reading it again.
    """

    def __init__(self, session: Reader, match: str, filters: SearchFilters) -> None:
        self.session, self.match, self.filters = session, match, filters
        self.found: list[Candidate] = []  # every match read by batches, rowid >= below
        self.below: int | None = None
        self.size = 0
        self.done = False

    def newest(self, need: int, cap: int | None = None) -> list[Candidate]:
        """At least the ``need`` newest matches passing the filters, or the ``cap`` newest
        matches (passing or not) when fewer than ``need`` pass among them, or all matches.

        Exact: see the module docstring. The result may hold more, and non-passing ones.
        """
        self.size = max(self.size, FIRST_BATCH, need + need // 4)  # a few matches fail the filters
        while not self.done:
            batch, lowest, self.done = _batch(self.session, self.match, self.filters, self.below, self.size)
            self.found += batch
            if self.done or lowest is None:
                break
            self.below = lowest
            passing = [c for c in self.found if c.passes]
            nth: Candidate | None = None
            if len(passing) >= need:
                nth = newest_first(passing)[need - 1]
            elif cap is not None and len(self.found) >= cap:
                nth = newest_first(self.found)[cap - 1]
            if nth is not None:
                # Matches stored earlier but dated later: not kept in found, since the
                # next batches read them again.
                outliers = _outliers(self.session, self.match, self.filters, nth.key, self.below)
                if outliers is not None:
                    return self.found + outliers
            self.size = min(self.size * 2, MAX_BATCH)
            if cap is not None and len(self.found) < cap and len(passing) * cap < need * len(self.found):
                # At this pass rate the cap comes first: read up to it in one more batch.
                self.size = max(self.size, cap - len(self.found) + cap // 8)
        return list(self.found)


def candidates(session: Reader, query: Query, filters: SearchFilters) -> list[Candidate]:
    """The matches passing the filters that decide the page (see :func:`relevance_window`)."""
    scan = _NewestScan(session, to_fts5(query), filters)
    page_end = filters.offset + filters.limit
    if filters.order == "relevance":
        # Enough to know the window of relevance_window: the candidates' worth of passing
        # matches when they lie among the ranking.RELEVANCE_SCAN newest (the usual case: reads a
        # quarter of the window), else the ranking.RELEVANCE_SCAN newest themselves.
        wanted = max(ranking.RELEVANCE_CANDIDATES, page_end)
        candidates = ranking.relevance_window(scan.newest(wanted, cap=ranking.RELEVANCE_SCAN), filters)
        if candidates is not None:
            return candidates
    return [c for c in scan.newest(page_end) if c.passes]


def snippets(session: Reader, query: Query, ids: list[int]) -> dict[int, str]:
    """FTS5 ``snippet()`` of the text of each of ``ids``, matches marked."""
    fts_rowid = _fts.c.rowid
    snippet = func.snippet(
        literal_column(FTS_TABLE), 1, MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS
    )  # column 1 = text
    rows = session.execute(
        select(fts_rowid, snippet).where(_match(), fts_rowid.in_(ids_param())), {"match": to_fts5(query), "ids": ids}
    ).all()
    return {r[0]: SPACE.sub(" ", r[1] or "").strip() for r in rows}
