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
_WHO = (
    r"(?:(pakistani|afghan|taliban|border|security|frontier|paramilitary|tribal|local)\s+)?"
    r"(soldiers?|troops|personnel|security (?:forces|personnel|officials)|policemen|police|guards?|fc men|"
    r"civilians?|people|children|women|villagers|residents|militants?|fighters?|terrorists|insurgents|"
    r"taliban(?: fighters)?|attackers)"
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


def _side(adjective: str | None, noun: str, sentence: str) -> str:
    noun = noun.lower()
    adjective = (adjective or "").lower()
    if noun.startswith(("civilian", "people", "children", "women", "villager", "resident")):
        return "civilians"
    if noun.startswith(("militant", "fighter", "terrorist", "insurgent", "attacker")) or noun.startswith("taliban"):
        return "militants" if adjective != "afghan" else "afghanistan"
    if adjective == "afghan" or adjective == "taliban":
        return "afghanistan"
    if adjective == "pakistani" or noun in ("fc men",):
        return "pakistan"
    lowered = sentence.lower()
    # Unqualified "soldiers": the side whose army the sentence names first.
    afghan_at = min((lowered.find(w) for w in ("afghan", "taliban") if w in lowered), default=10**6)
    pakistan_at = min((lowered.find(w) for w in ("pakistan", "ispr", "fc ") if w in lowered), default=10**6)
    return "pakistan" if pakistan_at <= afghan_at else "afghanistan"


def casualties(sentences: list[str]) -> dict[str, int]:
    """Killed and injured counts by side (pakistan, afghanistan, militants, civilians).

    Only what is stated: "23 soldiers were martyred" gives pakistan_killed 23 when the
    sentence is about Pakistan's army. The highest figure per key wins (reports update).
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
            side = _side(who.group(1), who.group(2), sentence)
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
