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

# Genre labels of opinion and analysis in the newer vocabularies' languages.
_MORE_GENRES = (
    "мнение|анализ|аналитика|колонка|комментарий|думка|аналітика|коментар|opinión|análisis|tribuna|columna|"
    "meinung|kommentar|leitartikel|gastbeitrag|görüş|yorum|analiz|köşe yazısı|"
    "opinião|análise|coluna|crônica|crónica|artigo de opinião"
)
OPINION_TITLE = [
    r"^(opinion|editorial|comment|analysis|explainer|explained|column|op-ed|view|viewpoint|perspective|q&a|timeline|"
    r"factbox|maoni|tribune|éditorial|analyse|décryptage|chronique|رأي|تحليل)\b",
    r"\b(opinion|editorial|analysis|explainer|timeline|factbox|maoni|éditorial|analyse|décryptage|chronique)\s*[:|-]",
    r"^(why|how|what|will|can|should|is|are|does|pourquoi|comment)\b.*\?$",
    # Russian, Ukrainian, Spanish, German, Turkish, Portuguese.
    rf"^({_MORE_GENRES})\b",
    rf"\b({_MORE_GENRES})\s*[:|-]",
    r"^¿?(почему|зачем|как|что|чому|навіщо|як|що|por qué|cómo|qué|warum|wie|was|wieso|neden|nasıl|ne|"
    r"por que|por quê|o que|qual)\b.*\?$",
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
    # Negation just before a statement, or just after it (matched on the text around it).
    negation_before: re.Pattern[str] | None = None
    negation_after: re.Pattern[str] | None = None

    def negated(self, folded: str, start: int, end: int) -> bool:
        """Whether the statement at ``folded[start:end]`` is negated within its clause."""
        before = self.negation_before and self.negation_before.search(folded[max(0, start - 40) : start])
        return bool(before or (self.negation_after and self.negation_after.match(folded, end)))


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


# A word of the clause (no punctuation): negation is looked for within the statement's clause.
_TOKEN = r"[^\s,;:،؛۔.!?|]+"


def _negation(before: list[str], after: list[str]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """Negation within two words before a statement, or one word after it (the rest of its word first)."""
    words_before = "|".join(f"(?:{normalise(p)})" for p in before)
    words_after = "|".join(f"(?:{normalise(p)})" for p in after)
    return (
        re.compile(rf"(?:{words_before})\s+(?:{_TOKEN}\s+){{0,2}}$") if before else None,
        re.compile(rf"[^\s,;:،؛۔.!?|]*(?:\s+{_TOKEN})?\s+(?:{words_after})(?=[\s,;:،؛۔.!?|]|$)") if after else None,
    )


def _table(table: Table, bounded: bool) -> dict[str, Subtype]:
    return {subtype: _subtype(groups, bounded) for subtype, groups in table.items()}


@cache
def compile_language(code: str) -> Compiled:
    """The patterns of one language (English when the language has none of its own)."""
    if code not in _MODULES:
        code = "en"
    module = _MODULES[code]
    bounded = code in WORD_BOUNDED
    negation_before, negation_after = _negation(module.NEGATION_BEFORE, module.NEGATION_AFTER)
    return Compiled(
        outcome=_table(module.OUTCOME, bounded),
        clash=_table(module.CLASH, bounded),
        talks=compile_patterns(module.TALKS, bounded=bounded),
        force=compile_patterns(module.FORCE, bounded=bounded),
        hypothetical=compile_patterns(module.HYPOTHETICAL, bounded=bounded),
        recap=compile_patterns(module.RECAP, bounded=bounded),
        preview=compile_patterns(module.PREVIEW, bounded=bounded),
        negation_before=negation_before,
        negation_after=negation_after,
    )


LANGUAGES = tuple(_MODULES)
# "Despite", in every language at once: identity reads it on a headline and evidence whatever
# their language (the markers of one language are not words of another).
CONCESSIVE_RE = re.compile("|".join(f"(?:{normalise(p)})" for module in _MODULES.values() for p in module.CONCESSIVE))
# "Again", in every language at once: identity reads it on a headline and evidence (a strike
# told as a repeat is not the earlier strike on that place told a day later).
REPEAT_RE = re.compile("|".join(f"(?:{normalise(p)})" for module in _MODULES.values() for p in module.REPEAT))
# Both sides firing, in every language at once: the classifier marks a clash told as an exchange
# ("exchange of fire", "فائرنگ کا تبادلہ", "responded to unprovoked firing"), which identity reads.
EXCHANGE_RE = re.compile("|".join(f"(?:{normalise(p)})" for module in _MODULES.values() for p in module.EXCHANGE))
OPINION_TITLE_RE = re.compile("|".join(OPINION_TITLE))
OPINION_TEXT_RE = re.compile("|".join(OPINION_TEXT))
