"""Parsing of the human units used in config.yaml: durations (``15m``) and sizes (``10MB``)."""

from __future__ import annotations

import math
import re
from datetime import timedelta

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)", re.IGNORECASE)
_DURATION_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
# The longest duration accepted anywhere. Far beyond any sensible interval or age, yet small
# enough that adding it to now stays inside datetime's range and that it fits every timeout
# it becomes (threading.TIMEOUT_MAX is about 292 years): 999999999d would be an OverflowError.
MAX_DURATION = timedelta(days=36525)  # 100 years
# The largest size accepted: no response or file newswatch handles comes near it, and
# "1" * 400 + "MB" would otherwise be int(inf), an OverflowError.
MAX_SIZE = 1024**4  # 1 TiB
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

    A bare number is seconds. Raises ``ValueError`` with the accepted forms on anything
    else, and for a negative, infinite or NaN value or one longer than :data:`MAX_DURATION`.
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 15m, 2h or 2d, not a boolean")
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:  # an int past float's range: compare it as an infinity
            seconds = math.inf if value > 0 else -math.inf
        return _bounded(seconds, value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return _bounded(float(text), value)
        parts = _DURATION_PART.findall(text)
        if parts and "".join(n + u for n, u in parts).lower() == text.lower():
            return _bounded(sum(float(n) * _DURATION_SECONDS[u.lower()] for n, u in parts), value)
    raise ValueError(f"{_shown(value)} is not a duration; use forms like 30s, 15m, 2h, 1h30m, 2d")


def _bounded(seconds: float, value: object) -> timedelta:
    """``seconds`` as a timedelta, checked before timedelta can overflow on it."""
    if math.isnan(seconds):
        raise ValueError(f"{_shown(value)} is not a duration; use forms like 30s, 15m, 2h, 1h30m, 2d")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    if seconds > MAX_DURATION.total_seconds():  # infinity included
        raise ValueError(f"{_shown(value)} is longer than the longest duration accepted, 100 years (36525d)")
    return timedelta(seconds=seconds)


def parse_size(value: object) -> int:
    """Parse ``1048576``, ``"512KB"``, ``"10MB"``, ``"1GiB"`` into a number of bytes."""
    if isinstance(value, bool):
        raise ValueError("expected a size such as 10MB, not a boolean")
    size: float | int | None = None
    if isinstance(value, int):
        size = value
    elif isinstance(value, str):
        match = _SIZE.match(value)
        if match:
            unit = (match.group(2) or "b").lower()
            size = float(match.group(1)) * _SIZE_FACTOR[unit]  # a 400-digit number is inf here
    if size is None:
        raise ValueError(f"{_shown(value)} is not a size; use forms like 500KB, 10MB, 1GiB")
    if size < 0:
        raise ValueError("a size cannot be negative")
    if size > MAX_SIZE:
        raise ValueError(f"{_shown(value)} is larger than the largest size accepted, 1TiB")
    return int(size)


def _shown(value: object) -> str:
    """``repr(value)``, cut short: a 400-digit number does not belong in an error message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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


def format_size(size: int) -> str:
    """Render a byte count the way config.yaml writes it (``10MB``, ``512KB``, ``1.5MB``)."""
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + unit
    return f"{size}B"
