"""The exact-duplicate key of an article's content, without the database layer.

Apart from :mod:`storage.articles` so that the crawler's extraction workers can compute it
without importing SQLAlchemy and the models.
"""

from __future__ import annotations

import hashlib
import unicodedata


def normalise_text(text: str) -> str:
    """Text reduced to what identifies it: NFKC, case-folded, whitespace collapsed."""
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
    body = normalise_text(text)
    key = body if len(body) >= 200 else normalise_text(title) + "\n" + body
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
