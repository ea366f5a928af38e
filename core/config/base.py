"""What every config section shares: the strict model base, the field types, the URL check.

The project's name and version live here too: the crawler's User-Agent carries them.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict

from core.units import parse_duration, parse_size
from core.version import VERSION as VERSION  # its own module: `newswatch --version` imports nothing else

PROJECT_URL = "https://github.com/newswatch/newswatch"

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]


class Section(BaseModel):
    """Base for every config section: unknown keys are errors, values are validated."""

    # No key has a use for an infinite or NaN number (``download_delay: .inf`` would stall
    # every crawl), so floats must be finite everywhere. ``defer_build``: a section's
    # validator is built on its first validation, not when its class is defined, so a command
    # that reads an already validated config from the CLI's cache (scheduler.cli.config_cache)
    # pays for none of them (~40 ms of ``newswatch search``'s start).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


# One DNS label after IDNA encoding; ``_`` is not a hostname character but real hosts use it.
_HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


def check_http_url(value: str) -> str:
    """Return ``value`` if it is an http(s) URL with a valid host and port; else raise ``ValueError``.

    Stricter than "starts with http://": ``http://[::1/``, a port of 99999 or a space in
    the host would pass that and fail only when fetched. Unicode hosts are accepted (they
    are sent IDNA-encoded).
    """
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:  # an unclosed [IPv6] bracket, a port that is not 0-65535
        raise ValueError(f"not a valid URL: {exc}") from None
    host = parts.hostname
    if not host:
        raise ValueError("the URL has no host name")
    if port == 0:
        raise ValueError("the URL's port must be a number from 1 to 65535")
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{host!r} in brackets is not an IPv6 address") from None
        return value
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{host!r} is not a valid host name") from None
    if not ascii_host or len(ascii_host) > 253 or not all(_HOST_LABEL.match(p) for p in ascii_host.split(".")):
        raise ValueError(f"{host!r} is not a valid host name")
    return value
