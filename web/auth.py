"""The optional bearer token, and the rule that an exposed API must have one.

The token lives in the environment variable named by ``api.token_env`` (secrets never live
in the config file). With it set, every request must carry it, either as
``Authorization: Bearer <token>`` (API clients) or as the password of HTTP Basic auth
(browsers and feed readers prompt for Basic credentials by themselves; the user name is
ignored). The exceptions are listed in :data:`PUBLIC_PATHS` and :data:`PUBLIC_PREFIXES`:
``/healthz`` and the dashboard's stylesheet. :class:`TokenGate` enforces the rule in front
of the whole app, so a route added later is behind the token without anyone remembering to
put it there (the OpenAPI schema and ``/api/docs`` included).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import os
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.requests import Request

from core.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from starlette.responses import Response
    from starlette.types import ASGIApp, Receive, Scope, Send

    from core.config import Config

# Both challenges: API clients read Bearer, browsers and feed readers answer Basic.
CHALLENGE = 'Bearer realm="newswatch", Basic realm="newswatch", charset="UTF-8"'

# Served without the token. /healthz is for load balancers and monitors, which hold no
# secret. /static/ holds only the dashboard's stylesheet, the package's own file with no
# data in it: public so that the 401 page asking for the token renders styled (a browser
# sends Basic credentials only after a challenge, and the page is shown before that).
PUBLIC_PATHS = frozenset({"/healthz"})
PUBLIC_PREFIXES = ("/static/",)


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        # A host name other than localhost may resolve to anything: treat it as exposed.
        return False


def api_token(config: Config, env: Mapping[str, str] | None = None) -> str | None:
    """The token from the variable named by ``api.token_env``, or None when unset or empty."""
    name = config.api.token_env
    if not name:
        return None
    value = (os.environ if env is None else env).get(name, "")
    return value or None


def check_exposure(config: Config, host: str, env: Mapping[str, str] | None = None) -> str | None:
    """Return the API token; raise :class:`ConfigError` when ``host`` is beyond loopback without one.

    Why: the archive and the source health table are not for the whole network; listening
    on 0.0.0.0 by accident must not publish them.
    """
    token = api_token(config, env)
    if token is None and not is_loopback(host):
        variable = config.api.token_env
        if variable:
            fix = f"set the environment variable {variable} to a secret token"
        else:
            fix = "set api.token_env to the name of an environment variable holding a secret token"
        raise ConfigError(
            f"api.host: {host!r} is reachable beyond this machine and the API has no token; "
            f"{fix}, or bind api.host to 127.0.0.1"
        )
    return token


def token_matches(authorization: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header carries ``token`` (Bearer, or Basic's password)."""
    if not authorization:
        return False
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        credentials = decoded.partition(":")[2]
    elif scheme.lower() != "bearer":
        return False
    # Constant time, so the token cannot be guessed byte by byte from response times.
    return hmac.compare_digest(credentials.encode("utf-8"), token.encode("utf-8"))


def is_public(path: str) -> bool:
    """Whether a request for ``path`` is served without the token (see :data:`PUBLIC_PATHS`)."""
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class TokenGate:
    """ASGI middleware: 401 for every request without the token, but the public paths.

    In front of the router rather than a dependency on each router: FastAPI's own routes
    (``/api/openapi.json``, ``/api/docs``) and mounts take no dependencies, and a new
    route must not be public by default. ``refuse`` renders the 401 (JSON for API clients,
    a page for people), the same handler the app uses for every HTTP error.
    """

    def __init__(
        self,
        app: ASGIApp,
        token: str | None,
        refuse: Callable[[Request, Exception], Awaitable[Response]],
    ) -> None:
        self.app = app
        self.token = token
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on when no token is configured, the path is public or it carries the token."""
        if scope["type"] != "http" or self.token is None or is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if token_matches(request.headers.get("authorization"), self.token):
            await self.app(scope, receive, send)
            return
        refused = HTTPException(
            status_code=401,
            detail="missing or wrong API token: send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": CHALLENGE},
        )
        response = await self.refuse(request, refused)
        await response(scope, receive, send)
