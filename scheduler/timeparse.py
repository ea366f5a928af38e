"""Points in time as people type them on the command line (``--since 2d``, ``--until 2025-11-06``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from scheduler.units import parse_duration

# A relative form needs a unit (2d, 12h, 1h30m): a bare number is more likely a mistyped date.
_RELATIVE = re.compile(r"^\s*\d+(?:\.\d+)?\s*[a-zA-Z]")

ACCEPTED = (
    "an ISO date or datetime (2025-11-06, 2025-11-06T14:30, 2025-11-06T14:30+05:00) or an age such as 2d, 12h, 90m"
)


def parse_when(value: str, *, now: datetime | None = None) -> datetime:
    """Parse an ISO 8601 date/datetime or a relative age into an aware datetime.

    A date means midnight UTC; a naive datetime is UTC; ``2d`` or ``1h30m`` means that long
    before ``now``. Raises ``ValueError`` naming the accepted forms.
    """
    text = value.strip()
    if not text:
        raise ValueError(f"empty value; expected {ACCEPTED}")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    if _RELATIVE.match(text):
        try:
            age = parse_duration(text)
        except ValueError:
            pass
        else:
            return (now or datetime.now(UTC)) - age
    raise ValueError(f"{value!r} is not {ACCEPTED}")
