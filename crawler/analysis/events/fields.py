"""Facts of an event: places, parties, mediators from the gazetteer; casualties by side."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.vocabulary import LANGUAGES, en
from crawler.analysis.text import normalise, words

if TYPE_CHECKING:
    from crawler.analysis.gazetteer import Gazetteer

# Number words, the one definition (English's casualty table): casualty figures read the
# cardinals, talks rounds (crawler.analysis.events.identity) the ordinals and the cardinals
# ("round two").
NUMBER_WORDS = en.CASUALTY.numbers
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
# Above this a figure is a population or a sum, not the dead or wounded of one event.
MAX_FIGURE = 100_000


@dataclass(frozen=True)
class _Reader:
    """One language's casualty patterns, built from its vocabulary's ``CASUALTY`` table."""

    table: CasualtyTable
    numbers: dict[str, int]
    shapes: tuple[re.Pattern[str], ...]
    who: re.Pattern[str]
    negation: re.Pattern[str] | None


def _reader(table: CasualtyTable) -> _Reader:
    def fold(pattern: str) -> str:
        # A table's words in the form the sentence is read in (normalise leaves regex syntax be).
        return normalise(pattern) if table.folded else pattern

    numbers = {fold(word): value for word, value in table.numbers.items()}
    number_words = "|".join(map(re.escape, sorted(numbers, key=len, reverse=True)))
    number = rf"(?P<num>{table.digits}|{number_words})(?:{table.more})?"
    # A word between the figure and the noun is no figure, and no killed or injured verb
    # unless the language uses them as adjectives there: "quatre morts civils et plusieurs
    # blessés" says four dead, not four wounded.
    not_verb = "" if table.participle_adjectives else rf"(?!(?:{fold(table.killed)}|{fold(table.injured)})\s)"
    # Who was hit: a word before the noun may name their side ("Pakistani soldiers"), which
    # the topic's gazetteer reads; the noun's group says forces, civilians or militants.
    who = (
        rf"(?:(?!(?:{number_words})\s){not_verb}({table.adjective})\s+)?(?:(?P<forces>{fold(table.forces)})"
        rf"|(?P<civilians>{fold(table.civilians)})|(?P<militants>{fold(table.militants)}))"
    )
    after = rf"(?P<verb>(?P<killed>{fold(table.killed)})|(?P<injured>{fold(table.injured)})){table.verb_end}"
    before = rf"(?P<verb>(?P<killed>{fold(table.killing)})|(?P<injured>{fold(table.injuring)}))"
    at_least = rf"(?:(?:{fold(table.at_least)})\s+)?" if table.at_least else ""
    gap = rf"(?:{table.gap_word}\s+){{0,{table.gap}}}?"
    # Figure, noun, verb ("12 soldiers were killed"); verb, figure, noun ("killing 12 soldiers").
    shapes = [rf"(?<!\w){number}\s+(?:{not_verb}{table.word}\s+){{0,2}}?{who}\s+{gap}{after}"]
    if table.killing:
        shapes.append(rf"(?<!\w){before}\s+{at_least}{number}\s+{who}")
    if table.figure_after_noun:
        # Noun, figure, verb ("wanajeshi 12 waliuawa"); verb, noun, figure ("kuuawa kwa wanajeshi 12").
        shapes.append(rf"(?<!\w){who}\s+{at_least}{number}\s+{gap}{after}")
        shapes.append(rf"(?<!\w){before}\s+{who}\s+{at_least}{number}(?!\w)")
    negation = re.compile(rf"(?<!\w)(?:{fold(table.negation)})(?!\w)", re.I) if table.negation else None
    return _Reader(table, numbers, tuple(re.compile(s, re.I) for s in shapes), re.compile(who, re.I), negation)


@cache
def _readers() -> dict[str, _Reader]:
    # Compiled on the first figure read, not at import: the crawl's start-up needs none.
    return {code: _reader(module.CASUALTY) for code, module in LANGUAGES.items()}


def _number(text: str, reader: _Reader) -> int | None:
    # Digits of any script: int() reads every Unicode decimal digit ("۱۲", "١٢", "१२").
    digits = re.sub(r"[,.\u066c \u00a0\u202f]", "", text)
    if digits.isdecimal():
        return int(digits)
    return reader.numbers.get(normalise(text))


# Casualties whose side the sentence does not tell.
UNKNOWN_SIDE = "forces"


def _side(before: str, kind: str, sentence: str, gazetteer: Gazetteer | None) -> str:
    """Whose dead or wounded they are: civilians, militants, or a side of the topic.

    ``kind`` is the noun's kind in the language's table. ``before`` is the words just before
    the noun ("Pakistani", "Afghan border"): a party they name is the side. Otherwise the
    first party the sentence names, since news puts the side whose losses it counts first
    ("Pakistan's army said 23 soldiers were killed").
    """
    if kind in ("civilians", "militants"):
        return kind
    if gazetteer is None:
        return UNKNOWN_SIDE
    for text in (before, sentence):
        tokens = words(text)
        lowered = " ".join(tokens)
        sides = sorted(
            (lowered.find(phrase), side)
            for canonical, phrase in gazetteer.matches(tokens)
            if (side := gazetteer.side_of(canonical)) is not None
        )
        if sides:
            return sides[0][1]
    return UNKNOWN_SIDE


def _negated(reader: _Reader, sentence: str, match: re.Match[str]) -> bool:
    """Whether a negation stands in the statement or just before its figure ("ни один из 12")."""
    if reader.negation is None:
        return False
    # A window of the sentence, not a slice of it: a word the window cuts is no negation
    # ("لن" in "أعلن").
    found = reader.negation.search(sentence, max(0, match.start() - 30))
    return found is not None and found.start() < match.end() + 15


def casualties(
    sentences: list[str], gazetteer: Gazetteer | None = None, languages: Iterable[str] | None = None
) -> dict[str, int]:
    """Killed and injured counts by side: ``<side>_killed``, ``<side>_injured``.

    A side is one of the topic's (``topic.sides``, by the side's first name, through
    ``gazetteer``), ``militants``, ``civilians``, or ``forces`` when the sentence does not
    say. Only what is stated: "23 Pakistani soldiers were martyred" gives
    ``Pakistan_killed`` 23, and so do "23 soldats pakistanais tués" and "مقتل 23 جنديا
    باكستانيا". ``languages`` are the vocabularies read (all of them by default: quotes mix
    languages and a declared language can be wrong). The highest figure per key wins
    (reports update).
    """
    readers = [_readers()[code] for code in (languages or LANGUAGES) if code in LANGUAGES]
    out: dict[str, int] = {}
    for sentence in sentences:
        folded = normalise(sentence)
        for reader in readers:
            text = folded if reader.table.folded else sentence
            for match in (m for shape in reader.shapes for m in shape.finditer(text)):
                number = _number(match.group("num"), reader)
                if number is None or number > MAX_FIGURE or _negated(reader, text, match):
                    continue
                # The first noun of the statement, with the words before it: the adjective,
                # else the words between the figure and the noun ("23 Afghan border guards").
                who = reader.who.search(match.group(0))
                if who is None:
                    continue
                kind = next(k for k in ("forces", "civilians", "militants") if who.group(k) is not None)
                side = _side(match.group(0)[: who.start(kind)], kind, text, gazetteer)
                key = f"{side}_{'injured' if match.group('injured') is not None else 'killed'}"
                out[key] = max(out.get(key, 0), number)
    return out


def entities(gazetteer: Gazetteer, text: str) -> dict[str, list[str]]:
    """Places, parties and mediators named in ``text``, by kind, in canonical form."""
    found = gazetteer.find(words(text))
    out: dict[str, list[str]] = {"places": [], "parties": [], "mediators": []}
    for name in sorted(found):
        kind = gazetteer.kinds.get(name, "place")
        out[{"place": "places", "party": "parties", "mediator": "mediators"}[kind]].append(name)
    return out
