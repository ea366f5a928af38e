"""When did it happen? Resolving "on Friday", "late Saturday", "Oct 12" against publication time.

News states event dates relative to the day it is written: a weekday means the latest such
day on or before publication ("on Friday" in a Saturday paper is yesterday), "yesterday"
and "last night" mean the day before, "earlier this week" a few days back.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? {_MONTH}(?:,? (\d{{4}}))?", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b{_MONTH} (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}}))?", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(?:on |late |early |last |this )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I
)
_RELATIVE = [
    (re.compile(r"\b(yesterday|last night|overnight)\b", re.I), 1),
    (re.compile(r"\b(today|tonight|this morning|this evening|this afternoon)\b", re.I), 0),
    (re.compile(r"\bearlier this week\b", re.I), 3),
    (re.compile(r"\blast week\b", re.I), 7),
    (re.compile(r"\bday before yesterday\b", re.I), 2),
]
# Letters and marks of the scripts read here (Arabic-script letters, Devanagari with its
# vowel signs, which ``\w`` leaves out, and the zero-width non-joiner inside Persian words):
# the words below must stand alone, or "نن" (Pashto "today") would be found in ننګرهار.
_LETTER = r"[\w\u0600-\u06ff\u0900-\u097f\u200c]"


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(f"(?<!{_LETTER})(?:{'|'.join(alternatives)})(?!{_LETTER})")


# Urdu, Pashto, Dari and Hindi words for yesterday, last night and today. (Urdu and Hindi
# "کل"/"कल" alone mean yesterday or tomorrow, so only with "night".)
_RELATIVE_OTHER = [
    (
        _words(
            "گزشتہ روز",
            "گذشتہ روز",
            "گزشتہ رات",
            "گذشتہ رات",
            "گزشتہ شب",
            "کل رات",
            "پرون",
            "پرونۍ شپه",
            "تېره شپه",
            "تیره شپه",
            "دیروز",
            "دیشب",
            "شب گذشته",
            "कल रात",
            "बीती रात",
            "पिछली रात",
            "बीते दिन",
        ),
        1,
    ),
    (_words("آج", "نن", "امروز", "आज"), 0),
    # French, Swahili and Arabic (the languages of the DR Congo coverage, among others).
    (
        _words(
            "hier", "hier soir", "dans la nuit de dimanche à lundi", "jana", "usiku wa kuamkia leo", "أمس", "البارحة"
        ),
        1,
    ),
    (_words("aujourd'hui", "aujourd’hui", "ce matin", "leo", "اليوم"), 0),
]
# Weekday names, Monday first: Hindi; Dari and Pashto (which write the Persian names,
# Pashto with its oblique endings: "د جمعې"); Urdu (whose Saturday and Monday words also
# mean "week" and "saint", so only with a postposition: "ہفتے کو", "پیر کی رات").
_NOT_COMPOUND = "(?<!یک )(?<!دو )(?<!سه )(?<!چهار )(?<!پنج )"
_URDU_ON = r"\s+(?:کو|کے روز|کے دن|کی رات|کی صبح|کی شام|کی شب|کی سہ پہر)"
# Dari, Persian (and Urdu's شبِ) name a night after the day it leads into.
_EVE = re.compile(f"(?<!{_LETTER})شب\u0650?[\\s\u200c]+$")
# French, Swahili (capitalised, like English) and Arabic names follow, day by day.
_WEEKDAY_OTHER = [
    _words(
        "सोमवार", "دوشنبه", "دوشنبې", "دو شنبه", "پیر" + _URDU_ON, "سوموار", "lundi", "Jumatatu", "الاثنين", "الإثنين"
    ),
    _words("मंगलवार", "سه\u200cشنبه", "سه شنبه", "سه\u200cشنبې", "سه شنبې", "منگل", "mardi", "Jumanne", "الثلاثاء"),
    _words("बुधवार", "چهارشنبه", "چهارشنبې", "چهار شنبه", "بدھ", "mercredi", "Jumatano", "الأربعاء", "الاربعاء"),
    _words(
        "गुरुवार",
        "बृहस्पतिवार",
        "پنجشنبه",
        "پنج\u200cشنبه",
        "پنج شنبه",
        "پنجشنبې",
        "پنج\u200cشنبې",
        "جمعرات",
        "jeudi",
        "Alhamisi",
        "الخميس",
    ),
    _words("शुक्रवार", "جمعه", "جمعې", "جمعہ", "جمعے", "vendredi", "Ijumaa", "الجمعة"),
    # Saturday's شنبه is also the second word of the other days written with a space.
    _words(
        "शनिवार", _NOT_COMPOUND + "(?:شنبه|شنبې)", "ہفتے" + _URDU_ON, "ہفتہ" + _URDU_ON, "samedi", "Jumamosi", "السبت"
    ),
    _words(
        "रविवार",
        "یکشنبه",
        "یک\u200cشنبه",
        "یک شنبه",
        "یکشنبې",
        "یک\u200cشنبې",
        "اتوار",
        "dimanche",
        "Jumapili",
        "الأحد",
    ),
]
# Month names of French and Swahili ("12 octobre", "Oktoba 12", "tarehe 12 Oktoba").
_MONTHS_OTHER = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "januari": 1,
    "februari": 2,
    "machi": 3,
    "aprili": 4,
    "mei": 5,
    "juni": 6,
    "julai": 7,
    "agosti": 8,
    "septemba": 9,
    "oktoba": 10,
    "novemba": 11,
    "desemba": 12,
}
_NAMES = "|".join(sorted(_MONTHS_OTHER, key=len, reverse=True))
_DAY_MONTH_OTHER = re.compile(rf"\b(\d{{1,2}})(?:er)? ({_NAMES})\b(?: (\d{{4}}))?", re.IGNORECASE)
_MONTH_DAY_OTHER = re.compile(rf"\b({_NAMES}) (\d{{1,2}})\b(?:,? (\d{{4}}))?", re.IGNORECASE)


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


def explicit_dates(text: str, published: date) -> list[date]:
    """Calendar dates written in the text (``12 October``, ``Oct 12``)."""
    found = []
    for match in _DAY_MONTH.finditer(text):
        month = MONTHS.get(match.group(2).lower()[:3])
        if month:
            value = _year_for(month, int(match.group(1)), published, match.group(3))
            if value:
                found.append(value)
    for match in _MONTH_DAY.finditer(text):
        month = MONTHS.get(match.group(1).lower()[:3])
        if month:
            value = _year_for(month, int(match.group(2)), published, match.group(3))
            if value:
                found.append(value)
    for match in _DAY_MONTH_OTHER.finditer(text):
        value = _year_for(_MONTHS_OTHER[match.group(2).lower()], int(match.group(1)), published, match.group(3))
        if value:
            found.append(value)
    for match in _MONTH_DAY_OTHER.finditer(text):
        value = _year_for(_MONTHS_OTHER[match.group(1).lower()], int(match.group(2)), published, match.group(3))
        if value:
            found.append(value)
    return found


def _references(body: str, day: date) -> list[date]:
    """Every date a sentence refers to, resolved against the publication day."""
    found = [d for d in explicit_dates(body, day) if d <= day + timedelta(days=1)]
    for weekday in _WEEKDAY.finditer(body):
        target = WEEKDAYS.index(weekday.group(1).lower())
        back = (day.weekday() - target) % 7
        if weekday.group(0).lower().startswith("last ") and back == 0:
            back = 7
        found.append(day - timedelta(days=back))
    for target, pattern in enumerate(_WEEKDAY_OTHER):
        for match in pattern.finditer(body):
            # "شب جمعه" (the night of Friday) is Thursday night: the night before the day.
            eve = _EVE.search(body, max(0, match.start() - 8), match.start()) is not None
            found.append(day - timedelta(days=(day.weekday() - (target - eve)) % 7))
    for pattern, offset in _RELATIVE + _RELATIVE_OTHER:
        if pattern.search(body):
            found.append(day - timedelta(days=offset))
    return found


def _strip_dateline(sentence: str) -> str:
    body = re.sub(r"^[A-Z][A-Z /,.-]{2,40}(\([^)]*\))?\s*[-–—:]\s*", "", sentence.strip())
    return re.sub(rf"^[A-Z ]+, {_MONTH} \d{{1,2}} \([^)]*\) [-–—] ", "", body, flags=re.IGNORECASE)


def resolve_event_date(
    sentence: str, published: datetime, context: list[str] | None = None, *, recent: int = 3
) -> date:
    """The date a sentence reports, relative to the article's publication time.

    Of the recent dates a sentence refers to (the last ``recent`` days), the earliest wins
    ("sifting through the ashes on Friday after a raid on Thursday" reports Thursday); an
    older date stated beside a recent one is background ("clashed on Saturday, a week after
    the truce of October 19"). Only old dates: the latest of them (a recap). Datelines are
    the filing date and do not count. A sentence with no time reference borrows the first
    one of ``context`` (the headline and lede), else the publication date.
    """
    day = published.date()
    for index, text in enumerate([sentence, *(context or [])]):
        references = _references(_strip_dateline(text), day)
        found = [d for d in references if d >= day - timedelta(days=60)]
        if index == 0 and not found and (stale := [d for d in references if d < day - timedelta(days=60)]):
            # The sentence itself dates what it reports months or years back ("a year ago,
            # on 15 April 2023, the first shots..."): an anniversary or a recap, not news.
            return max(stale)
        if found:
            fresh = [d for d in found if d >= day - timedelta(days=recent)]
            return min(fresh) if fresh else max(found)
    return day
