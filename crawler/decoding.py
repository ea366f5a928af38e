"""An article page's bytes as text: the declared charset, unless the bytes say it is wrong.

Scrapy decodes a response in the charset its Content-Type header or ``<meta charset>``
names (w3lib's ``html_to_unicode``: the declaration wins, bytes it cannot read become
U+FFFD). Sites that moved to UTF-8 often still declare windows-1252 or ISO-8859-1 (a
server default, an old template): decoded as declared, every non-ASCII letter came out as
mojibake ("Ø§Ù„" for Arabic, "Ã©" for "é") and was stored that way.

A header's bytes as text are here too (:func:`header_text`).
"""

from __future__ import annotations

import codecs
import functools
from typing import TYPE_CHECKING

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

if TYPE_CHECKING:
    from scrapy.http import Response, TextResponse

# Python codec names of the single-byte legacy charsets (each byte one character): the
# Windows code pages, ISO 8859, KOI8 and the Mac ones. w3lib reads "ascii" and "latin-1"
# as windows-1252, as browsers do.
_SINGLE_BYTE_PREFIXES = ("cp125", "cp874", "iso8859-", "koi8-", "mac-", "tis-620")


@functools.lru_cache(maxsize=64)
def _single_byte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name.startswith(_SINGLE_BYTE_PREFIXES)


def page_text(response: TextResponse) -> str:
    """The page as text: UTF-8 when the body is valid UTF-8 declared as a single-byte charset.

    Text in a single-byte charset is almost never valid UTF-8 by chance: a letter above
    ASCII is one byte there, while UTF-8 needs a lead byte followed by the right number of
    continuation bytes (0x80-0xBF), so windows-1252's curly quotes (0x93, 0x94), "é" before
    a space, or two Arabic letters in a row in windows-1256, are all invalid. Valid UTF-8
    with bytes above ASCII is therefore UTF-8, whatever the label: trafilatura tries UTF-8
    before any label or detection (``decode_file``), and Scrapy before charset_normalizer
    on a page that declares nothing. (Browsers obey the label and show such a page as
    mojibake.) A body that is not valid UTF-8 is decoded as declared.

    Raises LookupError or UnicodeDecodeError as ``response.text`` does.
    """
    return _as_utf8(response.body, response.encoding) or response.text


def _as_utf8(body: bytes, encoding: str) -> str | None:
    """``body`` decoded as UTF-8 when it is valid UTF-8 declared as a single-byte charset, else None."""
    if not body.isascii() and _single_byte(encoding):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return None


def decode_page(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, charset) of a page fetched outside Scrapy, decoded strictly.

    The charset is found as Scrapy finds it (byte-order mark, then the Content-Type
    header, then ``<meta charset>``, else UTF-8) and the :func:`page_text` rule applies.
    Where Scrapy would put U+FFFD for bytes the charset cannot read, this raises
    ``UnicodeDecodeError`` (or ``LookupError`` for an unknown charset), so a one-off check
    can say that the page is not the text it claims to be.
    """
    bom, _ = read_bom(body)
    declared = bom or http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    encoding = resolve_encoding(declared or "utf-8") or "utf-8"
    text = _as_utf8(body, encoding)
    if text is not None:
        return text, "utf-8"
    return body.decode(encoding).removeprefix("\ufeff"), encoding


def header_text(response: Response, name: bytes) -> str | None:
    """A response header's value as text (HTTP headers are latin-1), or None when absent or blank."""
    value = response.headers.get(name)
    if not value:
        return None
    return value.decode("latin-1").strip() or None
