"""When did it happen? Resolving "on Friday", "late Saturday", "Oct 12" against publication time.

News states event dates relative to the day it is written: a weekday means the latest such
day on or before publication ("on Friday" in a Saturday paper is yesterday), "yesterday"
and "last night" mean the day before, "earlier this week" a few days back. The publication
day is the outlet's own (the time zone of its timestamp), which is why callers pass the
published time with its offset, never converted to UTC.

Not every day a report names is the day of the event:

* a day a source spoke ("the army said on Friday", "a affirmé jeudi", "ہفتے کے روز بتایا")
  is the day of the statement; the event is on or before it;
* a dateline ("KINSHASA, 18 mars -") is the filing day;
* two days named as one span ("met Thursday and Friday", "dans la nuit de mercredi à
  jeudi", "the night of October 11-12") are dated by the day the span ended, the day a
  round closed or a night's fighting stopped;
* "the day before" counts back from the day the sentence names ("buried on Tuesday those
  killed the day before"), not from the publication; and not at all when it sits in a
  clause with its own subject that tells another, earlier event in passing ("struck the
  roads on Monday to reach the halls the United States bombed the day before": Monday);
* "a day after X" is the day after the day X names ("struck on Saturday, a day after the
  talks collapsed on Friday", "au lendemain d'une embuscade mercredi": Thursday); with X
  undated, the publication day is only a bound (basis ``relative``).

A report that dates its event nowhere is dated the day it was published. (A morning report
often tells the day before's news, but dating such reports a day back, measured on the
labeled sets, split reports of one event apart more often than it joined them.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from crawler.analysis.events import date_words as w

# A date more than this far back is not this report's news (a recap, an anniversary).
STALE_DAYS = 60


@dataclass(frozen=True)
class _Reference:
    day: date
    start: int
    end: int
    weekday: bool = False
    statement: bool = False


@dataclass(frozen=True)
class EventDay:
    """The day an event happened, and what dated it.

    ``basis``: ``sentence`` (the sentence dates it), ``context`` (the headline or the lede
    does), ``statement`` (only the day a source spoke is given), ``relative`` (the event is "a day
    after" something undated: the day given is a bound, not a reading), ``publication`` (nothing
    dates it: the publication day).
    """

    day: date
    basis: str


def _year_for(month: int, day: int, published: date, explicit: str | None) -> date | None:
    year = int(explicit) if explicit else published.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return None
    # "Dec 30" in a January paper is last year's; "October 25" in an October 19 paper is a
    # date ahead (a meeting planned), kept in this year.
    if not explicit and candidate > published + timedelta(days=120):
        try:
            candidate = date(year - 1, month, day)
        except ValueError:
            return None
    return candidate


def _explicit(text: str, published: date) -> list[_Reference]:
    found = []
    # (pattern, group of the month, of the day, of the span's last day, of the year)
    for pattern, names, month_at, day_at, last_at, year_at in (
        (w.DAY_MONTH, w.MONTHS, 3, 1, 2, 4),
        (w.MONTH_DAY, w.MONTHS, 1, 2, 3, 4),
        (w.DAY_MONTH_OTHER, w.MONTHS_OTHER, 3, 1, 2, 4),
        (w.MONTH_DAY_OTHER, w.MONTHS_OTHER, 1, 2, 3, 4),
    ):
        for match in pattern.finditer(text):
            name = match.group(month_at).lower()
            month = names.get(name[:3] if names is w.MONTHS else name)
            day = match.group(last_at) or match.group(day_at)
            if match.group(last_at) and not _night_of(match.group(day_at), match.group(last_at), match.group(0)):
                # "May 12 and 15 wounded": a day and a count, not a span.
                day = match.group(day_at)
            value = _year_for(month, int(day), published, match.group(year_at)) if month else None
            if value:
                found.append(_Reference(value, match.start(), match.end()))
    return found


def _night_of(first: str, last: str, text: str) -> bool:
    """Whether two day numbers joined in ``text`` are one span: a dash, or "and" between two days in a row."""
    return bool(re.search(r"\d\s*[-–]\s*\d", text)) or int(last) == int(first) + 1


def explicit_dates(text: str, published: date) -> list[date]:
    """Calendar dates written in the text (``12 October``, ``Oct 12``; a span by its last day)."""
    return [reference.day for reference in _explicit(text, published)]


def _scheduled(body: str, start: int, end: int) -> bool:
    """Whether the weekday at ``start:end`` is a day to come ("set for Sunday", "samedi prochain")."""
    return bool(w.SCHEDULED_BEFORE.search(body[max(0, start - 30) : start]) or w.SCHEDULED_AFTER.match(body[end:]))


def _weekdays(body: str, day: date) -> list[_Reference]:
    found = []
    for match in w.WEEKDAY.finditer(body):
        if _scheduled(body, match.start(), match.end()):
            # A plan's day is not the event's; resolved backwards it would date a round
            # called off today by last week's Sunday.
            continue
        target = w.WEEKDAYS.index(match.group(1).lower())
        back = (day.weekday() - target) % 7
        if match.group(0).lower().startswith("last ") and back == 0:
            back = 7
        found.append(_Reference(day - timedelta(days=back), match.start(), match.end(), weekday=True))
    for target, pattern in enumerate(w.WEEKDAY_OTHER):
        for match in pattern.finditer(body):
            if _scheduled(body, match.start(), match.end()):
                continue
            # "شب جمعه" (the night of Friday) is Thursday night: the night before the day.
            eve = w.EVE.search(body, max(0, match.start() - 8), match.start()) is not None
            back = (day.weekday() - (target - eve)) % 7
            found.append(_Reference(day - timedelta(days=back), match.start(), match.end(), weekday=True))
    return found


def _joined(gap: str) -> bool:
    """Whether the text between two day names makes them one span ("Thursday and Friday")."""
    tokens = []
    for token in re.findall(r"[\w'’-]+|[-–]", gap.lower()):
        # Arabic writes "and" joined to the next word: "وصباح" is "and the morning of".
        tokens += ["و", token[1:]] if token.startswith("و") and len(token) > 2 else [token]
    return any(t in w.SPAN_JOINS for t in tokens) and all(t in w.SPAN_JOINS or t in w.PARTS_OF_DAY for t in tokens)


def _spans(body: str, references: list[_Reference]) -> list[_Reference]:
    """Drop the first day of each two-day span: the span is dated by its last day."""
    days = sorted((r for r in references if r.weekday), key=lambda r: r.start)
    dropped = {
        id(first)
        for first, last in pairwise(days)
        if 0 <= (last.day - first.day).days <= 1 and _joined(body[first.end : last.start])
    }
    return [r for r in references if id(r) not in dropped]


def _statement(body: str, reference: _Reference) -> bool:
    """Whether a day is the day a source spoke ("said on Sunday"), not the day of the event."""
    before = body[max(0, reference.start - 160) : reference.start]
    after = body[reference.end : reference.end + 80]
    if after.startswith(("'s", "’s")):  # "said Friday's clashes killed...": the clashes' day
        return False
    return bool(w.SAID_BEFORE.search(before) or w.SAID_AFTER.search(after))


def _references(body: str, day: date) -> list[_Reference]:
    """Every date a sentence refers to, resolved against the publication day."""
    found = [r for r in _explicit(body, day) if r.day <= day + timedelta(days=1)]
    found += _weekdays(body, day)
    for pattern, offset in w.RELATIVE + w.RELATIVE_OTHER:
        for match in pattern.finditer(body):
            found.append(_Reference(day - timedelta(days=offset), match.start(), match.end()))
    found = [_Reference(r.day, r.start, r.end, r.weekday, statement=_statement(body, r)) for r in _spans(body, found)]
    found = _day_after(body, found)
    # "The day before" counts back from the day the sentence names for its event.
    anchors = [r for r in found if not r.statement and (r.weekday or r.day != day)]
    if anchors:
        earliest = min(r.day for r in anchors)
        for match in w.DAY_BEFORE.finditer(body):
            if not _another_event(body, match.start(), anchors):
                found.append(_Reference(earliest - timedelta(days=1), match.start(), match.end()))
    return found


def _clauses_after(body: str) -> list[tuple[int, int]]:
    """Where each "a day after X" tells its X: from the phrase to the next break."""
    return [
        (m.end(), m.end() + len(re.split(r"[,;.:()\u060c\u061b—–]", body[m.end() :])[0]))
        for m in w.DAY_AFTER.finditer(body)
    ]


def _day_after(body: str, references: list[_Reference]) -> list[_Reference]:
    """A day named in the X of "a day after X" dates X: the event is the day after it."""
    clauses = _clauses_after(body)
    return [
        _Reference(r.day + timedelta(days=1), r.start, r.end, r.weekday, r.statement)
        if any(start <= r.start < end for start, end in clauses)
        else r
        for r in references
    ]


def _undated_after(body: str, day: date) -> bool:
    """Whether the text dates its event only as "a day after" something it does not date."""
    references = _references(body, day)
    return any(not any(start <= r.start < end for r in references) for start, end in _clauses_after(body))


def _another_event(body: str, start: int, anchors: list[_Reference]) -> bool:
    """Whether "the day before" at ``start`` lies in a clause that tells another, earlier event.

    Its own clause is the text after the last comma (or other break) and after the last day
    named before it: "struck on Monday, the army said, to reach the halls the United States
    bombed the day before" is read on "to reach the halls the United States bombed ".
    """
    begin = max((r.end for r in anchors if r.end <= start), default=0)
    clause = re.split(r"[,;:()\u060c\u061b—–]", body[begin:start])[-1]
    return any(pattern.search(clause) for pattern in w.OTHER_EVENT_CLAUSE)


def day_references(body: str, published: datetime) -> list[tuple[date, int, int]]:
    """Every day a text names, resolved against the publication day: (day, start, end) in ``body``."""
    return [(r.day, r.start, r.end) for r in _references(body, published.date())]


def names_today(sentence: str) -> bool:
    """Whether a sentence names the day it is written ("today", "آج", "aujourd'hui")."""
    return any(offset == 0 and pattern.search(sentence) for pattern, offset in w.RELATIVE + w.RELATIVE_OTHER)


def strip_dateline(sentence: str) -> str:
    """The sentence without its dateline (\"KINSHASA, 18 mars -\"): the filing day is not the event's."""
    body = re.sub(r"^[A-Z][A-Z /,.-]{2,40}(\([^)]*\))?\s*[-–—:]\s*", "", sentence.strip())
    # "ISLAMABAD, Nov 8 (Wire) -", "KINSHASA, 18 mars -", "GOMA, Septemba 4 (Agency) -": the filing day.
    return re.sub(
        r"^[A-Z][A-Z /'.-]{1,40}, (?:\d{1,2}(?:er|st|nd|rd|th)? [^\W\d]+\.?|[^\W\d]+\.? \d{1,2})(?:,? \d{4})?"
        r"(?: \([^)]*\))? ?[-–—:] ",
        "",
        body,
    )


def read_event_date(
    sentence: str, published: datetime, context: list[str] | None = None, *, recent: int = 3
) -> EventDay:
    """The date a sentence reports, relative to the article's publication time, and what dated it.

    Of the recent dates a sentence refers to (the last ``recent`` days), the earliest wins
    ("sifting through the ashes on Friday after a raid on Thursday" reports Thursday); an
    older date stated beside a recent one is background ("clashed on Saturday, a week after
    the truce of October 19"). Only old dates: the latest of them (a recap). Datelines are
    the filing date and do not count, nor do the days sources spoke. A sentence with no
    time reference borrows the first one of ``context`` (the headline and lede); with only
    the day a source spoke, the event is on or before it. Else the publication day.
    """
    day = published.date()
    spoke: list[date] = []
    for index, text in enumerate([sentence, *(context or [])]):
        references = _references(strip_dateline(text), day)
        spoke += [r.day for r in references if r.statement and r.day >= day - timedelta(days=STALE_DAYS)]
        events = [r.day for r in references if not r.statement]
        found = [d for d in events if d >= day - timedelta(days=STALE_DAYS)]
        if (
            index == 0
            and not found
            and (stale := [r.day for r in references if r.day < day - timedelta(days=STALE_DAYS)])
        ):
            # The sentence itself dates what it reports months or years back ("a year ago,
            # on 15 April 2023, the first shots..."): an anniversary or a recap, not news.
            return EventDay(max(stale), "sentence")
        if spoke and index > 0:
            # A source spoke on a given day: the event is on it or in the days before.
            bound = min(spoke)
            found = [d for d in found if bound - timedelta(days=recent) <= d <= bound]
        if found:
            fresh = [d for d in found if d >= day - timedelta(days=recent)]
            return EventDay(min(fresh) if fresh else max(found), "sentence" if index == 0 else "context")
    if not spoke and _undated_after(strip_dateline(sentence), day):
        # "Froze the talks a day after the president's announcement": the event is the day
        # after one the report does not date, so the publication day is only a bound.
        return EventDay(day, "relative")
    if spoke:
        # Only the day a source spoke: the event is on or before it. The day itself is the
        # estimate: a talks outcome is often dated by its announcement, and a morning
        # statement tells the night's news as often as the day before's.
        return EventDay(min(spoke), "statement")
    return EventDay(day, "publication")


def resolve_event_date(
    sentence: str, published: datetime, context: list[str] | None = None, *, recent: int = 3
) -> date:
    """The date a sentence reports (:func:`read_event_date` without the basis)."""
    return read_event_date(sentence, published, context, recent=recent).day
