"""The web application: JSON API, Atom feed, dashboard and ``/healthz`` on one FastAPI app.

Read-only by construction: every route is a GET (HEAD is answered as GET without the
body), and each request's session is rolled back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.config import VERSION, resolve_database_url
from storage.db import make_engine, make_sessionmaker
from web import api, pages
from web.auth import TokenGate, api_token
from web.head import HeadAsGet

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.engine import Engine

    from core.config import Config

STATIC_DIR = Path(__file__).with_name("static")

DESCRIPTION = """\
The newswatch archive, read-only: articles (search and filters), stories, alerts and
source health, as the same JSON objects `newswatch ... --format json` prints.

Lists are newest first and paged with `limit` (at most 200) and `offset`; a response with
more after it carries `Link: <...>; rel="next"`. When the environment variable named by
`api.token_env` (default `NEWSWATCH_API_TOKEN`) is set, every route but `/healthz` (and the
dashboard's stylesheet under `/static/`) needs `Authorization: Bearer <token>`, this schema
and `/api/docs` included.
"""


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path in ("/alerts.atom", "/healthz")


def _messages(exc: RequestValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path"))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        out.append(f"{where}: {message}" if where else message)
    return out


async def _on_http_error(request: Request, exc: Exception) -> Response:
    """JSON for API clients; a page for people (with the same status and headers)."""
    assert isinstance(exc, StarletteHTTPException)
    if _wants_json(request):
        return await http_exception_handler(request, exc)
    titles = {401: "Token needed", 404: "Not found", 422: "Check the form"}
    response = pages.render(
        request,
        "error.html",
        {"title": titles.get(exc.status_code, "Error"), "messages": [str(exc.detail)]},
        status_code=exc.status_code,
    )
    response.headers.update(exc.headers or {})
    return response


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    """422 naming the malformed parameter: JSON for the API, a page for the dashboard."""
    assert isinstance(exc, RequestValidationError)
    if _wants_json(request):
        return await request_validation_exception_handler(request, exc)
    return pages.render(request, "error.html", {"title": "Check the form", "messages": _messages(exc)}, status_code=422)


def create_app(config: Config, *, engine: Engine | None = None, env: Mapping[str, str] | None = None) -> FastAPI:
    """The newswatch web app for ``config``.

    ``engine`` defaults to one on the configured database (the caller disposes of it via
    ``app.state.engine``; :class:`web.server.ApiServer` does). The token is read from the
    environment (or ``env``) once, here.
    """
    engine = engine or make_engine(resolve_database_url(config))
    app = FastAPI(
        title="newswatch",
        version=VERSION,
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.config = config
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.include_router(api.health_router)
    app.include_router(api.router)
    app.include_router(api.feed_router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Inside HeadAsGet, so a HEAD without the token is refused like the GET it becomes.
    app.add_middleware(TokenGate, token=api_token(config, env), refuse=_on_http_error)
    app.add_middleware(HeadAsGet)
    return app
