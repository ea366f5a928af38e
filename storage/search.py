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

``relevance`` ranks the :data:`RELEVANCE_CANDIDATES` newest matches that pass the filters
among the :data:`RELEVANCE_SCAN` newest matches (when fewer than a page pass there: the
newest page of passing matches) by BM25 over the title (counted twice) and the lede,
computed in Python from the candidates' own statistics, the same way on both backends
(see :func:`_score`): ranking all matches of a very common word takes seconds at a million
articles (FTS5's bm25() alone scans the word's whole doclist for its document frequency),
and an analyst searching the archive wants the best of recent coverage first. When fewer
articles match, every match is ranked. Ties keep newest first.

Snippets are the best fragment of the text with each match between :data:`MARK_START` and
:data:`MARK_END` (plain text: HTML consumers escape the snippet, then replace the markers).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    type_coerce,
)

from storage.models import Article, Event, Source
from storage.query import Query, count_term, parse_query, to_fts5, to_tsquery

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MARK_START = "«"
MARK_END = "»"
ELLIPSIS = "…"
# How many of the newest matches relevance order ranks (see the module docstring).
RELEVANCE_CANDIDATES = 500
# Relevance: characters of the text scored with the title; the newest matches (before
# filters) among which the candidates are taken.
LEDE_CHARS = 1000
RELEVANCE_SCAN = 2_000
# SQLite: matches read per FTS5 batch at first, and the most a batch grows to.
FIRST_BATCH = 256
MAX_BATCH = 16_384
# SQLite: articles dated after the need-th candidate are walked (through the sort-key
# index) to find those stored before the batches read; past this many, reading further
# batches is cheaper.
MAX_NEWER = 50_000
SNIPPET_TOKENS = 24
PLAIN_SNIPPET = 160  # characters

FTS_TABLE = "articles_fts"
SEARCH_VECTOR = "search_vector"
SORT_KEY_INDEX = "ix_articles_sort_key"
SEARCH_VECTOR_INDEX = "ix_articles_search_vector"

Order = Literal["newest", "relevance"]
ORDERS: tuple[Order, ...] = ("newest", "relevance")

