"""Matching the event vocabulary: compiled patterns per language, and which group matched.

The words themselves live in :mod:`crawler.analysis.events.vocabulary` (one module per
language, each pattern group tagged with its PLOVER class and CAMEO code); this module
compiles them. Patterns are matched on text folded by :func:`crawler.analysis.text.normalise`
(case-folded, Arabic-script letter variants unified), and are folded the same way here.
English and French patterns match whole words; the others match inside words, since Urdu,
Pashto, Dari, Hindi, Swahili and Arabic attach particles, case endings and verb markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from crawler.analysis.events.ontology import Group, Table
from crawler.analysis.events.vocabulary import LANGUAGES as _MODULES
from crawler.analysis.events.vocabulary import WORD_BOUNDED
from crawler.analysis.text import normalise

OPINION_TITLE = [
    r"^(opinion|editorial|comment|analysis|explainer|explained|column|op-ed|view|viewpoint|perspective|q&a|timeline|"
    r"factbox|maoni|tribune|éditorial|analyse|décryptage|chronique|رأي|تحليل)\b",
    r"\b(opinion|editorial|analysis|explainer|timeline|factbox|maoni|éditorial|analyse|décryptage|chronique)\s*[:|-]",
    r"^(why|how|what|will|can|should|is|are|does|pourquoi|comment)\b.*\?$",
]
OPINION_TEXT = [r"the writer is", r"the author is", r"views expressed", r"the views in this", r"this is an opinion"]


@dataclass(frozen=True)
class Subtype:
    """One subtype's patterns in one language: a regex whose named groups are its groups."""

    pattern: re.Pattern[str]
    groups: tuple[Group, ...]

    def search(self, folded: str) -> re.Match[str] | None:
        """The first statement of this subtype in ``folded`` text."""
        return self.pattern.search(folded)

    def group_of(self, match: re.Match[str]) -> Group:
        """The vocabulary group (PLOVER class) a match came from."""
        name = match.lastgroup or "g0"
        return self.groups[int(name[1:])]


@dataclass(frozen=True)
class Compiled:
    """Compiled patterns for one language."""

    outcome: dict[str, Subtype]
    clash: dict[str, Subtype]
    talks: re.Pattern[str]
    force: re.Pattern[str]
    hypothetical: re.Pattern[str]
    recap: re.Pattern[str]
    preview: re.Pattern[str]


def _wrap(body: str, bounded: bool) -> re.Pattern[str]:
    if bounded:
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w])")
    return re.compile(body)


def compile_patterns(patterns: list[str] | tuple[str, ...], *, bounded: bool) -> re.Pattern[str]:
    """One regex for a list of patterns, folded like the text it will search."""
    return _wrap("|".join(f"(?:{normalise(p)})" for p in patterns), bounded)


def _subtype(groups: list[Group], bounded: bool) -> Subtype:
    # One named group per vocabulary group: match.lastgroup names the group that matched
    # (the outermost group closes last), so a match is traced to its PLOVER class for free.
    body = "|".join(f"(?P<g{i}>{'|'.join(f'(?:{normalise(p)})' for p in g.patterns)})" for i, g in enumerate(groups))
    return Subtype(_wrap(body, bounded), tuple(groups))


def _table(table: Table, bounded: bool) -> dict[str, Subtype]:
    return {subtype: _subtype(groups, bounded) for subtype, groups in table.items()}


@cache
def compile_language(code: str) -> Compiled:
    """The patterns of one language (English when the language has none of its own)."""
    if code not in _MODULES:
        code = "en"
    module = _MODULES[code]
    bounded = code in WORD_BOUNDED
    return Compiled(
        outcome=_table(module.OUTCOME, bounded),
        clash=_table(module.CLASH, bounded),
        talks=compile_patterns(module.TALKS, bounded=bounded),
        force=compile_patterns(module.FORCE, bounded=bounded),
        hypothetical=compile_patterns(module.HYPOTHETICAL, bounded=bounded),
        recap=compile_patterns(module.RECAP, bounded=bounded),
        preview=compile_patterns(module.PREVIEW, bounded=bounded),
    )


LANGUAGES = tuple(_MODULES)
OPINION_TITLE_RE = re.compile("|".join(OPINION_TITLE))
OPINION_TEXT_RE = re.compile("|".join(OPINION_TEXT))
