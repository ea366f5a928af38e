"""The topic's named entities: places, parties and mediators, with their aliases in any language.

Relevance, event fields and story features all find entities through one
:class:`Gazetteer`, built once from the topic's config: the names the config spells, and
the names :mod:`crawler.analysis.names` derives for its countries and towns in every
language. How a spelling is found depends on its script (:mod:`crawler.analysis.scripts`):
whole words, a prefix that takes endings, or a substring of a text without spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.analysis.names import derive_names
from crawler.analysis.scripts import (
    EXACT,
    NO_SPACE_CHARS,
    PREFIX,
    PROCLITIC_FIRST,
    arabic_bases,
    cyrillic_phrase,
    rule,
)
from crawler.analysis.text import words

if TYPE_CHECKING:
    from collections.abc import Iterator

    from core.config import TopicConfig
    from crawler.analysis.names import DerivedNames

# Prefix stems are looked up by their first characters: one dict lookup per word.
_STEM_KEY = 3
# Inflected names of several words, by the first characters of their first stem (Крив-).
_PHRASE_KEY = 2
# One word of an inflected name of several: its stem, the endings it takes, its alternates.
PhraseWord = tuple[str, frozenset[str], tuple[str, ...]]


@dataclass
class Gazetteer:
    """Configured and derived entity names, matched on normalised text."""

    # normalised alias -> canonical entity name
    aliases: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # canonical -> place | party | mediator
    # First word of an alias -> the most words of an alias starting with it: find() only
    # tries phrases that can match, instead of every phrase of up to four words of a text.
    starts: dict[str, int] = field(default_factory=dict, repr=False)
    # First characters of a stem -> (stem, canonical, longest ending, the only endings it
    # takes or None), longest stem first.
    stems: dict[str, list[tuple[str, str, int, frozenset[str] | None]]] = field(default_factory=dict, repr=False)
    # First characters of a name's first stem -> (its words, canonical): Cyrillic names of
    # several words, each word inflected (в Кривом Роге).
    phrases: dict[str, list[tuple[tuple[PhraseWord, ...], str]]] = field(default_factory=dict, repr=False)
    # Names in scripts without spaces -> canonical (two for a Chinese short form of a pair of
    # countries, 巴阿); found as substrings.
    substrings: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    # canonical party -> the name of its side (topic.sides: the side's first name, as its
    # entity); a party of no side is a side of its own. Casualty figures are kept by side.
    side_names: dict[str, str] = field(default_factory=dict)
    _substring_re: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def from_topic(cls, topic: TopicConfig, derived: DerivedNames | None = None) -> Gazetteer:
        """Build from the topic's derived names, then ``places``, ``parties``, ``mediators``
        and ``aliases``: what the config spells is added last, so it wins a collision.

        ``derived``: names derived already (the crawl's parent hands its own to the
        workers); by default they are derived here (cached per process).
        """
        gazetteer = cls()
        configured = {"place": topic.places, "party": topic.parties, "mediator": topic.mediators}
        kind_of = {name: kind for kind, names in configured.items() for name in names}
        derived = derived if derived is not None else derive_names(topic)
        for canonical, spellings in derived.names.items():
            for spelling in spellings:
                gazetteer.add(spelling, canonical, kind_of.get(canonical, "place"), derived=True)
        for pair, both in derived.pairs.items():
            gazetteer.substrings[pair] = both
        for kind, names in configured.items():
            for name in names:
                gazetteer.add(name, name, kind)
        for canonical, aliases in topic.aliases.items():
            kind = gazetteer.kinds.get(canonical, "place")
            gazetteer.add(canonical, canonical, kind)
            for alias in aliases:
                gazetteer.add(alias, canonical, kind)
        for side in topic.sides:
            members = [gazetteer.aliases.get(" ".join(words(name)), name) for name in side]
            for member in members:
                gazetteer.side_names.setdefault(member, members[0])
        return gazetteer

    def side_of(self, canonical: str) -> str | None:
        """The side a party is on, by the side's name; a party of no side is its own; None for a place."""
        if canonical in self.side_names:
            return self.side_names[canonical]
        return canonical if self.kinds.get(canonical) == "party" else None

    def add(self, alias: str, canonical: str, kind: str, *, derived: bool = False) -> None:
        """Register one spelling of an entity (``derived``: from CLDR or GeoNames, not the config)."""
        tokens = words(alias)
        found = rule(alias, latin_prefix=derived)
        if not tokens or found is None:
            return
        self.kinds.setdefault(canonical, kind)
        if found.mode == EXACT and len(tokens) == 1:
            # The config's spelling overrides a derived stem of the same word.
            entries = self.stems.get(found.key[:_STEM_KEY])
            if entries:
                entries[:] = [e for e in entries if e[0] != found.key]
        # A name without spaces may still hold punctuation (刚果（金）): it is a phrase of its
        # pieces too, and the pieces run together a substring.
        if found.mode == EXACT or found.mode == PREFIX or len(tokens) > 1:
            # A prefix name matches as itself too (and then as a phrase of the longest-match pass).
            self.aliases[" ".join(tokens)] = canonical
            self.starts[tokens[0]] = max(self.starts.get(tokens[0], 0), len(tokens))
        if found.mode == PREFIX:
            for key in (found.key, *found.alternates):
                entries = self.stems.setdefault(key[:_STEM_KEY], [])
                entries[:] = [e for e in entries if e[0] != key]
                entries.append((key, canonical, found.max_suffix, found.endings))
                entries.sort(key=lambda e: -len(e[0]))
        phrase = cyrillic_phrase(alias) if len(tokens) > 1 else None
        if phrase:
            listed = self.phrases.setdefault(phrase[0][0][:_PHRASE_KEY], [])
            listed[:] = [e for e in listed if e[0] != phrase]
            listed.append((phrase, canonical))
            # Longest name first: it wins over a shorter one starting the same.
            listed.sort(key=lambda e: -len(e[0]))
        elif found.mode != EXACT:
            self.substrings[found.key] = (canonical,)
            self._substring_re = None

    def find(self, tokens: list[str]) -> set[str]:
        """Canonical entities mentioned in a token list (phrases of any length).

        Longest match wins: "Pakistani Taliban" is the TTP, not also the Afghan Taliban.
        Words no phrase took are then tried as an inflected form (a stem with an ending, an
        Arabic proclitic in front) and, in scripts without spaces, for names inside them.
        """
        return {canonical for canonical, _ in self.matches(tokens)}

    def matches(self, tokens: list[str]) -> list[tuple[str, str]]:
        """(canonical entity, the words that named it) for each mention, as :meth:`find` decides."""
        found: list[tuple[str, str]] = []
        taken = [False] * len(tokens)
        starts = self.starts
        # Only positions where an alias begins can match (same order as trying them all).
        positions = [(i, starts[token]) for i, token in enumerate(tokens) if token in starts]
        # From the longest alias that can start here (CLDR has names of eight words).
        for size in range(max((longest for _, longest in positions), default=0), 0, -1):
            for i, longest in positions:
                if size > longest or i + size > len(tokens) or any(taken[i : i + size]):
                    continue
                phrase = " ".join(tokens[i : i + size])
                name = self.aliases.get(phrase)
                if name:
                    found.append((name, phrase))
                    taken[i : i + size] = [True] * size
        if self.phrases:
            found.extend(self._inflected_phrases(tokens, taken))
        stems, unspaced = self.stems, bool(self.substrings)
        if stems or unspaced:
            for i, token in enumerate(tokens):
                # Most words start no stem, have no proclitic and are spaced: a lookup or
                # two, no call.
                if taken[i]:
                    continue
                if (
                    token[:_STEM_KEY] in stems
                    or token[0] in PROCLITIC_FIRST
                    or (unspaced and not token.isascii() and NO_SPACE_CHARS.search(token))
                ):
                    found.extend(self._inflected(token))
        return found

    def _inflected_phrases(self, tokens: list[str], taken: list[bool]) -> Iterator[tuple[str, str]]:
        """(entity, the words) for each inflected Cyrillic name of several words; marks them taken."""
        for i, token in enumerate(tokens):
            if taken[i]:
                continue
            for phrase, canonical in self.phrases.get(token[:_PHRASE_KEY], ()):
                end = i + len(phrase)
                if end <= len(tokens) and not any(taken[i:end]) and all(map(_inflects, tokens[i:end], phrase)):
                    taken[i:end] = [True] * len(phrase)
                    yield canonical, " ".join(tokens[i:end])
                    break

    def _inflected(self, token: str) -> Iterator[tuple[str, str]]:
        """(entity, what named it) in one word that is not a configured spelling as it stands."""
        candidates = [token, *arabic_bases(token)] if "\u0600" <= token[0] <= "\u06ff" else (token,)
        for candidate in candidates:
            if candidate is not token and candidate in self.aliases:
                yield self.aliases[candidate], token
                return
            for stem, canonical, max_suffix, endings in self.stems.get(candidate[:_STEM_KEY], ()):
                if (
                    candidate.startswith(stem)
                    and len(candidate) - len(stem) <= max_suffix
                    and (endings is None or candidate[len(stem) :] in endings)
                ):
                    yield canonical, token
                    return
        if self.substrings and not token.isascii() and NO_SPACE_CHARS.search(token):
            pattern = self._substring_re
            if pattern is None:
                # Longest first: the alternation takes the first that matches at a position.
                keys = sorted(self.substrings, key=len, reverse=True)
                pattern = self._substring_re = re.compile("|".join(map(re.escape, keys)))
            for match in pattern.finditer(token):
                for canonical in self.substrings[match.group()]:
                    yield canonical, match.group()


def _inflects(token: str, word: PhraseWord) -> bool:
    """Whether ``token`` is the phrase word's stem (or an alternate of it) with one of its endings."""
    stem, endings, alternates = word
    return any(token.startswith(key) and token[len(key) :] in endings for key in (stem, *alternates))
