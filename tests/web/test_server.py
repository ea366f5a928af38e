"""web.server.start_api inside a running asyncio loop, as ``newswatch run`` uses it."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from core.errors import NewswatchError
from web.server import start_api


def test_start_api_in_a_running_loop_then_stop(web_config):
    async def main() -> tuple[int, dict, bool]:
        api = await start_api(web_config, host="127.0.0.1", port=0, env={})
        try:
            assert api.running and api.port > 0
            async with httpx.AsyncClient(base_url=api.url, timeout=30) as http:
                response = await http.get("/healthz")
        finally:
            await api.stop()
        return response.status_code, response.json(), api.running

    status, body, still_running = asyncio.run(main())
    assert (status, body, still_running) == (200, {"status": "ok", "database": "ok"}, False)


def test_stopped_server_no_longer_listens(web_config):
    async def main() -> int:
        api = await start_api(web_config, host="127.0.0.1", port=0, env={})
        await api.stop()
        return api.port

    port = asyncio.run(main())
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def test_busy_port_is_a_clear_error(web_config):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        async def main() -> None:
            await start_api(web_config, host="127.0.0.1", port=port, env={})

        with pytest.raises(NewswatchError, match=rf"api.host/api.port: cannot listen on 127.0.0.1:{port}"):
            asyncio.run(main())


@pytest.mark.parametrize("path", ["/healthz", "/alerts.atom", "/api/articles?limit=1", "/", "/static/style.css"])
def test_head_answers_as_get_without_a_body(client, path):
    # Uptime monitors and feed readers send HEAD; FastAPI alone answered 405.
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == 200 and got.content
    assert head.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "link"):
        assert head.headers.get(name) == got.headers.get(name), name


def test_head_of_a_missing_page_is_404_and_post_is_still_refused(client):
    assert client.head("/api/stories/999999").status_code == 404
    assert client.post("/healthz").status_code == 405
