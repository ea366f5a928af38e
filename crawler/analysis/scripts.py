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
  vowel or soft sign. A long stem takes any short ending; a short one (Сумы, Киев, Київ)
  only a noun's case endings (Сумах, Киеве, Києві), so it starts no unrelated word. A
  Ukrainian name's last і or ї turns to о, е or є when an ending opens the syllable (Київ,
  Києва; Харків, Харкова; Ріг, Рогу). A name of several words inflects each word (Кривой
  Рог, в Кривом Роге; an adjective takes an adjective's endings).
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
# The case endings of Russian and Ukrainian nouns (and the bare stem: genitive plural Сум),
# all a short stem may take: Сумы, Сум, Сумам, Сумах; Киев, Киева, Киеве, Киевом; Києві.
CYRILLIC_CASE_ENDINGS = frozenset(
    ("", "а", "я", "у", "ю", "е", "є", "і", "и", "ы", "ї", "о", "ом", "ем", "єм", "ём", "ою", "ею", "єю",
     "ам", "ям", "ах", "ях", "ами", "ями", "ові", "еві", "єві", "ів", "ов", "ев", "ей")
)  # fmt: skip
# Adjective endings, for the first words of a name of several (Кривой Рог, Кривом Роге,
# Кривого Рога; Кривий Ріг, Кривому Розі; Белая Церковь, Белой Церкви).
_CYRILLIC_ADJECTIVE = re.compile(r"(?:ый|ий|ой|ій|ая|яя|ое|ее|ие|ые|і)$")
CYRILLIC_ADJECTIVE_ENDINGS = frozenset(
    ("ый", "ий", "ой", "ій", "ая", "яя", "ое", "ее", "ие", "ые", "і", "ого", "его", "ому", "ему", "ом", "ем",
     "ым", "им", "ім", "ую", "юю", "ої", "ьої", "ою", "ею", "их", "іх", "ыми", "ими", "іми", "а", "е", "у")
)  # fmt: skip
# Ukrainian: a name's last і (ї) stands in a closed syllable and turns to о or е (є) when an
# ending opens it.
_UK_CLOSED = re.compile(r"([ії])([^аеєиіїоуюяьй]+)$")
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
    # A short Cyrillic stem: only these endings may follow it (None: any of max_suffix letters).
    endings: frozenset[str] | None = None
    # The same stem with its vowel alternated (Ukrainian Київ -> Києв-), matched the same way.
    alternates: tuple[str, ...] = ()


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
    if family == "cyrillic":
        alternates = ukrainian_alternates(stem)
        if len(stem) >= MIN_STEM[family]:
            return Rule(stem, PREFIX, MAX_SUFFIX[family], alternates=alternates)
        if len(stem) >= MIN_SHORT_CYRILLIC:
            return Rule(stem, PREFIX, max(map(len, CYRILLIC_CASE_ENDINGS)), CYRILLIC_CASE_ENDINGS, alternates)
    if family in MIN_STEM and len(stem) >= MIN_STEM[family]:
        return Rule(stem, PREFIX, MAX_SUFFIX[family])
    return Rule(tokens[0], EXACT)


# Shortest Cyrillic stem that takes case endings (Сум-); shorter names stay exact.
MIN_SHORT_CYRILLIC = 3


def ukrainian_alternates(stem: str) -> tuple[str, ...]:
    """The stem with its last і (ї) opened to о and е (є), when it stands in the last syllable."""
    found = _UK_CLOSED.search(stem)
    if not found:
        return ()
    head, tail = stem[: found.start()], found.group(2)
    vowels = ("є",) if found.group(1) == "ї" else ("о", "е")
    return tuple(head + vowel + tail for vowel in vowels)


def cyrillic_phrase(name: str) -> tuple[tuple[str, frozenset[str], tuple[str, ...]], ...] | None:
    """Each word of a Cyrillic name of several words as (stem, endings it takes, alternates).

    The last word is the noun (a case ending); the words before it that look like
    adjectives take an adjective's endings. None when the name is not such a phrase.
    """
    tokens = words(name)
    if len(tokens) < 2 or script(name) != "cyrillic" or any(script(t) != "cyrillic" for t in tokens):
        return None
    out = []
    for index, token in enumerate(tokens):
        adjective = index < len(tokens) - 1 and _CYRILLIC_ADJECTIVE.search(token)
        if adjective:
            stem, endings = token[: adjective.start()], CYRILLIC_ADJECTIVE_ENDINGS
        else:
            stem = token[:-1] if token[-1] in _CYRILLIC_ENDING else token
            endings = CYRILLIC_CASE_ENDINGS
        if len(stem) < 2:
            return None
        out.append((stem, endings, () if adjective else ukrainian_alternates(stem)))
    return tuple(out)


# The letters an Arabic-script proclitic starts with.
PROCLITIC_FIRST = frozenset(p[0] for p in ARABIC_PROCLITICS)


def arabic_bases(token: str) -> list[str]:
    """The token without each Arabic-script proclitic it may start with (longest first)."""
    if token[0] not in PROCLITIC_FIRST:  # most words: no proclitic, no list to build
        return []
    return [token[len(p) :] for p in ARABIC_PROCLITICS if token.startswith(p) and len(token) - len(p) >= 3]
