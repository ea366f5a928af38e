"""Last pipeline step: store the article once (exact duplicates become sightings)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from storage.articles import ArticleRecord

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.items import ArticleItem
    from crawler.spiders.base import SourceSpider

logger = logging.getLogger(__name__)


class StorePipeline:
    """Writes through the spider's :class:`~crawler.archive.Archive` on its writer thread."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Keep the crawler to reach the spider (Scrapy >= 2.13 passes no spider argument)."""
        return cls(crawler)

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        """Store the item and count it as new or seen on the source's summary."""
        spider: SourceSpider = self.crawler.spider  # type: ignore[assignment]
        record = ArticleRecord(
            url=item.url,
            title=item.title,
            text=item.text,
            source_id=item.source_id,
            guid=item.guid,
            summary=item.summary,
            author=item.author,
            language=item.language,
            published_at=item.published_at,
            published_source=item.published_source,
            extraction=item.extraction,
            aliases=item.aliases,
        )
        result = await spider.archive.store(record)
        extra = {"source": item.source_name, "url": item.url, "article_id": result.article_id}
        if result.created:
            spider.summary.articles_new += 1
            spider.progress("article_new", item.url)
            self.crawler.stats.inc_value("newswatch/article_new")  # type: ignore[union-attr]
            logger.info("stored new article: %s", item.title[:80], extra=extra)
        else:
            spider.summary.articles_seen += 1
            spider.progress("article_seen", item.url)
            self.crawler.stats.inc_value(f"newswatch/duplicate/{result.matched_by}")  # type: ignore[union-attr]
            logger.info("already stored (same %s)", result.matched_by, extra=extra)
        return item
