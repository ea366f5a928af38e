"""Values as :mod:`json` can write them: the one conversion the CLI's JSON/CSV and the HTTP API share.

Datetimes become ISO 8601 with a zone, durations the text ``newswatch`` reads back
(``1h30m``), dataclasses and containers recursively.
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from core.units import format_duration


def aware(value: datetime) -> datetime:
    """``value`` with a time zone; naive values are taken as UTC (how newswatch stores time)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def jsonable(value: Any) -> Any:
    """Convert ``value`` to what :mod:`json` can write; datetimes become ISO 8601 with zone."""
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value
