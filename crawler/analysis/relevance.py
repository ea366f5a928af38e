"""Is an article about the topic? Evidence from the configured vocabulary, in any language.

An article is on topic when its headline and lede name the topic's parties together (two
of them, like Pakistan and the Taliban), or one party at one of the topic's places (a
clash at Torkham) that is not inside that party's own side (``home_places``: an
earthquake near Kabul is Afghan news, a strike near Kabul by Pakistan is not), or one
party with enough of the topic's keywords. A single country
name is not enough: an earthquake in Afghanistan or India–Pakistan tension is not
Pakistan–Afghanistan news. Venues of talks (Istanbul, Doha) host other talks too, so
the mediators and venues count only as keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.analysis.events.classifier import split_sentences
from crawler.analysis.sports import reports_a_game
from crawler.analysis.text import normalise, words

if TYPE_CHECKING:
    from core.config import TopicConfig
    from crawler.analysis.gazetteer import Gazetteer

LEDE_SENTENCES = 6
MIN_KEYWORDS_WITH_ONE_PARTY = 3


# Full stops of scripts the sentence splitter does not know (Chinese and Japanese, Armenian,
# Burmese, Ethiopic): without them a Chinese article is one sentence, and its "lede" the
# whole text, where a passing mention deep down would count.
_OTHER_FULL_STOPS = re.compile("[。！？։။።]")


def _full_stops_as_breaks(text: str) -> str:
    if text.isascii():
        return text
    return _OTHER_FULL_STOPS.sub(lambda m: m.group() + "\n", text)


@dataclass(frozen=True)
class Relevance:
    """The decision and what it rests on."""

    relevant: bool
    score: float
    parties: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # Which rule decided, in words (``newswatch explain`` shows it).
    reason: str = ""


class RelevanceJudge:
    """Judges relevance from the topic's parties, places, aliases and keywords."""

    def __init__(self, topic: TopicConfig, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.parties = set(topic.parties) | {c for c, k in gazetteer.kinds.items() if k == "party"}
        self.venues = set(topic.mediators)
        self.sides = [set(side) for side in topic.sides if side]
        # One set per side kept above (core.config checks one list per side), so an
        # index into sides is one into home_places.
        homes = topic.home_places
        self.home_places = [set(home) for side, home in zip(topic.sides, homes, strict=True) if side] if homes else []
        phrases = sorted({normalise(k).strip() for values in topic.keywords.values() for k in values if k.strip()})
        # Latin keywords match whole words; other scripts inside words (attached particles).
        self._keywords = [
            (
                phrase,
                re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)") if phrase.isascii() else re.compile(re.escape(phrase)),
            )
            for phrase in phrases
        ]

    def judge(self, title: str, text: str, language: str | None = None) -> Relevance:
        """Decide on the headline and the lede (the first sentences of the body).

        A topic with no parties and no keywords configured gives nothing to judge by:
        everything is kept as relevant rather than silently dropped.
        """
        if not self.parties and not self._keywords:
            return Relevance(True, 0.0, reason="the topic configures no parties and no keywords: everything is kept")
        lede = "\n".join([title, *split_sentences(_full_stops_as_breaks(text), LEDE_SENTENCES)])
        found = self.gazetteer.find(words(lede))
        parties = sorted(e for e in found if e in self.parties)
        places = sorted(e for e in found if self.gazetteer.kinds.get(e) == "place" and e not in self.venues)
        folded = normalise(lede)
        # The substring test is a cheap necessary condition; the pattern adds word boundaries.
        keywords = sorted(phrase for phrase, pattern in self._keywords if phrase in folded and pattern.search(folded))
        topical_keywords = [k for k in keywords if self.gazetteer.aliases.get(" ".join(words(k))) not in self.parties]
        named = [i for i, side in enumerate(self.sides) if side & set(parties)]
        both_sides = len(named) >= 2 if self.sides else len(parties) >= 2
        at_place = [place for place in places if self._counts(place, named)] if parties else []
        many_keywords = len(parties) >= 1 and len(topical_keywords) >= MIN_KEYWORDS_WITH_ONE_PARTY
        relevant = both_sides or bool(at_place) or many_keywords
        # A match between the parties names both and is not the conflict's news.
        game = relevant and reports_a_game(lede)
        relevant = relevant and not game
        score = min(1.0, 0.35 * len(parties) + 0.2 * len(places) + 0.1 * len(topical_keywords))
        return Relevance(
            relevant,
            round(score, 3),
            parties,
            places,
            keywords,
            "a game's result (a margin in wickets, runs or goals): sports news"
            if game
            else _reason(both_sides, at_place, many_keywords, parties, places, len(topical_keywords)),
        )

    def _counts(self, place: str, named_sides: list[int]) -> bool:
        """A place makes one side's news the conflict's unless it is that side's own interior."""
        if not self.home_places or not named_sides:
            return True
        return not all(place in self.home_places[side] for side in named_sides)


def _reason(
    both_sides: bool, at_place: list[str], many_keywords: bool, parties: list[str], places: list[str], keywords: int
) -> str:
    """The rule that made the decision, for a user tuning the topic."""
    if both_sides:
        return "the headline and lede name both sides of the conflict"
    if at_place:
        return f"one side ({', '.join(parties)}) at a place of the topic ({', '.join(at_place)})"
    if many_keywords:
        return f"one side ({', '.join(parties)}) and {keywords} of the topic's keywords"
    if not parties:
        return "the headline and lede name none of the topic's parties"
    if places:
        return f"one side only ({', '.join(parties)}), at its own home place ({', '.join(places)})"
    return (
        f"one side only ({', '.join(parties)}), at no place of the topic, with {keywords} topic keywords"
        f" (needs {MIN_KEYWORDS_WITH_ONE_PARTY})"
    )
