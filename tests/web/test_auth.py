"""The optional bearer token, and refusing to expose the API without one."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import httpx
import pytest
from starlette.routing import Mount

try:  # FastAPI 0.16x nests included routers in app.routes; this walks them down to each route.
    from fastapi.routing import iter_route_contexts
except ImportError:  # older FastAPI keeps app.routes flat

    def iter_route_contexts(routes):
        return routes


from core.errors import ConfigError
from tests.conftest import run_cli
from tests.web.conftest import running_api
from web.auth import check_exposure, is_loopback, token_matches

TOKEN = "s3cret-token"


@pytest.fixture
def guarded(web_config, archive):
    with (
        running_api(web_config, env={"NEWSWATCH_API_TOKEN": TOKEN}) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield http


@pytest.mark.parametrize("path", ["/api/articles", "/api/stories", "/api/alerts", "/api/sources", "/alerts.atom", "/"])
def test_token_required_when_set(guarded, path):
    refused = guarded.get(path)
    assert refused.status_code == 401
    assert "Bearer" in refused.headers["www-authenticate"]
    assert guarded.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_browsers_and_feed_readers_use_basic_auth(guarded):
    refused = guarded.get("/")
    assert 'Basic realm="newswatch"' in refused.headers["www-authenticate"]
    assert "Token needed" in refused.text
    basic = base64.b64encode(f"anyone:{TOKEN}".encode()).decode()
    assert guarded.get("/alerts.atom", headers={"Authorization": f"Basic {basic}"}).status_code == 200


def test_healthz_needs_no_token(guarded):
    assert guarded.get("/healthz").status_code == 200


# What the README promises is public with the token set; everything else must answer 401.
PUBLIC = {"/healthz", "/static/style.css"}


def _every_path(routes) -> list[str]:
    """One concrete path per route of the app (path parameters filled, a file per static mount)."""
    paths = []
    for route in iter_route_contexts(routes):
        mount = getattr(route, "original_route", route)
        if isinstance(mount, Mount):
            directory = Path(mount.app.directory)
            files = [f.relative_to(directory).as_posix() for f in directory.rglob("*") if f.is_file()]
            paths += [f"{mount.path}/{name}" for name in files]
        else:
            paths.append(re.sub(r"\{[^}]+\}", "1", route.path))
    return paths


def test_every_route_but_the_public_ones_needs_the_token(web_config, archive):
    """Walks app.routes, so a route added later is checked without editing this test."""
    with (
        running_api(web_config, env={"NEWSWATCH_API_TOKEN": TOKEN}) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        paths = _every_path(server.app.routes)
        assert {"/api/openapi.json", "/api/docs", "/api/sources", "/static/style.css"} <= set(paths)
        for path in paths:
            for method in ("GET", "HEAD"):
                anonymous = http.request(method, path)
                if path in PUBLIC:
                    assert anonymous.status_code == 200, (method, path)
                else:
                    assert anonymous.status_code == 401, (method, path)
                    assert "Bearer" in anonymous.headers["www-authenticate"]
                    authorised = http.request(method, path, headers={"Authorization": f"Bearer {TOKEN}"})
                    assert authorised.status_code != 401, (method, path)
        # A path no route knows gets 401 too: without the token nothing tells what exists.
        assert http.get("/no/such/page").status_code == 401
        assert http.get("/api/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"}).json()["paths"]


def test_no_token_configured_means_open(client):
    assert client.get("/api/articles").status_code == 200


def test_token_matching():
    assert token_matches(f"Bearer {TOKEN}", TOKEN)
    assert token_matches(f"bearer   {TOKEN} ", TOKEN)
    assert not token_matches(None, TOKEN)
    assert not token_matches(f"Token {TOKEN}", TOKEN)
    assert not token_matches("Basic !!notbase64!!", TOKEN)
    assert not token_matches(f"Bearer {TOKEN}x", TOKEN)


def test_loopback_hosts():
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "::", "192.168.1.5", "news.example.org"))


def test_exposed_without_token_is_a_config_error(web_config):
    with pytest.raises(ConfigError) as refused:
        check_exposure(web_config, "0.0.0.0", env={})
    assert "api.host" in str(refused.value) and "NEWSWATCH_API_TOKEN" in str(refused.value)
    assert check_exposure(web_config, "0.0.0.0", env={"NEWSWATCH_API_TOKEN": TOKEN}) == TOKEN
    assert check_exposure(web_config, "127.0.0.1", env={}) is None


def test_serve_refuses_to_expose_without_token(config_path):
    result = run_cli("serve", "--host", "0.0.0.0", "--port", "0", config=config_path)
    assert result.returncode == 2
    assert "api.host" in result.stderr and "NEWSWATCH_API_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
