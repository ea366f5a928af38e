"""Parsing of the human units used in config.yaml: durations (``15m``) and sizes (``10MB``)."""

from __future__ import annotations

import re
from datetime import timedelta

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)", re.IGNORECASE)
_DURATION_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.IGNORECASE)
_SIZE_FACTOR = {
    "b": 1,
    "kb": 1000,
    "kib": 1024,
    "mb": 1000**2,
    "mib": 1024**2,
    "gb": 1000**3,
    "gib": 1024**3,
}


def parse_duration(value: object) -> timedelta:
    """Parse ``90``, ``"90s"``, ``"15m"``, ``"1h30m"``, ``"2d"`` into a timedelta.

    A bare number is seconds. Raises ``ValueError`` with the accepted forms on anything else.
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 15m, 2h or 2d, not a boolean")
    if isinstance(value, int | float):
        if value < 0:
            raise ValueError("a duration cannot be negative")
        return timedelta(seconds=float(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return timedelta(seconds=float(text))
        parts = _DURATION_PART.findall(text)
        if parts and "".join(n + u for n, u in parts).lower() == text.lower():
            seconds = sum(float(n) * _DURATION_SECONDS[u.lower()] for n, u in parts)
            return timedelta(seconds=seconds)
    raise ValueError(f"{value!r} is not a duration; use forms like 30s, 15m, 2h, 1h30m, 2d")


def parse_size(value: object) -> int:
    """Parse ``1048576``, ``"512KB"``, ``"10MB"``, ``"1GiB"`` into a number of bytes."""
    if isinstance(value, bool):
        raise ValueError("expected a size such as 10MB, not a boolean")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a size cannot be negative")
        return value
    if isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            unit = (match.group(2) or "b").lower()
            return int(float(match.group(1)) * _SIZE_FACTOR[unit])
    raise ValueError(f"{value!r} is not a size; use forms like 500KB, 10MB, 1GiB")


def format_duration(delta: timedelta) -> str:
    """Render a timedelta compactly (``1h30m``), the inverse of :func:`parse_duration`."""
    seconds = int(delta.total_seconds())
    if seconds == 0:
        return "0s"
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            out.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(out)
