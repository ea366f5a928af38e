"""The ranges of every number and time a user can type, in one place.

The command line, the API and the dashboard all take their bounds from here, so a value is
refused at the boundary (exit 2 naming the option, a 422 naming the parameter) instead of
reaching the database or ``datetime`` arithmetic and failing there as a 500 or a traceback
(SQLite refuses integers beyond 64 bits, PostgreSQL's INTEGER beyond 32, and ``datetime``
ends at years 1 and 9999).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.units import MAX_DURATION

# Every id in storage.models is an Integer column: INTEGER (32-bit) on PostgreSQL, so no
# stored id is larger, and a larger one bound to a query is an "integer out of range" error
# there (SQLite's 64-bit rowids never get past it either: ids are handed out one by one).
ID_MIN = 1
ID_MAX = 2**31 - 1

# The command line's --limit and --offset: any count the database can take (a limit this
# large means "everything"; it is a LIMIT, nothing is allocated for it).
COUNT_MAX = 2**31 - 1

# One page of the API and the dashboard, and how deep paging goes: the pages are cut in
# Python from offset + limit + 1 rows (web.archive), so the offset is what bounds that cost.
# Deeper history is reached with since/until.
PAGE_LIMIT_MAX = 200
PAGE_OFFSET_MAX = 10_000

# The instants Python can represent, hence every time a query can carry.
EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)
RANGE_TEXT = "0001-01-01 and 9999-12-31 UTC"


def check_instant(value: datetime) -> datetime:
    """``value`` (aware) when it lies between :data:`EARLIEST` and :data:`LATEST`, else ``ValueError``.

    Why: ``9999-12-31T23:00-05:00`` is a valid ISO datetime whose UTC instant is past the
    end of ``datetime``; it would only fail (``OverflowError``) when bound to a query.
    """
    try:
        value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value.isoformat()} is outside the times that can be searched: {RANGE_TEXT}") from None
    return value


def longest_age(now: datetime) -> timedelta:
    """The longest age (``--since 2d`` style) accepted at ``now``: the longest duration, or back to year 1."""
    return min(now - EARLIEST, MAX_DURATION)


def shown(value: str, width: int = 40) -> str:
    """``value`` quoted for an error message, cut to ``width`` characters (a pasted megabyte stays out)."""
    return repr(value if len(value) <= width else value[:width] + "…")
