"""Did the event last days? The span a report gives its event, when its words say so.

A report is dated by one day (:mod:`crawler.analysis.events.dates`), but an assault that
goes on for days is one event whose reports are dated days apart: the first day's toll, the
claim of victory two days later. When a report says its event lasted days ("three days of
attacks", "a three-day assault", "since Friday", "the attack that began on Friday"), its
span is those days, so that a report of the same place dated inside it is the same event
(:func:`crawler.analysis.events.identity.match`). Words per language in
:mod:`crawler.analysis.events.span_words`.

A duration is read in the headline and the lede: it names fighting that goes on, whatever
the sentence. A start ("since Friday") only in the headline and the sentence that states
the event: elsewhere it qualifies anything ("the crossing, shut since Sunday", "no comment
on the strikes since Sunday", a series of attacks rather than one).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from crawler.analysis.events import span_words as w
from crawler.analysis.events.dates import day_references, strip_dateline

if TYPE_CHECKING:
    from collections.abc import Iterable

# A span longer than this is a campaign (a siege of months, a war since 2023), not one event.
MAX_SPAN_DAYS = 7


def _duration(text: str) -> int | None:
    """The longest number of days a text says its fighting lasted, if it says."""
    found = []
    for pattern in w.DURATION:
        for match in pattern.finditer(text):
            number = next((g for g in match.groups() if g), None)
            if number is None:
                continue
            days = w.DAYS.get(number.lower()) or (int(number) if number.isdigit() else None)
            if days and 2 <= days <= MAX_SPAN_DAYS:
                found.append(days)
    return max(found, default=None)


def _start(text: str, published: datetime) -> date | None:
    """The earliest day a text says its event started on ("since Friday", "depuis vendredi")."""
    body = strip_dateline(text)
    starts = [
        day
        for day, begin, end in day_references(body, published)
        if w.START_BEFORE_DAY.search(body[max(0, begin - 60) : begin])
        or w.START_AFTER_DAY.search(body[end:])
        or (w.BEGIN_AFTER_DAY.search(body[end : end + 60]) and w.FIGHTING_BEFORE.search(body[:begin]))
    ]
    return min(starts, default=None)


def event_span(
    headline: str, evidence: str, lede: Iterable[str], event_day: date, published: datetime
) -> tuple[date, date] | None:
    """The days the event lasted, when the report says it lasted days (None: one day).

    A duration counts back from the day the report was written (or the event's day, if later):
    "after two days of assault" in a Sunday paper is Saturday and Sunday, widened to the
    event's own day if that is earlier. A start runs to that same day.
    """
    end = max(event_day, published.date())
    firsts = [end - timedelta(days=d - 1) for t in (headline, *lede) if (d := _duration(t)) is not None]
    firsts += [s for t in (headline, evidence) if (s := _start(t, published)) is not None]
    if not firsts:
        return None
    first = min(event_day, *firsts)
    if first >= end or (end - first).days > MAX_SPAN_DAYS:
        return None
    return first, end
