"""Field normalisation in crawler/analysis/text.py (what prepare() stores)."""

from __future__ import annotations

import unicodedata

import pytest

from crawler.analysis.text import MAX_TEXT_CHARS, clean_text, normalise_summary, normalise_text, normalise_title


@pytest.mark.parametrize(
    "raw",
    [
        "Talks resumed in Istanbul.\n\nBoth sides met.",
        "  Tabs\tand  doubled   spaces \x07 and a bell \n\n\n lines ",
        # Decomposed (NFD) Urdu and accented Latin: NFC composes them.
        unicodedata.normalize("NFD", "Café talks; آئی ایس پی آر کا بیان"),
        "x" * (MAX_TEXT_CHARS + 10),
    ],
)
def test_cleaned_text_is_normalised_as_raw_text_would_be(raw):
    # The page's text comes from clean_text already; skipping the second pass must not
    # change what is stored, NFC included.
    assert normalise_text(clean_text(raw), cleaned=True) == normalise_text(raw)
    assert unicodedata.is_normalized("NFC", normalise_text(clean_text(raw), cleaned=True))


def test_feed_title_and_summary_keep_words_apart_as_a_page_does():
    # A vertical tab or form feed between two words is white space (to Python, and the form
    # feed to HTML): the words stay two, as they do in a page's text.
    assert normalise_title("Talks\x0bend\x0cwithout a deal") == "Talks end without a deal"
    assert normalise_summary("Both\x0bsides\x0cleft.\x01") == "Both sides left."