_SPACE = re.compile(r"\s+")


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

    ``query`` is in the syntax of :mod:`storage.query`; a query that cannot be read raises
    :class:`storage.query.QueryError`. ``order`` is ``newest`` (by published time, else
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
class _Candidate:
    id: int
    key: datetime | str  # str: SQLite's stored text, which sorts as the time does
    score: float | None = None
    passes: bool = True  # passes the filters (relevance reads a window of matches first)


def _raw_sort_key() -> ColumnElement[str]:
    """SQLite: the sort key as stored ('YYYY-MM-DD HH:MM:SS.ffffff' UTC, sorts as time does).

    Comparing these strings instead of converting thousands of candidates to aware
    datetimes per query saves a good part of a batch's cost.
    """
    return type_coerce(_sort_key(), String)


def _sort_key() -> ColumnElement[datetime]:
    # Written exactly as in ix_articles_sort_key, so both backends use the index.
    return func.coalesce(Article.published_at, Article.fetched_at)


def _conditions(filters: SearchFilters) -> list[ColumnElement[bool]]:
    """The non-text filters, on ``articles`` alone (no join needed)."""
    key = _sort_key()
    conditions: list[ColumnElement[bool]] = []
    if filters.since:
        conditions.append(key >= filters.since)
    if filters.until:
        conditions.append(key < filters.until)
    if filters.source:
        conditions.append(Article.source_id.in_(select(Source.id).where(Source.name == filters.source)))
    if filters.language:
        conditions.append(Article.language == filters.language)
    if filters.story_id is not None:
        conditions.append(Article.story_id == filters.story_id)
    if filters.kind:
        conditions.append(Article.story_id.in_(select(Event.story_id).where(Event.kind == filters.kind)))
    if not filters.include_irrelevant:
        conditions.append(or_(Article.relevant.is_(None), Article.relevant.is_(True)))
    return conditions


def _newest_first(candidates: list[_Candidate]) -> list[_Candidate]:
    return sorted(candidates, key=lambda c: (c.key, c.id), reverse=True)


def _pick(session: Session, query: Query, candidates: list[_Candidate], filters: SearchFilters) -> list[_Candidate]:
    """The page of ``candidates`` (newest first, passing the filters) in the asked order."""
    ordered = _newest_first(candidates)
    if filters.order == "relevance":
        ordered = ordered[: max(RELEVANCE_CANDIDATES, filters.offset + filters.limit)]
        _score(session, query, ordered)
        # Stable sort: equal scores stay newest first.
        ordered.sort(key=lambda c: c.score or 0.0, reverse=True)
    return ordered[filters.offset : filters.offset + filters.limit]


def _score(session: Session, query: Query, candidates: list[_Candidate]) -> None:
    """Set each candidate's BM25 score over its title (counted twice) and lede.

    Computed here, the same way on both backends (so both give the same order), from
    statistics of the candidates themselves: the inverse document frequency of a word is
    its rarity among the recent matches, which is what ranking within them needs, and it
    costs nothing like FTS5's bm25(), whose global counts scan each word's whole doclist.
    The lede (first :data:`LEDE_CHARS` characters) is where news puts its news, and keeps
    the cost independent of article length. Matches are counted with regexes
    (:func:`storage.query.count_term`), a few microseconds per article.
    """
    if not candidates:
        return
    # Read here, for the chosen candidates only: reading texts with every match of the
    # window would ship four times as many.
    texts: dict[int, tuple[str, str]] = {}
    ids = [c.id for c in candidates]
    for start in range(0, len(ids), 500):
        statement = select(Article.id, *_ranked_text()).where(Article.id.in_(_ids()))
        for article_id, title, lede in session.execute(statement, {"ids": ids[start : start + 500]}):
            texts[article_id] = (title, lede)
    clauses = [clause.terms for clause in query.included]
    counts: list[list[int]] = []
    lengths: list[int] = []
    for candidate in candidates:
        title, text = texts.get(candidate.id, ("", ""))
        title, text = (title or "").lower(), (text or "").lower()
        counts.append([sum(2 * count_term(t, title) + count_term(t, text) for t in terms) for terms in clauses])
        lengths.append(2 * (title.count(" ") + 1) + text.count(" ") + 1)  # words, near enough
    n = len(candidates)
    average = sum(lengths) / n
    k1, b = 1.2, 0.75
    weights = []
    for index in range(len(clauses)):
        df = sum(1 for row in counts if row[index])
        weights.append(math.log(1 + (n - df + 0.5) / (df + 0.5)))
    for candidate, row, length in zip(candidates, counts, lengths, strict=True):
        norm = k1 * (1 - b + b * length / average)
        score = sum(w * tf * (k1 + 1) / (tf + norm) for w, tf in zip(weights, row, strict=True) if tf)
        candidate.score = round(score, 6)


def _ranked_text() -> tuple[Any, Any]:
    """The title and lede that relevance scores."""
    return Article.title, func.substr(Article.text, 1, LEDE_CHARS)


def _relevance_window(window: list[_Candidate], filters: SearchFilters) -> list[_Candidate] | None:
    """The candidates relevance ranks, from the newest matches before filters; None: too few.

    The :data:`RELEVANCE_CANDIDATES` newest that pass the filters among the
    :data:`RELEVANCE_SCAN` newest matches. When fewer than a page pass (a filter few
    matches pass), the caller reads the newest page of passing matches instead, whatever
    their age: the same rule on both backends.
    """
    passing = [c for c in _newest_first(window)[:RELEVANCE_SCAN] if c.passes]
    if len(passing) < filters.offset + filters.limit and len(window) >= RELEVANCE_SCAN:
        return None
    return passing[: max(RELEVANCE_CANDIDATES, filters.offset + filters.limit)]


# --- SQLite ------------------------------------------------------------------------------

_fts = table(FTS_TABLE, column("rowid"))


def _match() -> ColumnElement[bool]:
    return literal_column(FTS_TABLE).op("MATCH")(bindparam("match"))


def _sqlite_batch(
    session: Session, match: str, filters: SearchFilters, below: int | None, size: int
) -> tuple[list[_Candidate], int | None, bool]:
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
    columns = _candidate_columns(filters)
    rows = session.execute(select(batch.c.rid, *columns).join(Article, Article.id == batch.c.rid), {"match": match})
    found = [_candidate(row, filters) for row in rows]
    lowest = min((c.id for c in found), default=None)
    return found, lowest, len(found) < size


def _candidate_columns(filters: SearchFilters) -> list[Any]:
    """After the id: the sort key and whether the row passes the filters."""
    conditions = _conditions(filters)
    passes = case((and_(*conditions), 1), else_=0) if conditions else literal(1)
    return [_raw_sort_key(), passes]


def _candidate(row: Any, filters: SearchFilters) -> _Candidate:
    return _Candidate(row[0], row[1], passes=bool(row[2]))


# Written out to name the index: with "id < :below" SQLite's planner would rather walk the
# rowid range, every article stored before the batches read.
_OUTLIER_IDS = text(
    f"SELECT id FROM articles INDEXED BY {SORT_KEY_INDEX} "
    "WHERE coalesce(published_at, fetched_at) > :after AND id < :below"
)


def _sqlite_outliers(
    session: Session, match: str, filters: SearchFilters, after: datetime | str, below: int
) -> list[_Candidate] | None:
    """Matches stored before rowid ``below`` yet dated after ``after``.

    None when more than :data:`MAX_NEWER` articles are dated after ``after`` (a rare word,
    or a filter few pass, whose need-th candidate is old): walking them would cost more
    than reading the word's remaining matches, which the caller does instead.
    """
    key = _raw_sort_key()
    newer = select(Article.id).where(key > type_coerce(after, String))
    # Two walks of the sort-key index inside SQLite, no rows to Python: is it short enough,
    # then which of them were stored before ``below`` (few: dates follow storage order).
    if session.scalar(newer.limit(1).offset(MAX_NEWER)) is not None:
        return None
    ids = list(session.scalars(_OUTLIER_IDS, {"after": after, "below": below}))
    if not ids:
        return []
    fts_rowid = _fts.c.rowid
    matched = select(fts_rowid.label("rid")).where(_match(), fts_rowid.in_(_ids())).subquery("m")
    rows = session.execute(
        select(matched.c.rid, *_candidate_columns(filters)).join(Article, Article.id == matched.c.rid),
        {"match": match, "ids": ids},
    )
    return [_candidate(row, filters) for row in rows]


class _NewestScan:
    """Reads a query's FTS5 matches newest first, in growing batches, for one search.

    Kept across calls so that relevance order, when its window holds too few passing
    matches, goes on from where the window stopped instead of reading it again.
    """

    def __init__(self, session: Session, match: str, filters: SearchFilters) -> None:
        self.session, self.match, self.filters = session, match, filters
        self.found: list[_Candidate] = []  # every match read by batches, rowid >= below
        self.below: int | None = None
        self.size = 0
        self.done = False

    def newest(self, need: int, cap: int | None = None) -> list[_Candidate]:
        """At least the ``need`` newest matches passing the filters, or the ``cap`` newest
        matches (passing or not) when fewer than ``need`` pass among them, or all matches.

        Exact: see the module docstring. The result may hold more, and non-passing ones.
        """
        self.size = max(self.size, FIRST_BATCH, need + need // 4)  # a few matches fail the filters
        while not self.done:
            batch, lowest, self.done = _sqlite_batch(self.session, self.match, self.filters, self.below, self.size)
            self.found += batch
            if self.done or lowest is None:
                break
            self.below = lowest
            passing = [c for c in self.found if c.passes]
            nth: _Candidate | None = None
            if len(passing) >= need:
                nth = _newest_first(passing)[need - 1]
            elif cap is not None and len(self.found) >= cap:
                nth = _newest_first(self.found)[cap - 1]
            if nth is not None:
                # Matches stored earlier but dated later: not kept in found, since the
                # next batches read them again.
                outliers = _sqlite_outliers(self.session, self.match, self.filters, nth.key, self.below)
                if outliers is not None:
                    return self.found + outliers
            self.size = min(self.size * 2, MAX_BATCH)
            if cap is not None and len(self.found) < cap and len(passing) * cap < need * len(self.found):
                # At this pass rate the cap comes first: read up to it in one more batch.
                self.size = max(self.size, cap - len(self.found) + cap // 8)
        return list(self.found)


def _sqlite_candidates(session: Session, query: Query, filters: SearchFilters) -> list[_Candidate]:
    """The matches passing the filters that decide the page (see :func:`_relevance_window`)."""
    scan = _NewestScan(session, to_fts5(query), filters)
    page_end = filters.offset + filters.limit
    if filters.order == "relevance":
        # Enough to know the window of _relevance_window: the candidates' worth of passing
        # matches when they lie among the RELEVANCE_SCAN newest (the usual case: reads a
        # quarter of the window), else the RELEVANCE_SCAN newest themselves.
        wanted = max(RELEVANCE_CANDIDATES, page_end)
        candidates = _relevance_window(scan.newest(wanted, cap=RELEVANCE_SCAN), filters)
        if candidates is not None:
            return candidates
    return [c for c in scan.newest(page_end) if c.passes]


def _sqlite_snippets(session: Session, query: Query, ids: list[int]) -> dict[int, str]:
    fts_rowid = _fts.c.rowid
    snippet = func.snippet(
        literal_column(FTS_TABLE), 1, MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS
    )  # column 1 = text
    rows = session.execute(
        select(fts_rowid, snippet).where(_match(), fts_rowid.in_(_ids())), {"match": to_fts5(query), "ids": ids}
    ).all()
    return {r[0]: _SPACE.sub(" ", r[1] or "").strip() for r in rows}


# --- PostgreSQL --------------------------------------------------------------------------


def _tsquery(query: Query) -> ColumnElement[Any]:
    return func.to_tsquery(literal_column("'simple'"), literal(to_tsquery(query)))


def _search_vector() -> ColumnElement[Any]:
    return literal_column(f"articles.{SEARCH_VECTOR}")


def _pg_candidates(session: Session, query: Query, filters: SearchFilters) -> list[_Candidate]:
    """The matches passing the filters that decide the page (see :func:`_relevance_window`)."""
    tsq = _tsquery(query)
    vector = _search_vector()
    key = _sort_key()
    columns = [Article.id, key, *_candidate_columns(filters)[1:]]
    if filters.order == "relevance":
        # As on SQLite: the candidates' worth of passing matches first (usually one read of
        # a quarter of the window), the rest of the RELEVANCE_SCAN newest only when fewer
        # pass there. Each match read costs a tsvector check (detoasted) in the heap.
        wanted = max(RELEVANCE_CANDIDATES, filters.offset + filters.limit)
        newest = select(*columns).where(vector.op("@@")(tsq)).order_by(key.desc(), Article.id.desc())
        first = min(RELEVANCE_SCAN, wanted + wanted // 4)
        window = [_candidate(row, filters) for row in session.execute(newest.limit(first))]
        if len(window) == first < RELEVANCE_SCAN and sum(c.passes for c in window) < wanted:
            rest = newest.offset(first).limit(RELEVANCE_SCAN - first)
            window += [_candidate(row, filters) for row in session.execute(rest)]
        candidates = _relevance_window(window, filters)
        if candidates is not None:
            return candidates
    rows = session.execute(
        select(*columns)
        .where(vector.op("@@")(tsq), *_conditions(filters))
        .order_by(key.desc(), Article.id.desc())
        .limit(filters.offset + filters.limit)
    )
    return [_candidate(row, filters) for row in rows]


def _pg_snippets(session: Session, query: Query, ids: list[int]) -> dict[int, str]:
    options = (
        f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=0, "
        "MaxFragments=1, HighlightAll=false"
    )
    headline = func.ts_headline(literal_column("'simple'"), Article.text, _tsquery(query), literal(options))
    rows = session.execute(select(Article.id, headline, Article.text).where(Article.id.in_(_ids())), {"ids": ids}).all()
    snippets: dict[int, str] = {}
    for article_id, fragment, body in rows:
        fragment = _SPACE.sub(" ", fragment or "").strip()
        plain = fragment.replace(MARK_START, "").replace(MARK_END, "")
        flat = _SPACE.sub(" ", body or "").strip()
        # ts_headline marks no cut; FTS5's snippet does: show the same ellipses.
        if plain and not flat.startswith(plain):
            fragment = ELLIPSIS + fragment
        if plain and not flat.endswith(plain):
            fragment += ELLIPSIS
        snippets[article_id] = fragment
    return snippets


# --- both --------------------------------------------------------------------------------


def _plain_snippet(text: str, width: int = PLAIN_SNIPPET) -> str:
    """The start of the text (no query to centre on)."""
    piece = _SPACE.sub(" ", text[: width * 2]).strip()
    return piece[:width] + (ELLIPSIS if len(piece) > width or len(text) >= width * 2 else "")


def _list_newest(session: Session, filters: SearchFilters) -> list[_Candidate]:
    key = _sort_key()
    rows = session.execute(
        select(Article.id, key)
        .where(*_conditions(filters))
        .order_by(key.desc(), Article.id.desc())
        .offset(filters.offset)
        .limit(filters.limit)
    ).all()
    return [_Candidate(r[0], r[1]) for r in rows]


def _ids() -> Any:
    # One expanding parameter: SQLAlchemy coerces a literal list element by element.
    return bindparam("ids", expanding=True)


def _rows(
    session: Session, picked: list[_Candidate], snippets: dict[int, str] | None, ranked: bool
) -> list[ArticleRow]:
    if not picked:
        return []
    event_kind = (
        select(Event.kind).where(Event.story_id == Article.story_id).order_by(Event.id).limit(1).scalar_subquery()
    )
    # Columns, not entities: the signature blob and the full text are not needed here.
    start = func.coalesce(func.substr(Article.text, 1, 2 * PLAIN_SNIPPET), Article.summary, "")
    columns = (
        Article.id,
        Article.url,
        Article.title,
        Source.name,
        Article.published_at,
        Article.fetched_at,
        Article.language,
        Article.relevant,
        Article.duplicate_of,
        Article.duplicate_score,
        Article.duplicate_method,
        Article.is_seed,
        Article.story_id,
        event_kind,
        start,
    )
    statement = select(*columns).outerjoin(Source, Source.id == Article.source_id).where(Article.id.in_(_ids()))
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


def search(session: Session, filters: SearchFilters) -> list[ArticleRow]:
    """Archive search: the page of articles matching ``filters``, in ``filters.order``.

    Without a query, every article passing the filters, newest first. Raises
    :class:`storage.query.QueryError` for a query that cannot be read.
    """
    if filters.order not in ORDERS:
        raise ValueError(f"order must be one of {', '.join(ORDERS)}, not {filters.order!r}")
    if filters.limit < 1 or filters.offset < 0:
        raise ValueError("limit must be at least 1 and offset at least 0")
    query = parse_query(filters.query)
    if query is None:
        return _rows(session, _list_newest(session, filters), None, ranked=False)
    postgres = session.get_bind().dialect.name == "postgresql"
    candidates = _pg_candidates(session, query, filters) if postgres else _sqlite_candidates(session, query, filters)
    picked = _pick(session, query, candidates, filters)
    if not picked:
        return []
    ids = [c.id for c in picked]
    snippets = _pg_snippets(session, query, ids) if postgres else _sqlite_snippets(session, query, ids)
    return _rows(session, picked, snippets, ranked=filters.order == "relevance")
