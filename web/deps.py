"""What the routes share: a read-only database session and the query parameters.

Malformed parameters are refused by FastAPI with 422 and a message naming the parameter
(``Input should be 'talks_outcome' or 'new_clash'``, ``'yesterday' is not an ISO date ...``),
never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, HTTPException, Path, Query, Request
from pydantic import BeforeValidator, Field
from sqlalchemy.orm import Session

from core.bounds import ID_MAX, ID_MIN
from core.timeparse import parse_when
from storage.search.query import QueryError, parse_query
from web.archive import MAX_LIMIT, MAX_OFFSET, ArticleQuery


def session(request: Request) -> Iterator[Session]:
    """A session for one request, always rolled back: the web side never writes."""
    with request.app.state.sessions() as db:
        try:
            yield db
        finally:
            db.rollback()


def _when(value: Any) -> Any:
    # ISO date/datetime or an age (2d), exactly as on the command line.
    return parse_when(value) if isinstance(value, str) else value


def _blank_is_none(value: Any) -> Any:
    # An HTML form sends every field, empty ones as "": that means "no filter".
    return None if value == "" else value


SessionDep = Annotated[Session, Depends(session)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (for the next page).")]
When = Annotated[
    datetime | None,
    BeforeValidator(_when),
    BeforeValidator(_blank_is_none),
    Query(description="ISO date or datetime (naive = UTC), or an age such as 2d or 12h."),
]
Kind = Annotated[
    Literal["talks_outcome", "new_clash"] | None,
    BeforeValidator(_blank_is_none),
    Query(description="Event kind."),
]
Text = Annotated[str | None, BeforeValidator(_blank_is_none), Query()]
# The range sits on the int, not on the optional: pydantic cannot compare a blank (None) to it.
Id = Annotated[int, Field(ge=ID_MIN, le=ID_MAX)]
StoryId = Annotated[Id | None, BeforeValidator(_blank_is_none), Query(description="Only this story.")]
StoryPath = Annotated[Id, Path(description="The story's id.")]


Order = Annotated[
    Literal["newest", "relevance"],
    Query(description="newest first, or the best of the 500 newest matches by BM25 (as `search --order`)"),
]


def check_query(q: str | None) -> None:
    """422 naming ``q`` when the query cannot be read (unbalanced quotes, FTS operators...)."""
    try:
        parse_query(q)
    except QueryError as exc:
        raise HTTPException(status_code=422, detail=f"q: invalid query: {exc}") from None


def check_range(since: datetime | None, until: datetime | None) -> None:
    """422 when ``since`` is not before ``until`` (the CLI refuses it too)."""
    if since is not None and until is not None and since >= until:
        raise HTTPException(status_code=422, detail="since must be earlier than until")


def article_query(
    q: Text = None,
    since: When = None,
    until: When = None,
    source: Text = None,
    language: Text = None,
    kind: Kind = None,
    story: StoryId = None,
    include_irrelevant: bool = False,
    order: Order = "newest",
) -> ArticleQuery:
    """The archive search filters of a request (``/api/articles`` and ``/search`` alike).

    ``q``: words that must all appear, with phrases, prefixes, OR and exclusion as on the
    command line; ``since``/``until`` bound the publication time (fetch time when unknown);
    ``source`` is a source name, ``language`` an ISO code, ``kind`` the event kind of the
    article's story. Off-topic articles are left out unless ``include_irrelevant`` is true.
    """
    check_range(since, until)
    check_query(q)
    return ArticleQuery(q, since, until, source, language, kind, story, include_irrelevant, order)


ArticleQueryDep = Annotated[ArticleQuery, Depends(article_query)]
