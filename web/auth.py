"""The optional bearer token, and the rule that an exposed API must have one.

The token lives in the environment variable named by ``api.token_env`` (secrets never live
in the config file). With it set, every request but ``/healthz`` must carry it, either as
``Authorization: Bearer <token>`` (API clients) or as the password of HTTP Basic auth
(browsers and feed readers prompt for Basic credentials by themselves; the user name is
ignored).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import os
from typing import TYPE_CHECKING

from scheduler.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from scheduler.config import Config

# Both challenges: API clients read Bearer, browsers and feed readers answer Basic.
CHALLENGE = 'Bearer realm="newswatch", Basic realm="newswatch", charset="UTF-8"'


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
