"""HEAD for every GET route, as HTTP requires (RFC 9110, 9.3.2).

FastAPI routes answer only the methods they declare, so a HEAD (uptime monitors probing
``/healthz``, feed readers checking ``/alerts.atom`` for changes, link checkers) got 405.
This middleware runs the GET and sends its status and headers without the body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD request is served as GET with the body left out.

    The headers are the GET's, ``Content-Length`` included, which is what a HEAD answer
    should carry; the server (uvicorn) knows the request was HEAD and sends no body.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve ``scope``; HEAD as GET without a body."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest of a streamed body: dropped
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
