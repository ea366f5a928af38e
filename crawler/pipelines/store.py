"""Store step: decide near-duplicates, store the article once, index its fingerprint.

Exact duplicates (same URL, GUID or text) become sightings of the stored article; near
duplicates are stored with ``duplicate_of`` pointing at their original, the method and
the score, so a user can audit the decision.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler.ingest import IngestPlan, ingest
from storage.articles import ArticleRecord
from storage.db import utcnow

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.analysis import Analysis
    from crawler.context import CrawlContext
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
        """Decide, then write article, story, event and alert in one transaction."""
        spider: SourceSpider = self.crawler.spider  # type: ignore[assignment]
        context = spider.context
        analysis = item.analysis
        if analysis is None:
            # Spiders analyse items with the extraction; one built elsewhere is analysed here.
            item.fetched_at = item.fetched_at or utcnow()
            when = item.published_at or item.fetched_at
            analysis = context.extractor.analyser.analyse(item.title, item.text, item.language, when)
        fp = analysis.fingerprint
        async with context.store_lock:
            decision = context.dedup.find(fp)
            item.duplicate = decision
            record = self._record(item, analysis)
            plan = decide(context, record, analysis)
            result = await spider.archive.run(ingest, plan)
            if result.created:
                context.dedup.add(result.article_id, fp)
                if result.story_id is not None and analysis.features is not None:
                    context.stories.learn(result.story_id, analysis.features)
        extra = {"source": item.source_name, "url": item.url, "article_id": result.article_id}
        stats = self.crawler.stats
        if result.created:
            spider.summary.articles_new += 1
            spider.summary.alerts += len(result.alert_ids)
            spider.progress("article_new", item.url)
            stats.inc_value("newswatch/article_new")
            if not plan.relevant:
                stats.inc_value("newswatch/irrelevant")
            if result.alert_ids:
                stats.inc_value("newswatch/alert", len(result.alert_ids))
            if decision is not None:
                spider.summary.near_duplicates += 1
                stats.inc_value("newswatch/duplicate/near")
                logger.info(
                    "stored near-duplicate of article %d (%s %.2f): %s",
                    decision.original_id,
                    decision.method,
                    decision.score,
                    item.title[:80],
                    extra=extra,
                )
            else:
                logger.info(
                    "stored %s article: %s", "relevant" if plan.relevant else "off-topic", item.title[:80], extra=extra
                )
        else:
            spider.summary.articles_seen += 1
            spider.progress("article_seen", item.url)
            stats.inc_value(f"newswatch/duplicate/{result.matched_by}")
            logger.info("already stored (same %s)", result.matched_by, extra=extra)
        return item

    @staticmethod
    def _record(item: ArticleItem, analysis: Analysis) -> ArticleRecord:
        decision = item.duplicate
        fp = analysis.fingerprint
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
            signature=fp.as_bytes(),
            shingle_count=fp.size,
            short_text=fp.short,
            duplicate_of=decision.original_id if decision else None,
            duplicate_score=decision.score if decision else None,
            duplicate_method=decision.method if decision else None,
            content_hash=analysis.content_hash,
        )
        if item.fetched_at is not None:
            # The time the analysis dated an undated article by.
            record.fetched_at = item.fetched_at
        return record


def decide(context: CrawlContext, record: ArticleRecord, analysis: Analysis) -> IngestPlan:
    """The ingest plan of an analysed record: the story match is the one decision left (no I/O)."""
    plan = IngestPlan(
        record=record, relevant=analysis.relevant, relevance_score=analysis.relevance_score, policy=context.policy
    )
    if not analysis.relevant:
        return plan
    plan.event = analysis.event
    if record.duplicate_of is None and analysis.features is not None:
        plan.story_hint = context.stories.hint(analysis.features)
    return plan
