"""The read-only JSON API and the Atom feed of alerts.

Lists are JSON arrays of the same objects ``newswatch ... --format json`` prints, newest
first. Paging is ``limit`` (at most 200) and ``offset``; when there is a next page the
response carries ``Link: <...>; rel="next"`` (RFC 8288), so the body stays the CLI's array.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import text

from core.jsonable import jsonable
from core.times import display_zone
from storage.coverage import alert_coverage
from web import archive
from web.archive import DEFAULT_LIMIT, Page
from web.atom import ATOM_TYPE, render_feed
from web.deps import (
    ArticleQueryDep,
    Kind,
    Limit,
    Offset,
    SessionDep,
    StoryPath,
    When,
)
from web.schemas import AlertOut, ArticleOut, HealthOut, SourceOut, StoryDetailOut, StoryOut

# The token is checked in front of the whole app (web.auth.TokenGate), not per router.
router = APIRouter(prefix="/api", tags=["api"])
feed_router = APIRouter(tags=["feed"])
health_router = APIRouter(tags=["health"])

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "An API token is configured and the request did not carry it."},
    422: {"description": "A malformed parameter; the message names it."},
}


def _page_response(request: Request, page: Page) -> JSONResponse:
    headers = {}
    if page.more:
        following = request.url.include_query_params(offset=page.offset + page.limit, limit=page.limit)
        headers["Link"] = f'<{following}>; rel="next"'
    return JSONResponse(jsonable(page.rows), headers=headers)


@router.get(
    "/articles",
    summary="Search the archive",
    response_class=JSONResponse,
    responses={200: {"model": list[ArticleOut]}, **_ERRORS},
)
def articles(
    request: Request,
    db: SessionDep,
    query: ArticleQueryDep,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> JSONResponse:
    """Articles newest first (or by relevance); the filters are those of ``newswatch search``."""
    return _page_response(request, archive.search_page(db, query, limit=limit, offset=offset))


@router.get(
    "/stories",
    summary="List stories",
    response_class=JSONResponse,
    responses={200: {"model": list[StoryOut]}, **_ERRORS},
)
def stories(
    request: Request, db: SessionDep, since: When = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> JSONResponse:
    """Stories newest first (by first-seen time) with every article in time order; ``since``
    keeps those updated since then."""
    return _page_response(request, archive.stories_page(db, since=since, limit=limit, offset=offset))


@router.get(
    "/stories/{story_id}",
    summary="One story",
    response_class=JSONResponse,
    responses={200: {"model": StoryDetailOut}, 404: {"description": "No such story."}, **_ERRORS},
)
def story(request: Request, story_id: StoryPath, db: SessionDep) -> Response:
    """One story: its articles in time order, outlets, languages and events (evidence, fields).

    A story merged into another (one event found in both) redirects to the one that stays.
    """
    survivor = archive.surviving_story(db, story_id)
    if survivor is not None and survivor != story_id:
        return RedirectResponse(str(request.url_for("story", story_id=survivor)), status_code=308)
    found = archive.story_detail(db, story_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no story with id {story_id}")
    return JSONResponse(jsonable(found))


@router.get(
    "/alerts",
    summary="List alerts",
    response_class=JSONResponse,
    responses={200: {"model": list[AlertOut]}, **_ERRORS},
)
def alerts(
    request: Request,
    db: SessionDep,
    since: When = None,
    kind: Kind = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> JSONResponse:
    """Alerts newest first, with the story's coverage, the evidence and each channel's delivery."""
    page = archive.alerts_page(db, since=since, kind=kind, limit=limit, offset=offset)
    return _page_response(request, page)


@router.get(
    "/sources",
    summary="Source health",
    response_class=JSONResponse,
    responses={200: {"model": list[SourceOut]}, **_ERRORS},
)
def sources(request: Request, db: SessionDep) -> JSONResponse:
    """Every configured source's health, in config order."""
    return JSONResponse(jsonable(archive.sources_health(db, request.app.state.config)))


@feed_router.get(
    "/alerts.atom",
    summary="Atom feed of alerts",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."}, **_ERRORS},
)
def alerts_feed(request: Request, db: SessionDep, kind: Kind = None, limit: Limit = DEFAULT_LIMIT) -> Response:
    """The newest alerts as an Atom feed (RFC 4287), for feed readers; answers ``If-None-Match``."""
    page = archive.alerts_page(db, since=None, kind=kind, limit=limit, offset=0)
    base = str(request.base_url).rstrip("/")
    body = render_feed(
        page.rows,
        topic=request.app.state.config.topic.name,
        self_url=str(request.url),
        dashboard_url=f"{base}/",
        story_url=f"{base}/stories/{{id}}",
        coverage=alert_coverage(db, [row["story_id"] for row in page.rows]),
        zone=display_zone(request.app.state.config),
    )
    # Feed readers poll; a conditional GET (RFC 9110 §13.1.2) spares them an unchanged feed.
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type=ATOM_TYPE, headers={"ETag": etag})


@health_router.get("/healthz", summary="Liveness", response_model=HealthOut)
def healthz(db: SessionDep) -> JSONResponse:
    """``ok`` when the database answers (no token needed: for load balancers and monitors)."""
    try:
        db.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure is the answer here, not a crash
        return JSONResponse({"status": "error", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
