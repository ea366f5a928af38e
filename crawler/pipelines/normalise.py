"""First pipeline step: clean text fields and refuse items with nothing in them."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.extract import clean_text

if TYPE_CHECKING:
    from crawler.items import ArticleItem

# Longest body kept. Real articles are far below; a 5 MB "article" is a page dump, and
# later steps (dedup, events) cost time per character.
MAX_TEXT_CHARS = 200_000
MAX_TITLE_CHARS = 500
_SPACE = re.compile(r"\s+")


class NormalisePipeline:
    """NFC-normalise, strip control characters, collapse whitespace, cap lengths."""

    def process_item(self, item: ArticleItem) -> ArticleItem:
        """Clean the item in place; drop it when it has neither title nor text."""
        title = unicodedata.normalize("NFC", item.title or "")
        item.title = _SPACE.sub(" ", clean_text(title)).strip()[:MAX_TITLE_CHARS]
        item.text = clean_text(unicodedata.normalize("NFC", item.text or ""))[:MAX_TEXT_CHARS]
        if item.summary:
            item.summary = clean_text(unicodedata.normalize("NFC", item.summary))[:2000] or None
        if item.language:
            item.language = item.language.split("-")[0].split("_")[0].lower()[:16] or None
        if not item.title and not item.text:
            raise DropItem(f"nothing to store for {item.url}")
        if not item.title:
            item.title = item.text.split("\n", 1)[0][:120]
        return item
