"""The topic's named entities: places, parties and mediators, with their aliases in any language.

Relevance, event fields and story features all find entities through one
:class:`Gazetteer`, built once from the topic's config.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.analysis.text import words

if TYPE_CHECKING:
    from core.config import TopicConfig


@dataclass
class Gazetteer:
    """Configured entity names and their aliases, matched on normalised text."""

    # normalised alias -> canonical entity name
    aliases: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # canonical -> place | party | mediator
    # First word of an alias -> the most words of an alias starting with it: find() only
    # tries phrases that can match, instead of every phrase of up to four words of a text.
    starts: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def from_topic(cls, topic: TopicConfig) -> Gazetteer:
        """Build from ``topic.places``, ``parties``, ``mediators`` and ``aliases``."""
        gazetteer = cls()
        for kind, names in (("place", topic.places), ("party", topic.parties), ("mediator", topic.mediators)):
            for name in names:
                gazetteer.add(name, name, kind)
        for canonical, aliases in topic.aliases.items():
            kind = gazetteer.kinds.get(canonical, "place")
            gazetteer.add(canonical, canonical, kind)
            for alias in aliases:
                gazetteer.add(alias, canonical, kind)
        return gazetteer

    def add(self, alias: str, canonical: str, kind: str) -> None:
        """Register one spelling of an entity."""
        tokens = words(alias)
        if tokens:
            self.aliases[" ".join(tokens)] = canonical
            self.kinds.setdefault(canonical, kind)
            self.starts[tokens[0]] = max(self.starts.get(tokens[0], 0), len(tokens))

    def find(self, tokens: list[str]) -> set[str]:
        """Canonical entities mentioned in a token list (phrases up to four words).

        Longest match wins: "Pakistani Taliban" is the TTP, not also the Afghan Taliban.
        """
        found: set[str] = set()
        taken = [False] * len(tokens)
        starts = self.starts
        # Only positions where an alias begins can match (same order as trying them all).
        positions = [(i, starts[token]) for i, token in enumerate(tokens) if token in starts]
        for size in (4, 3, 2, 1):
            for i, longest in positions:
                if size > longest or i + size > len(tokens) or any(taken[i : i + size]):
                    continue
                name = self.aliases.get(" ".join(tokens[i : i + size]))
                if name:
                    found.add(name)
                    taken[i : i + size] = [True] * size
        return found
