"""Store step: decide near-duplicates, store the article once, index its fingerprint.

Exact duplicates (same URL, GUID or text) become sightings of the stored article; near
duplicates are stored with ``duplicate_of`` pointing at their original, the method and
the score, so a user can audit the decision.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.ingest import IngestPlan, IngestResult, ingest
from storage.articles import ArticleRecord
from storage.db import utcnow

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.analysis.prepare import Analysis
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
        pending = PendingStore(item, analysis, asyncio.get_running_loop().create_future())
        context.store_queue.append(pending)
        async with context.store_lock:
            # Whoever holds the lock writes everything queued so far, in arrival order; the
            # others find their article written when their turn comes.
            while context.store_queue and not pending.done.done():
                batch = context.store_queue[:MAX_BATCH]
                del context.store_queue[:MAX_BATCH]
                running = spider.archive.submit(store_batch, context, batch)
                running.add_done_callback(functools.partial(_deliver, batch))
                # Shielded: a cancelled caller must not lose the articles of its batch.
                await asyncio.shield(running)
        result, plan = await pending.done
        decision = item.duplicate
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


# Articles written per trip to the writer thread. Each still has its own transaction; the
# batch saves the hand-overs between the reactor's thread and the writer's (each one waits
# for the GIL), which made the store step the crawl's bottleneck: one article at a time,
# 21 ms per trip for 4 ms of work, with the rest of the crawl queued behind the lock.
MAX_BATCH = 32


@dataclass
class PendingStore:
    """An analysed item waiting for the store step, and where its outcome goes."""

    item: ArticleItem
    analysis: Analysis
    done: asyncio.Future[tuple[IngestResult, IngestPlan]]
    outcome: tuple[IngestResult, IngestPlan] | None = None
    error: BaseException | None = None


def store_batch(context: CrawlContext, batch: list[PendingStore]) -> None:
    """On the writer thread: decide and store each article in turn, one transaction each.

    The dedup and story indexes are read and updated here, under the crawl's store lock, in
    the order the articles arrived: each article sees every article stored before it, as
    when they were stored one at a time.
    """
    for pending in batch:
        item, analysis = pending.item, pending.analysis
        try:
            fp = analysis.fingerprint
            item.duplicate = context.dedup.find(fp)
            record = StorePipeline._record(item, analysis)
            plan = decide(context, record, analysis)
            result = context.archive.call(ingest, plan)
            if result.created:
                context.dedup.add(result.article_id, fp)
                if result.story_id is not None and analysis.features is not None:
                    context.stories.learn(result.story_id, analysis.features)
            pending.outcome = (result, plan)
        except Exception as exc:  # reported to the item's own pipeline call, as before
            pending.error = exc


def _deliver(batch: list[PendingStore], _running: asyncio.Future[None]) -> None:
    """Hand each article's outcome to its waiting pipeline call (on the event loop)."""
    for pending in batch:
        if pending.done.done():
            continue
        if pending.outcome is not None:
            pending.done.set_result(pending.outcome)
        else:
            error = pending.error or RuntimeError("the store step did not run for this article")
            pending.done.set_exception(error)


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
