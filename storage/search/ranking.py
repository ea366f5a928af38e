"""Relevance order: which matches are ranked, and their BM25 score (the same on both backends).

``relevance`` ranks the :data:`RELEVANCE_CANDIDATES` newest matches that pass the filters
among the :data:`RELEVANCE_SCAN` newest matches (see :func:`relevance_window`) by BM25 over
the title (counted twice) and the lede, computed in Python from the candidates' own
statistics (see :func:`score`). The backends read the window (:mod:`storage.search.sqlite`,
:mod:`storage.search.postgres`); this module decides and scores.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from storage.chunks import in_chunks
from storage.schema import articles
from storage.search.base import Candidate, SearchFilters, ids_param, newest_first
from storage.search.query import Query, count_term

if TYPE_CHECKING:
    from storage.search.base import Reader

# How many of the newest matches relevance order ranks (see the module docstring).
RELEVANCE_CANDIDATES = 500
# Relevance: characters of the text scored with the title; the newest matches (before
# filters) among which the candidates are taken.
LEDE_CHARS = 1000
RELEVANCE_SCAN = 2_000


def pick(session: Reader, query: Query, candidates: list[Candidate], filters: SearchFilters) -> list[Candidate]:
    """The page of ``candidates`` (newest first, passing the filters) in the asked order."""
    ordered = newest_first(candidates)
    if filters.order == "relevance":
        ordered = ordered[: max(RELEVANCE_CANDIDATES, filters.offset + filters.limit)]
        score(session, query, ordered)
        # Stable sort: equal scores stay newest first.
        ordered.sort(key=lambda c: c.score or 0.0, reverse=True)
    return ordered[filters.offset : filters.offset + filters.limit]


def score(session: Reader, query: Query, candidates: list[Candidate]) -> None:
    """Set each candidate's BM25 score over its title (counted twice) and lede.

    Computed here, the same way on both backends (so both give the same order), from
    statistics of the candidates themselves: the inverse document frequency of a word is
    its rarity among the recent matches, which is what ranking within them needs, and it
    costs nothing like FTS5's bm25(), whose global counts scan each word's whole doclist.
    The lede (first :data:`LEDE_CHARS` characters) is where news puts its news, and keeps
    the cost independent of article length. Matches are counted with regexes
    (:func:`storage.search.query.count_term`), a few microseconds per article.
    """
    if not candidates:
        return
    # Read here, for the chosen candidates only: reading texts with every match of the
    # window would ship four times as many.
    texts: dict[int, tuple[str, str]] = {}
    ids = [c.id for c in candidates]
    statement = select(articles.c.id, *ranked_text()).where(articles.c.id.in_(ids_param()))
    for chunk in in_chunks(ids):
        for article_id, title, lede in session.execute(statement, {"ids": list(chunk)}):
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


def ranked_text() -> tuple[Any, Any]:
    """The title and lede that relevance scores."""
    return articles.c.title, func.substr(articles.c.text, 1, LEDE_CHARS)


def relevance_window(window: list[Candidate], filters: SearchFilters) -> list[Candidate] | None:
    """The candidates relevance ranks, from the newest matches before filters; None: too few.

    The :data:`RELEVANCE_CANDIDATES` newest that pass the filters among the
    :data:`RELEVANCE_SCAN` newest matches. When fewer than a page pass (a filter few
    matches pass), the caller reads the newest page of passing matches instead, whatever
    their age: the same rule on both backends.
    """
    passing = [c for c in newest_first(window)[:RELEVANCE_SCAN] if c.passes]
    if len(passing) < filters.offset + filters.limit and len(window) >= RELEVANCE_SCAN:
        return None
    return passing[: max(RELEVANCE_CANDIDATES, filters.offset + filters.limit)]
