"""Facts of an event: places, parties, mediators from the gazetteer; casualties by side."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crawler.analysis.text import words

if TYPE_CHECKING:
    from crawler.analysis.gazetteer import Gazetteer

# Number words, the one definition: casualty figures read the cardinals, talks rounds
# (crawler.analysis.events.identity) the ordinals and the cardinals ("round two").
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "dozens": 24,
    "dozen": 12,
    "scores": 40,
    "hundreds": 200,
}
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
_NUM = r"(\d[\d,]*|" + "|".join(NUMBER_WORDS) + r")(?:\s*\+|\s+or more)?"
# Who was hit: a word before the noun may name their side ("Pakistani soldiers"), which the
# topic's gazetteer reads; the nouns are what any conflict's English press counts.
_WHO = (
    r"(?:([\w'’-]+)\s+)?"
    r"(soldiers?|troops|personnel|security (?:forces|personnel|officials)|policemen|police|guards?|fc men|"
    r"civilians?|people|children|women|villagers|residents|militants?|fighters?|terrorists|insurgents|"
    r"attackers)"
)
_KILLED = r"(killed|dead|died|martyred|slain|lost their lives|were killed|have been killed|had been killed)"
_INJURED = r"(injured|wounded|hurt)"
_FORWARD = re.compile(
    rf"\b{_NUM}\s+(?:[a-z-]+\s+){{0,2}}?{_WHO}\s+(?:\w+\s+){{0,3}}?(?P<verb>{_KILLED}|{_INJURED})", re.I
)
_BACKWARD = re.compile(
    rf"\b(?P<verb>killing|killed|wounding|injuring|martyring)\s+(?:at least\s+)?{_NUM}\s+{_WHO}", re.I
)


def _number(text: str) -> int | None:
    text = text.lower().replace(",", "")
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


_CIVILIANS = ("civilian", "people", "children", "women", "villager", "resident")
_MILITANTS = ("militant", "fighter", "terrorist", "insurgent", "attacker")
# Casualties whose side the sentence does not tell.
UNKNOWN_SIDE = "forces"


def _side(before: str, noun: str, sentence: str, gazetteer: Gazetteer | None) -> str:
    """Whose dead or wounded ``noun`` are: civilians, militants, or a side of the topic.

    ``before`` is the words just before the noun ("Pakistani", "Afghan border"): a party
    they name is the side. Otherwise the first party the sentence names, since news puts
    the side whose losses it counts first ("Pakistan's army said 23 soldiers were killed").
    """
    noun = noun.lower()
    if noun.startswith(_CIVILIANS):
        return "civilians"
    if noun.startswith(_MILITANTS):
        return "militants"
    if gazetteer is None:
        return UNKNOWN_SIDE
    for text in (before, sentence):
        named = [(canonical, phrase) for canonical, phrase in gazetteer.matches(words(text))]
        lowered = " ".join(words(text))
        sides = sorted(
            (lowered.find(phrase), side)
            for canonical, phrase in named
            if (side := gazetteer.side_of(canonical)) is not None
        )
        if sides:
            return sides[0][1]
    return UNKNOWN_SIDE


def casualties(sentences: list[str], gazetteer: Gazetteer | None = None) -> dict[str, int]:
    """Killed and injured counts by side: ``<side>_killed``, ``<side>_injured``.

    A side is one of the topic's (``topic.sides``, by the side's first name, through
    ``gazetteer``), ``militants``, ``civilians``, or ``forces`` when the sentence does not
    say. Only what is stated: "23 Pakistani soldiers were martyred" gives
    ``Pakistan_killed`` 23. The highest figure per key wins (reports update).
    """
    out: dict[str, int] = {}
    for sentence in sentences:
        for match in list(_FORWARD.finditer(sentence)) + list(_BACKWARD.finditer(sentence)):
            groups = [g for g in match.groups() if g is not None]
            number = next((_number(g) for g in groups if _number(g) is not None), None)
            if number is None or number > 100_000:
                continue
            who = re.search(_WHO, match.group(0), re.I)
            if who is None:
                continue
            # The adjective, else the words between the figure and the noun ("23 Afghan
            # border guards").
            before = match.group(0)[: who.start(2)]
            side = _side(before, who.group(2), sentence, gazetteer)
            verb = match.group("verb").lower()
            kind = "injured" if re.match(_INJURED + "|wounding|injuring", verb) else "killed"
            key = f"{side}_{kind}"
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
