""" "New since your last visit", without accounts and without JavaScript: one cookie.

The cookie holds two times: ``since``, the end of the previous visit (alerts and stories
stored after it are marked *new*), and ``last``, the last page view. A *visit* is a run
of page views with less than :data:`VISIT_GAP` between them, as forums have long counted
them: within a visit the marks stay put (reloading, opening a story and coming back
does not clear them, as it would if every page view moved the mark), and the first page
view after a longer pause starts a new visit whose ``since`` is the previous ``last``.
So at 7 am everything that arrived since you closed the tab yesterday is new, and stays
new while you read it. A first visit (no cookie, or one we cannot read) marks nothing:
without a baseline, everything would be "new".

The cookie is set on every dashboard page served with 200 (never by the API, the feed or
an error page), for :data:`COOKIE_MAX_AGE`, ``HttpOnly`` and ``SameSite=Lax``; it holds
no identity, only the two times (microseconds since the Unix epoch: exact, so an alert
raised a moment before a page view is not "new" on the next one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.responses import Response

COOKIE = "newswatch_visit"
# A pause longer than this ends a visit (the usual web-analytics session timeout).
VISIT_GAP = timedelta(minutes=30)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
COOKIE_MAX_AGE = int(timedelta(days=365).total_seconds())


@dataclass(frozen=True)
class Visit:
    """The current visit: things stored after ``since`` are new (nothing is when None)."""

    since: datetime | None
    now: datetime

    def is_new(self, stored: datetime | None) -> bool:
        """Whether something stored at ``stored`` arrived after the previous visit."""
        if self.since is None or stored is None:
            return False
        aware = stored if stored.tzinfo is not None else stored.replace(tzinfo=UTC)
        return aware > self.since

    def cookie_value(self) -> str:
        """``<since>_<now>`` in microseconds since the epoch (digits and ``_``: a valid cookie value)."""
        since = self.since if self.since is not None else self.now
        return f"{to_cookie_time(since)}_{to_cookie_time(self.now)}"

    def remember(self, response: Response) -> None:
        """Set the cookie on ``response``, so the next page view continues this visit."""
        response.set_cookie(
            COOKIE, self.cookie_value(), max_age=COOKIE_MAX_AGE, path="/", httponly=True, samesite="lax"
        )


def to_cookie_time(value: datetime) -> int:
    """``value`` (aware) as microseconds since the Unix epoch."""
    return (value - EPOCH) // MICROSECOND


def _parse(value: str | None) -> tuple[datetime, datetime] | None:
    if not value:
        return None
    since, sep, last = value.partition("_")
    if not sep or not since.isdigit() or not last.isdigit():
        return None
    try:
        return EPOCH + int(since) * MICROSECOND, EPOCH + int(last) * MICROSECOND
    except (OverflowError, OSError, ValueError):
        return None


def visit_from_cookie(value: str | None, now: datetime) -> Visit:
    """The visit a page view at ``now`` belongs to, given the cookie it carried.

    Within :data:`VISIT_GAP` of the last page view: the same visit (same ``since``). After
    a longer pause: a new visit, new since the previous page view. No cookie, or one we
    cannot read: a first visit, with nothing new. A cookie from the future (a clock set
    back) counts as a first visit too rather than hiding everything until then.
    """
    parsed = _parse(value)
    if parsed is None:
        return Visit(None, now)
    since, last = parsed
    if last > now or since > last:
        return Visit(None, now)
    if now - last < VISIT_GAP:
        return Visit(since, now)
    return Visit(last, now)
