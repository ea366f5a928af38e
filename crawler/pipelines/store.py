"""Store step: decide near-duplicates, store the article once, index its fingerprint.

Exact duplicates (same URL, GUID or text) become sightings of the stored article; near
duplicates are stored with ``duplicate_of`` pointing at their original, the method and
the score, so a user can audit the decision.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from storage.articles import ArticleRecord

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.dedup.deduplicator import Fingerprint
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
        context = spider.context
        fp = item.fingerprint or context.dedup.fingerprint(item.title, item.text)
        async with context.store_lock:
            decision = context.dedup.find(fp)
            item.duplicate = decision
            record = self._record(item, fp)
            result = await spider.archive.store(record)
            if result.created:
                context.dedup.add(result.article_id, fp)
                await context.stories.assign(
                    spider.archive,
                    result.article_id,
                    title=item.title,
                    text=item.text,
                    when=item.published_at or record.fetched_at,
                    language=item.language,
                    duplicate_of=decision.original_id if decision else None,
                )
        extra = {"source": item.source_name, "url": item.url, "article_id": result.article_id}
        stats = self.crawler.stats
        if result.created:
            spider.summary.articles_new += 1
            spider.progress("article_new", item.url)
            stats.inc_value("newswatch/article_new")  # type: ignore[union-attr]
            if decision is not None:
                spider.summary.near_duplicates += 1
                stats.inc_value("newswatch/duplicate/near")  # type: ignore[union-attr]
                logger.info(
                    "stored near-duplicate of article %d (%s %.2f): %s",
                    decision.original_id,
                    decision.method,
                    decision.score,
                    item.title[:80],
                    extra=extra,
                )
            else:
                logger.info("stored new article: %s", item.title[:80], extra=extra)
        else:
            spider.summary.articles_seen += 1
            spider.progress("article_seen", item.url)
            stats.inc_value(f"newswatch/duplicate/{result.matched_by}")  # type: ignore[union-attr]
            logger.info("already stored (same %s)", result.matched_by, extra=extra)
        return item

    @staticmethod
    def _record(item: ArticleItem, fp: Fingerprint) -> ArticleRecord:
        decision = item.duplicate
        return ArticleRecord(
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
            signature=fp.as_bytes(),
            shingle_count=fp.size,
            short_text=fp.short,
            duplicate_of=decision.original_id if decision else None,
            duplicate_score=decision.score if decision else None,
            duplicate_method=decision.method if decision else None,
        )
