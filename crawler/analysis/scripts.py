"""How a name is found in running text, by the script it is written in.

Scripts write a name into a sentence differently, so one rule cannot find it everywhere:

* Thai, Lao, Burmese, Khmer, Tibetan, Chinese and Japanese put no spaces between words:
  a name is a **substring** of a run of text (ปากีสถานและอัฟกานิสถาน).
* Indic scripts (Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada,
  Malayalam, Sinhala), Hangul, Armenian and Georgian attach case endings and particles:
  the name is a **prefix** of the word (পাকিস্তানের, பாகிஸ்தானின், 파키스탄과). A final virama
  (Tamil பாகிஸ்தான்) or Malayalam chillu letter changes when an ending is added, so the stem
  is the name without it.
* Cyrillic inflects (Пакистана, Кабуле, Турции): the stem is the name without a final
  vowel or soft sign, and must be long enough not to start unrelated words (Хост is exact).
* Arabic script attaches conjunctions, prepositions and the article in front (وباكستان,
  بكابل, والدوحة) and adjective endings behind (الباكستانية, پاکستانی).
* Latin: whole words, except a long derived name with a short ending (Turkish Afganistanlı,
  Finnish Afganistanin, Polish Afganistanie): a short Latin name stays exact, so Dir never
  matches "direct", nor Goma "Gomorrah"; a name the config spells is a whole word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.analysis.text import words

EXACT, PREFIX, SUBSTRING = "exact", "prefix", "substring"

# Code point ranges of the scripts written without spaces between words.
_NO_SPACE = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x9FFF),  # CJK radicals, kana, CJK ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3FFFF),  # CJK extensions
)
NO_SPACE_CHARS = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _NO_SPACE) + "]")
_PREFIX_SCRIPTS = (
    (0x0900, 0x0DFF),  # Devanagari ... Sinhala
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0x0530, 0x058F),  # Armenian
    (0x10A0, 0x10FF),  # Georgian
    (0x0370, 0x03FF),  # Greek
)
_VIRAMAS = frozenset("\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d4d\u0dca")
# Malayalam chillu letters become their consonant (plus vowel sign) when an ending follows.
_CHILLU = {"\u0d7a": "\u0d23", "\u0d7b": "\u0d28", "\u0d7c": "\u0d30", "\u0d7d": "\u0d32", "\u0d7e": "\u0d33"}
_CYRILLIC_ENDING = frozenset("аяоеёиыуюйь")
# Arabic-script proclitics, as normalise() folds them: wa-, fa-, bi-, li-, ka- and al-.
ARABIC_PROCLITICS = ("وبال", "وال", "بال", "فال", "کال", "لل", "ال", "و", "ف", "ب", "ل")

# Shortest stem a prefix may be: shorter ones start too many unrelated words.
MIN_STEM = {"latin": 7, "cyrillic": 5, "arabic": 4, "prefix": 3}
# Longest ending allowed after the stem (Ukrainian пакистанськими: 6; Tamil பாகிஸ்தானுக்கும்: 8).
MAX_SUFFIX = {"latin": 4, "cyrillic": 6, "arabic": 4, "prefix": 9}


def script(name: str) -> str:
    """The script family of a name: latin, cyrillic, arabic, prefix, no_space or other."""
    for char in name:
        code = ord(char)
        if not char.isalpha() and code < 0x0900:
            continue
        if code < 0x0250:
            return "latin"
        if 0x0400 <= code <= 0x052F:
            return "cyrillic"
        if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x08FF or 0xFB50 <= code <= 0xFEFF:
            return "arabic"
        if any(a <= code <= b for a, b in _NO_SPACE):
            return "no_space"
        if any(a <= code <= b for a, b in _PREFIX_SCRIPTS):
            return "prefix"
        return "other"
    return "other"


@dataclass(frozen=True)
class Rule:
    """How one normalised spelling is found: the text to look for and how."""

    key: str
    mode: str
    max_suffix: int = 0


def rule(name: str, *, latin_prefix: bool = True) -> Rule | None:
    """The matching rule of a name (``None`` if nothing of it is left after normalising).

    ``latin_prefix=False``: a Latin name is a whole word only. Names the user spells are
    matched so, as before names were derived: English news has its own demonyms
    ("Pakistani"), which the config lists when it wants them.
    """
    tokens = words(name)
    if not tokens:
        return None
    family = script(name)
    if family == "no_space":
        return Rule("".join(tokens), SUBSTRING)
    if len(tokens) > 1:
        return Rule(" ".join(tokens), EXACT)
    stem = tokens[0]
    if family == "prefix":
        if stem[-1] in _VIRAMAS:
            stem = stem[:-1]
        elif stem[-1] in _CHILLU:
            stem = stem[:-1] + _CHILLU[stem[-1]]
    elif family == "cyrillic" and stem[-1] in _CYRILLIC_ENDING:
        stem = stem[:-1]
    if family == "latin" and not latin_prefix:
        return Rule(stem, EXACT)
    if family in MIN_STEM and len(stem) >= MIN_STEM[family]:
        return Rule(stem, PREFIX, MAX_SUFFIX[family])
    return Rule(tokens[0], EXACT)


# The letters an Arabic-script proclitic starts with.
PROCLITIC_FIRST = frozenset(p[0] for p in ARABIC_PROCLITICS)


def arabic_bases(token: str) -> list[str]:
    """The token without each Arabic-script proclitic it may start with (longest first)."""
    if token[0] not in PROCLITIC_FIRST:  # most words: no proclitic, no list to build
        return []
    return [token[len(p) :] for p in ARABIC_PROCLITICS if token.startswith(p) and len(token) - len(p) >= 3]
