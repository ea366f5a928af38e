"""What an article's stored content may contain, and its exact-duplicate key, without the database layer.

Apart from :mod:`storage.articles` so that the crawler's extraction workers can use it
without importing SQLAlchemy and the models.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# The characters XML 1.0 forbids (its Char production, §2.2): C0 controls other than tab,
# LF and CR, lone surrogates, U+FFFE and U+FFFF. lxml refuses them in a tree's text, and an
# Atom reader refuses a feed with one in it; no text is lost without them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same characters but lone surrogates (which no text decoded from bytes holds: decoders
# replace what they cannot read), one by one, for substring searches (crawler.analysis.extract).
XML_ILLEGAL_CHARS = "".join(char for char in map(chr, [*range(0x20), 0xFFFE, 0xFFFF]) if XML_ILLEGAL.match(char))
# Vertical tab and form feed separate words (white space to Python, the form feed to HTML too).
_SEPARATORS = "\x0b\x0c"


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in _SEPARATORS else ""


def xml_safe(text: str) -> str:
    """``text`` without the characters XML forbids: vertical tab and form feed become spaces,
    the others (controls, lone surrogates, U+FFFE, U+FFFF) are dropped."""
    return XML_ILLEGAL.sub(_replacement, text)


def hash_form(text: str) -> str:
    """Text reduced to what identifies it for :func:`content_hash`: NFKC, case-folded,
    whitespace collapsed (not the stored text: see ``crawler.analysis.normalise_text``)."""
    # Stored hashes were computed as re.sub(r"\s+", " ", ...).strip(): str.split() splits
    # on exactly the characters \s matches (both use Python's isspace), at a quarter of
    # the cost.
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def content_hash(title: str, text: str) -> str:
    """The exact-duplicate key of an article's content.

    The body alone when there is a real body (headlines differ between syndicated copies);
    the title with the body when the body is short, so two title-only items with the same
    empty body are not taken for one article.
    """
    body = hash_form(text)
    key = body if len(body) >= 200 else hash_form(title) + "\n" + body
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
