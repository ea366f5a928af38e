"""How news in five languages says that talks ended, a ceasefire held, or a clash happened.

General news vocabulary, not a topic: who the parties are and where the border runs come
from the config. Patterns are matched on text folded by :func:`crawler.analysis.text.normalise`
(case-folded, Arabic-script letter variants unified), and are folded the same way here.
English patterns use word boundaries; the others match inside words, since Urdu, Pashto,
Dari and Hindi attach particles and case endings.

The vocabulary is data in :mod:`crawler.analysis.events.words` (the event words) and
:mod:`crawler.analysis.events.framing` (context and filters); this module compiles it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.analysis.events.framing import (
    FORCE_CONTEXT,
    HYPOTHETICAL,
    OPINION_TEXT,
    OPINION_TITLE,
    PREVIEW,
    RECAP,
    TALKS_CONTEXT,
)
from crawler.analysis.events.words import (
    EN_CLASH,
    EN_OUTCOME,
    FA_CLASH,
    FA_OUTCOME,
    HI_CLASH,
    HI_OUTCOME,
    PS_CLASH,
    PS_OUTCOME,
    UR_CLASH,
    UR_OUTCOME,
)
from crawler.analysis.text import normalise


@dataclass(frozen=True)
class Compiled:
    """Compiled patterns for one language."""

    outcome: dict[str, re.Pattern[str]]
    clash: dict[str, re.Pattern[str]]
    talks: re.Pattern[str]
    force: re.Pattern[str]
    hypothetical: re.Pattern[str]
    recap: re.Pattern[str]
    preview: re.Pattern[str]


def _compile(patterns: list[str], *, bounded: bool) -> re.Pattern[str]:
    folded = [normalise(p) for p in patterns]
    body = "|".join(f"(?:{p})" for p in folded)
    if bounded:
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w])")
    return re.compile(body)


def compile_language(code: str) -> Compiled:
    """The patterns of one language (English when the language has none of its own)."""
    tables = {
        "en": (EN_OUTCOME, EN_CLASH),
        "ur": (UR_OUTCOME, UR_CLASH),
        "ps": (PS_OUTCOME, PS_CLASH),
        "fa": (FA_OUTCOME, FA_CLASH),
        "hi": (HI_OUTCOME, HI_CLASH),
    }
    if code not in tables:
        code = "en"
    outcome, clash = tables[code]
    bounded = code == "en"
    return Compiled(
        outcome={k: _compile(v, bounded=bounded) for k, v in outcome.items()},
        clash={k: _compile(v, bounded=bounded) for k, v in clash.items()},
        talks=_compile(TALKS_CONTEXT[code], bounded=bounded),
        force=_compile(FORCE_CONTEXT[code], bounded=bounded),
        hypothetical=_compile(HYPOTHETICAL[code], bounded=bounded),
        recap=_compile(RECAP[code], bounded=bounded),
        preview=_compile(PREVIEW[code], bounded=bounded),
    )


LANGUAGES = ("en", "ur", "ps", "fa", "hi")
OPINION_TITLE_RE = re.compile("|".join(OPINION_TITLE))
OPINION_TEXT_RE = re.compile("|".join(OPINION_TEXT))
