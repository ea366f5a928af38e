"""Points in time as people type them on the command line (``--since 2d``, ``--until 2025-11-06``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from core.bounds import check_instant, longest_age, shown
from core.units import parse_duration

# A relative form needs a unit (2d, 12h, 1h30m): a bare number is more likely a mistyped date.
# ASCII digits only, as in an ISO date: Python's \d (and float()) would take ١٢ as 12.
_RELATIVE = re.compile(r"^\s*[0-9]+(?:\.[0-9]+)?\s*[a-zA-Z]", re.ASCII)

ACCEPTED = (
    "an ISO date or datetime (2025-11-06, 2025-11-06T14:30, 2025-11-06T14:30+05:00) or an age such as 2d, 12h, 90m"
)


def parse_when(value: str, *, now: datetime | None = None) -> datetime:
    """Parse an ISO 8601 date/datetime or a relative age into an aware datetime.

    A date means midnight UTC; a naive datetime is UTC; ``2d`` or ``1h30m`` means that long
    before ``now``. The result lies between 0001-01-01 and 9999-12-31 UTC
    (:mod:`core.bounds`): an offset that takes a datetime outside, or an age reaching
    back before year 1, is refused too. Raises ``ValueError`` (and nothing else) naming the
    accepted forms or the range.
    """
    text = value.strip()
    if not text:
        raise ValueError(f"empty value; expected {ACCEPTED}")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        return check_instant(parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC))
    if _RELATIVE.match(text):
        try:
            # An age is a duration like any other: at most units.MAX_DURATION, whose message
            # says so (an infinite or 999999999999d age included).
            age = parse_duration(text)
        except ValueError as exc:
            raise ValueError(f"{shown(value)} is not {ACCEPTED} ({exc})") from None
        now = now or datetime.now(UTC)
        longest = longest_age(now)
        if age > longest:
            raise ValueError(f"{shown(value)} reaches back before 0001-01-01; the longest age is {longest.days}d")
        return check_instant(now - age)
    raise ValueError(f"{shown(value)} is not {ACCEPTED}")
