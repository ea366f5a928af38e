"""The dashboard: server-rendered pages (Jinja2, autoescaped), no front-end build step.

Pages: the alerts timeline (``/``), stories (``/stories``), a story (``/stories/{id}``:
its event and evidence, every outlet's article in time order, languages), search with
filters (``/search``) and source health (``/sources``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape

from core.bounds import ID_MAX, ID_MIN
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


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page with what every page needs (the request, the topic name)."""
    context = {"topic": request.app.state.config.topic.name, **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code)


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
    return render(request, "alerts.html", {"alerts": page.rows, "kind": kind, "pager": _pager(request, page)})


@router.get("/stories", response_class=HTMLResponse)
def stories_page(request: Request, db: SessionDep, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> HTMLResponse:
    """Stories, newest first."""
    page = archive.stories_page(db, since=None, limit=limit, offset=offset)
    return render(request, "stories.html", {"stories": page.rows, "pager": _pager(request, page)})


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: int, db: SessionDep) -> HTMLResponse:
    """One story: its event and evidence, every outlet's article in time order, languages."""
    # An id beyond the ids' range names no story: someone following a link gets "not found"
    # (the API, for programs, answers 422 naming story_id).
    found = archive.story_detail(db, story_id) if ID_MIN <= story_id <= ID_MAX else None
    if found is None:
        raise HTTPException(status_code=404, detail=f"There is no story {story_id}.")
    return render(request, "story.html", {"story": found})


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
    )


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, db: SessionDep) -> HTMLResponse:
    """Source health: status, last fetch and success, counts, errors."""
    return render(request, "sources.html", {"sources": archive.sources_health(db, request.app.state.config)})
