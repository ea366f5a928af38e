"""Pipeline step: fingerprint the article (MinHash of its shingles).

The duplicate decision itself is taken by the store step, under the store lock, so that two
copies arriving in the same instant cannot both be taken for originals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.items import ArticleItem
    from crawler.spiders.base import SourceSpider


class DedupPipeline:
    """Computes the item's fingerprint with the crawl's :class:`Deduplicator`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Keep the crawler to reach the spider's context."""
        return cls(crawler)

    def process_item(self, item: ArticleItem) -> ArticleItem:
        """Attach the MinHash fingerprint of title and text."""
        spider: SourceSpider = self.crawler.spider  # type: ignore[assignment]
        item.fingerprint = spider.context.dedup.fingerprint(item.title, item.text)
        return item
