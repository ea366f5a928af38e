"""Patterns built from the topic's own names: its talks bodies, its named operations, its places.

The vocabulary (:mod:`crawler.analysis.events.vocabulary`) is general; what a topic calls
its institutions is configuration (``topic.events``): a "General Border Committee" is a
venue of talks, so its meeting's communique is a talks outcome; "Operation Sindoor" is a
clash by name. And a town changing hands ("rebels seize Minova", "Luvungi tombe") is
fighting only when the town is one of the topic's places, which the gazetteer knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.analysis.events.ontology import Group
from crawler.analysis.events.vocabulary import LANGUAGES
from crawler.analysis.text import normalise

if TYPE_CHECKING:
    from crawler.analysis.gazetteer import Gazetteer

# How explain names the statements made with the topic's own names. A named operation and a
# town taken are armed events by themselves (CAMEO 197 occupy territory is the nearest code).
OPERATION = Group("ASSAULT:occupy", "190", (), "topic.events.clashes")
CAPTURE = Group("ASSAULT:occupy", "197", (), "a place of topic.places taken")


def _names(names: list[str]) -> str | None:
    """One alternation of names, longest first, Latin ones as whole words."""
    parts = []
    for name in sorted({normalise(n).strip() for n in names if n.strip()}, key=len, reverse=True):
        # "El Fasher" is written "El-Fasher" and "Port-Soudan" too: a space or a hyphen.
        escaped = re.escape(name).replace(r"\ ", r"[\s-]")
        parts.append(rf"(?<![\w-]){escaped}(?![\w])" if name.isascii() else escaped)
    return "|".join(parts) or None


class LazyPatterns:
    """Regular expressions by language code, each compiled on its first use.

    The capture patterns hold an alternation of every alias of every place of the topic, in
    each of the vocabulary's languages: compiling them all cost every extraction worker
    ~0.3 s of CPU before its first page, for languages most crawls never see. A pattern is
    compiled from the same source when it is first needed, and kept.
    """

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}
        self.compiled: dict[str, re.Pattern[str]] = {}

    def get(self, code: str) -> re.Pattern[str] | None:
        """The pattern of language ``code`` (compiled now if this is its first use), or None."""
        pattern = self.compiled.get(code)
        if pattern is None and (source := self.sources.get(code)) is not None:
            pattern = self.compiled[code] = re.compile(source)
        return pattern


# Characters around a capture verb that can hold the place it names (a few long words).
_REACH = 160


@dataclass(frozen=True)
class TopicPatterns:
    """The topic's own event words, compiled once per classifier."""

    talks: re.Pattern[str] | None = None
    operations: re.Pattern[str] | None = None
    # Language code -> "<capture verb> <place>" or "<place> <falls>" for the topic's places,
    # and the verbs alone: the full pattern, an alternation of every alias of every place,
    # is only tried around a verb (searching it everywhere cost 0.8 ms a sentence).
    capture: LazyPatterns | None = None
    capture_verbs: LazyPatterns | None = None

    @classmethod
    def build(
        cls, gazetteer: Gazetteer, talks: list[str] | None = None, clashes: list[str] | None = None
    ) -> TopicPatterns:
        """From ``topic.events`` and the gazetteer's places (every alias, any script)."""
        places = _names([alias for alias, name in gazetteer.aliases.items() if gazetteer.kinds.get(name) == "place"])
        capture, verbs = LazyPatterns(), LazyPatterns()
        if places:
            for code, module in LANGUAGES.items():
                before = [normalise(v) for v in getattr(module, "CAPTURE_BEFORE", [])]
                after = [normalise(v) for v in getattr(module, "CAPTURE_AFTER", [])]
                parts = []
                if before:
                    parts.append(rf"(?:{'|'.join(before)}) (?:[^\s]+ ){{0,4}}?(?:{places})")
                if after:
                    parts.append(rf"(?:{places})(?:[^\s]* ){{0,3}}?(?:{'|'.join(after)})")
                if parts:
                    capture.sources[code] = "|".join(parts)
                    verbs.sources[code] = "|".join(f"(?:{v})" for v in before + after)
        talks_names, clash_names = _names(talks or []), _names(clashes or [])
        return cls(
            talks=re.compile(talks_names) if talks_names else None,
            operations=re.compile(clash_names) if clash_names else None,
            capture=capture,
            capture_verbs=verbs,
        )

    def talks_named(self, folded: str) -> bool:
        """Does the text name one of the topic's talks bodies?"""
        return bool(self.talks and self.talks.search(folded))

    def clash_statements(self, folded: str, code: str) -> list[tuple[re.Match[str], Group]]:
        """Clash statements made with the topic's names: a named operation, a place taken."""
        found = []
        if self.operations and (match := self.operations.search(folded)):
            found.append((match, OPERATION))
        verbs = self.capture_verbs.get(code) if self.capture_verbs is not None else None
        if verbs is None or self.capture is None:
            return found
        for verb in verbs.finditer(folded):
            # Compiled here, on the first capture verb of its language (see LazyPatterns).
            pattern = self.capture.get(code)
            if pattern is None:
                break
            # The place follows the verb within four words, or precedes it within three.
            match = pattern.search(folded, max(0, verb.start() - _REACH), min(len(folded), verb.end() + _REACH))
            if match:
                found.append((match, CAPTURE))
                break
        return found
