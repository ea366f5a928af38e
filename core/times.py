"""Times for people: in the display zone, relative to now ("2 h ago"), with the absolute time beside.

One set of rules for every surface that shows a time (the dashboard, the CLI tables, the
digest, the Atom feed): it sits in ``core/`` so that ``web/``, ``notify/`` and the CLI can
all use it without importing one another.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.jsonable import aware

if TYPE_CHECKING:
    from core.config import Config


def display_zone(config: Config) -> ZoneInfo:
    """The zone times are shown in: ``display.timezone``, else ``digest.timezone``."""
    return ZoneInfo(config.display.timezone or config.digest.timezone)


def absolute(value: datetime, zone: tzinfo = UTC) -> str:
    """``2025-11-07 14:00 PKT``: ``value`` in the display zone, with the zone's abbreviation."""
    return aware(value).astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def relative(value: datetime, now: datetime, zone: tzinfo = UTC) -> str:
    """``2 h ago``, ``in 5 min``, ``just now``; past a week the date (``7 Nov 2025``, in ``zone``).

    Why a date past a week: "43 d ago" makes the reader do arithmetic a date spares them.
    """
    delta = aware(now) - aware(value)
    seconds = abs(delta.total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 86400:
        amount = f"{int(seconds // 3600)} h"
    elif seconds < 7 * 86400:
        amount = f"{int(seconds // 86400)} d"
    else:
        local = aware(value).astimezone(zone)
        return f"{local.day} {local:%b %Y}"
    return f"{amount} ago" if delta.total_seconds() > 0 else f"in {amount}"


def brief(value: datetime, now: datetime, zone: tzinfo = UTC) -> str:
    """A time for a table cell, where nothing shows on hover: ``2 h ago, 7 Nov 14:00``.

    Relative and the local clock time within a week; past it the date and time
    (``7 Nov 2025 14:00``), the relative part being only the date again. The zone goes in
    the column header (:func:`zone_name`).
    """
    local = aware(value).astimezone(zone)
    if abs((aware(now) - aware(value)).total_seconds()) < 7 * 86400:
        return f"{relative(value, now, zone)}, {local.day} {local:%b %H:%M}"
    return f"{local.day} {local:%b %Y %H:%M}"


def zone_name(zone: tzinfo, now: datetime | None = None) -> str:
    """The zone's abbreviation at ``now`` (``PKT``, ``UTC``, ``CET``) for a header."""
    return (now or datetime.now(UTC)).astimezone(zone).strftime("%Z")
