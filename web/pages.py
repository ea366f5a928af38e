"""The dashboard: server-rendered pages (Jinja2, autoescaped), no front-end build step.

Pages: the alerts timeline (``/``), stories (``/stories``), a story (``/stories/{id}``:
its event and evidence, every outlet's article in time order, languages), search with
filters (``/search``) and source health (``/sources``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.exc import SQLAlchemyError

from core.bounds import ID_MAX, ID_MIN
from core.times import display_zone
from storage.db import utcnow
from storage.sources import health_summary
from web import archive
from web.archive import DEFAULT_LIMIT
from web.deps import (
    ArticleQueryDep,
    Kind,
    Limit,
    Offset,
    SessionDep,
)
from web.filters import FILTERS
from web.visits import COOKIE as VISIT_COOKIE
from web.visits import Visit, visit_from_cookie

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.config import Config

log = logging.getLogger(__name__)

router = APIRouter(tags=["dashboard"], include_in_schema=False)


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("web", "templates"),
        # Every page shows scraped headlines and text: escape everything, always.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


templates = Jinja2Templates(env=_environment())


def _chrome(db: Session, config: Config, visit: Visit) -> dict[str, Any]:
    """What the frame of every page shows: the sources' health (for the banner), new alerts."""
    return {
        "health": health_summary(db, [s.name for s in config.sources if s.enabled]),
        "new_alerts": archive.count_alerts_since(db, visit.since) if visit.since is not None else 0,
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
    *,
    db: Session | None = None,
    chrome: bool = True,
) -> HTMLResponse:
    """Render a page with what every page needs: the topic name, the sources' health banner,
    what is new since the last visit (and the cookie that remembers this one, see
    :mod:`web.visits`).

    ``db`` is the request's session; without one (error pages) a session is opened here.
    ``chrome=False`` leaves out everything read from the archive: the 401 page, shown to
    whoever asks, must not tell how the sources are doing.
    """
    config = request.app.state.config
    now = utcnow()
    visit = visit_from_cookie(request.cookies.get(VISIT_COOKIE), now)
    base: dict[str, Any] = {
        "topic": config.topic.name,
        "health": None,
        "new_alerts": 0,
        "visit": visit,
        # Every time on the page is shown against this instant, in this zone (filters.moment).
        "now": now,
        "display_zone": display_zone(config),
    }
    if chrome:
        if db is not None:
            base.update(_chrome(db, config, visit))
        else:
            try:
                with request.app.state.sessions() as own:
                    base.update(_chrome(own, config, visit))
                    own.rollback()
            except SQLAlchemyError:
                # An error page must still render when the database is what failed.
                log.warning("source health unavailable for the %s page", name, exc_info=True)
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)
    if chrome and status_code == 200:
        # Only pages actually shown move the visit on (not a 404, not the API or the feed).
        visit.remember(response)
    return response


def _pager(request: Request, page: archive.Page) -> dict[str, str | None]:
    newer = None
    if page.offset > 0:
        newer = str(request.url.include_query_params(offset=max(page.offset - page.limit, 0)))
    older = str(request.url.include_query_params(offset=page.offset + page.limit)) if page.more else None
    return {"newer": newer, "older": older}


@router.get("/", response_class=HTMLResponse)
def alerts_page(
    request: Request, db: SessionDep, kind: Kind = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> HTMLResponse:
    """The alerts timeline, newest first."""
    page = archive.alerts_page(db, since=None, kind=kind, limit=limit, offset=offset)
    return render(request, "alerts.html", {"alerts": page.rows, "kind": kind, "pager": _pager(request, page)}, db=db)


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, db: SessionDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> HTMLResponse:
    """Stories, newest first."""
    page = archive.stories_page(db, since=None, limit=limit, offset=offset)
    return render(request, "stories.html", {"stories": page.rows, "pager": _pager(request, page)}, db=db)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, db: SessionDep) -> Response:
    """One story: its event and evidence, every outlet's article in time order, languages."""
    # An id beyond the ids' range names no story: someone following a link gets "not found"
    # (the API, for programs, answers 422 naming story_id).
    valid = ID_MIN <= story_id <= ID_MAX
    survivor = archive.surviving_story(db, story_id) if valid else None
    if survivor is not None and survivor != story_id:
        # Merged into an older story (one event found in both): the link goes on working.
        return RedirectResponse(str(request.url_for("story_page", story_id=survivor)), status_code=308)
    found = archive.story_detail(db, story_id) if valid else None
    if found is None:
        raise HTTPException(status_code=404, detail=f"There is no story {story_id}.")
    return render(request, "story.html", {"story": found}, db=db)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    db: SessionDep,
    query: ArticleQueryDep,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> HTMLResponse:
    """Search the archive by words, date, source, language and event kind."""
    page = archive.search_page(db, query, limit=limit, offset=offset)
    return render(
        request,
        "search.html",
        {
            "query": query,
            "form": dict(request.query_params),
            "results": page.rows,
            "pager": _pager(request, page),
            "sources": [s.name for s in request.app.state.config.sources],
        },
        db=db,
    )


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, db: SessionDep) -> HTMLResponse:
    """Source health: status, last fetch and success, counts, errors."""
    return render(request, "sources.html", {"sources": archive.sources_health(db, request.app.state.config)}, db=db)
