"""Text normalisation, in one place: what is stored and what is compared.

Two forms of a text. The stored form (:func:`clean_text`, :func:`normalise_title`,
:func:`normalise_text`, ...) is NFC, without control characters, with paragraphs kept and
lengths capped: what the archive keeps and shows. The compared form (:func:`normalise`,
:func:`words`) folds copies together across cosmetic differences: Unicode compatibility
forms, case, punctuation, Arabic-script letter variants (Urdu/Persian yeh and kaf vs
Arabic), zero-width joiners, digits in other scripts. Fingerprints, relevance, events,
story features and the gazetteer all read the compared form.
"""

from __future__ import annotations

import re
import unicodedata

from crawler.analysis.languages import language_code
from storage.content import xml_safe

# Longest body kept. Real articles are far below; a 5 MB "article" is a page dump, and
# later steps (dedup, events) cost time per character.
MAX_TEXT_CHARS = 200_000
MAX_TITLE_CHARS = 500
MAX_SUMMARY_CHARS = 2000
_WHITESPACE = re.compile(r"\s+")
_RUN_OF_SPACES = re.compile(r"[ \t\u00a0]+")
# What _RUN_OF_SPACES would change: anything but a single space.
_COLLAPSIBLE = re.compile(r"[\t\u00a0]|  ")

# Python's \w leaves out combining marks (Mn/Mc), which would cut Hindi words at every
# vowel sign (पाकिस्तान -> प क स त न), Tamil ones at every virama (பாகிஸ்தான்) and Thai
# runs at every tone mark. The class adds the marks of the scripts we read, listed for
# Arabic, Devanagari and Bengali, and every mark of the Indic, Southeast Asian and Tibetan
# blocks (U+0900-U+1AFF), computed once at import.


def _mark_ranges(first: int, last: int) -> str:
    spans: list[list[int]] = []
    for code in range(first, last + 1):
        if unicodedata.category(chr(code)) in ("Mn", "Mc"):
            if spans and spans[-1][1] == code - 1:
                spans[-1][1] = code
            else:
                spans.append([code, code])
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in spans)


_WORD = re.compile(
    r"[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    r"\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7\u0a01-\u0a83"
    + _mark_ranges(0x0A84, 0x1AFF)
    + "]+"
)
# Arabic-script variants that differ between keyboards and code pages, not between words
# (and one Tamil spelling variant).
# Applied as successive str.replace calls: each is one C pass over the text, skipped when
# absent, where str.translate with a dict costs a dict lookup per character (0.28 ms of a
# 0.30 ms normalise on a 5,000-character English article). No replacement produces a
# character replaced later, so the result equals a simultaneous translation.
_FOLD = (
    ("\u064a", "\u06cc"),  # Arabic yeh -> Farsi yeh
    ("\u0649", "\u06cc"),  # alef maksura -> Farsi yeh
    ("\u0643", "\u06a9"),  # Arabic kaf -> keheh
    ("\u0629", "\u0647"),  # teh marbuta -> heh
    ("\u0623", "\u0627"),  # alef with hamza above -> alef (أفغانستان, افغانستان)
    ("\u0625", "\u0627"),  # alef with hamza below -> alef
    ("\u0622", "\u0627"),  # alef with madda -> alef (آباد, اباد)
    ("\u0671", "\u0627"),  # alef wasla -> alef
    ("\u0624", "\u0648"),  # waw with hamza -> waw
    ("\u06c0", "\u0647"),  # heh with yeh above (Persian ezafe) -> heh
    ("\u06c1", "\u0647"),  # heh goal -> heh
    ("\u200c", " "),  # zero-width non-joiner: Persian compound words split both ways
    ("\u200d", ""),
    ("\u0640", ""),  # tatweel
    # Turkish capital İ casefolds to i + combining dot above: İstanbul must read istanbul.
    ("i\u0307", "i"),
    # Tamil writes a foreign f as aytham + pa, or as plain pa: ஆஃப்கானிஸ்தான், ஆப்கானிஸ்தான்.
    ("\u0b83\u0baa", "\u0baa"),
)
# Diacritics (harakat, Devanagari nukta) are optional in running text.
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u093c]")


def normalise(text: str) -> str:
    """Fold a text to the form duplicates are compared in."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():  # every folded character and mark is outside ASCII
        return text
    for old, new in _FOLD:
        if old in text:
            text = text.replace(old, new)
    return _MARKS.sub("", text)


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (Unicode word characters, any script)."""
    return _WORD.findall(normalise(text))


def clean_text(text: str) -> str:
    """Strip control characters, collapse runs of spaces, keep paragraph breaks.

    The characters XML forbids go as :func:`storage.content.xml_safe` removes them from a
    page (vertical tab and form feed separate words: they become spaces), so a feed's title
    and summary read as the page would; DEL too, a control character XML allows.
    """
    text = xml_safe(text)
    if "\x7f" in text:
        text = text.replace("\x7f", "")
    # One substitution over the whole text, not one per line (the same result: _RUN_OF_SPACES
    # matches no line break), and none when there is nothing to collapse (the usual case
    # for trafilatura's output): a third less time on a long article.
    if _COLLAPSIBLE.search(text):
        text = _RUN_OF_SPACES.sub(" ", text)
    return "\n".join(line for line in map(str.strip, text.splitlines()) if line)


def normalise_title(title: str) -> str:
    """NFC, no control characters, one line, capped."""
    return _WHITESPACE.sub(" ", clean_text(unicodedata.normalize("NFC", title or ""))).strip()[:MAX_TITLE_CHARS]


def normalise_text(text: str, *, cleaned: bool = False) -> str:
    """NFC, no control characters, paragraphs kept, capped.

    ``cleaned``: ``text`` is :func:`clean_text`'s output already (the page's
    text is); then it is cleaned again only if NFC changes it.
    """
    if cleaned and unicodedata.is_normalized("NFC", text):
        return text[:MAX_TEXT_CHARS]
    return clean_text(unicodedata.normalize("NFC", text or ""))[:MAX_TEXT_CHARS]


def normalise_summary(summary: str | None) -> str | None:
    """A feed summary as stored (None when nothing is left of it)."""
    if not summary:
        return None
    return clean_text(unicodedata.normalize("NFC", summary))[:MAX_SUMMARY_CHARS] or None


def normalise_language(language: str | None) -> str | None:
    """``en-GB`` / ``pt_BR`` / ``prs`` (Dari) to the ISO 639-1 code the analysis uses."""
    return language_code(language)
