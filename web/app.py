"""The web application: JSON API, Atom feed, dashboard and ``/healthz`` on one FastAPI app.

Read-only by construction: every route is a GET (HEAD is answered as GET without the
body), and each request's session is rolled back.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
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
# Swagger UI's script, stylesheet and icon, from the fastapi-offline package (kept current
# with Swagger UI 5): /api/docs loads nothing from a CDN, so it works offline and tells no
# third party who reads the docs. Under /api/, behind the token like the docs themselves.
DOCS_ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
DOCS_URL = "/api/docs"
DOCS_ASSETS_URL = "/api/docs/assets"

DESCRIPTION = """\
The newswatch archive, read-only: articles (search and filters), stories, alerts and
source health, as the same JSON objects `newswatch ... --format json` prints.

Lists are newest first and paged with `limit` (at most 200) and `offset`; a response with
more after it carries `Link: <...>; rel="next"`. When the environment variable named by
`api.token_env` (default `NEWSWATCH_API_TOKEN`) is set, every route but `/healthz` (and the
dashboard's stylesheet under `/static/`) needs `Authorization: Bearer <token>`, this schema
and `/api/docs` included (whose assets are served here too: it works offline).
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
        # Who gets a 401 has not shown the token: tell them nothing about the archive.
        chrome=exc.status_code != 401,
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
        docs_url=None,  # served below, from local assets
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
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=DOCS_ASSETS_DIR), name="docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        """Swagger UI for the OpenAPI schema, every asset from this server."""
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title="newswatch API",
            swagger_js_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS_URL}/favicon.png",
        )

    # Inside HeadAsGet, so a HEAD without the token is refused like the GET it becomes.
    app.add_middleware(TokenGate, token=api_token(config, env), refuse=_on_http_error)
    app.add_middleware(HeadAsGet)
    return app
