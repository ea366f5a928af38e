"""Everything the spiders of one crawl share: storage, dedup index, claims, the store lock.

A plain container: :func:`crawler.runner.open_context` builds it. It imports nothing of the
modules that use it (the poller, the spiders, the store step, the seeds), so none of them
forms a circle with it; the crawlers it closes are seen through :class:`CrawlerPool`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from crawler.report import SharedClaims

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from core.config import Config
    from crawler.analysis.prepare import Analysis
    from crawler.dedup.deduplicator import Deduplicator
    from crawler.extract_pool import ExtractPool
    from crawler.ingest import AlertPolicy, Decisions, IngestState, PendingStore
    from crawler.stories.assigner import StoryAssigner
    from crawler.writer import DbWriter
    from storage.articles import ArticleRecord

logger = logging.getLogger(__name__)

# Of the time :meth:`CrawlContext.close` is given, what is kept for the database writer to
# write what the crawlers left (the interrupted runs, articles extracted before the stop).
WRITER_RESERVE = 1.0


class CrawlerPool(Protocol):
    """The long-lived Scrapy crawlers, one per source (:class:`crawler.poller.Pollers`)."""

    async def close(self, timeout: float = ...) -> None:
        """Close every crawler, at most ``timeout`` seconds (its own default when not given)."""
        ...


class LockedDecide(Protocol):
    """A decision step that serialises decisions cluster-wide (:class:`crawler.cluster.ClusterDecider`).

    Typed here, not looked up by name, so mypy checks that the decider a worker passes has
    all the crawl calls on it: the decision, the cache warm-up and the locked merge pass.
    """

    def __call__(self, state: IngestState, record: ArticleRecord, analysis: Analysis) -> Decisions:
        """Decide and write one article under the cluster's decision lock (blocking)."""
        ...

    def warm(self, state: IngestState) -> None:
        """Build the dedup and story caches (blocking); they replace the single process's load."""
        ...

    def merge_pass(self, session: Session, state: IngestState, now: datetime) -> list[tuple[int, int]]:
        """The merge pass (crawler.stories.merge) under the decision lock; the merges as (survivor, absorbed)."""
        ...


@dataclass
class CrawlContext:
    """Shared state of one crawl (the database writer and the dedup index outlive it in the service)."""

    config: Config
    writer: DbWriter
    dedup: Deduplicator
    stories: StoryAssigner
    policy: AlertPolicy
    # Extraction and per-article analysis (fingerprint, relevance, event, story features).
    extractor: ExtractPool
    # One long-lived Scrapy crawler per source (crawler.poller), shared by every crawl.
    pollers: CrawlerPool
    claims: SharedClaims = field(default_factory=SharedClaims)
    # Dedup check, store and index update happen under this lock, so two copies of one
    # story arriving together cannot both be taken for originals.
    store_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Articles waiting for the store step, written in batches (crawler.pipelines.store).
    store_queue: list[PendingStore] = field(default_factory=list)
    # None: crawler.ingest.ingest and the unlocked merge pass. A cluster worker serialises
    # decisions and merges cluster-wide instead.
    decide: LockedDecide | None = None
    # Level of the spider's "source failed" line. The service logs every poll once, failure
    # and reason included (scheduler.jobs), and lowers this to INFO so a failing source is
    # not reported twice; a one-off crawl keeps it at WARNING.
    failure_log_level: int = logging.WARNING

    def fresh(self) -> CrawlContext:
        """A context for the next crawl sharing the writer, indexes and the store lock, not claims.

        The lock (and the queue of articles waiting for it) is shared because crawls of
        different sources may run at once in the service and must not both take two copies
        of one story for originals.
        """
        return CrawlContext(
            config=self.config,
            writer=self.writer,
            dedup=self.dedup,
            stories=self.stories,
            policy=self.policy,
            extractor=self.extractor,
            pollers=self.pollers,
            store_lock=self.store_lock,
            store_queue=self.store_queue,
            decide=self.decide,
            failure_log_level=self.failure_log_level,
        )

    async def close(self, timeout: float | None = None) -> None:
        """Close the crawlers, the extraction workers and the database writer, in ``timeout`` seconds at most.

        The crawlers go first: their last pages still pass through the workers and the
        writer. They get the time the writer does not need, since what was already
        extracted must be written; a part not done in time is left behind with a warning
        (the caller is stopping the process). ``None``: wait as long as it takes.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout

        def left(reserve: float = 0.0) -> float | None:
            return None if deadline is None else max(deadline - loop.time() - reserve, 0.0)

        crawlers = left(WRITER_RESERVE)
        await (self.pollers.close() if crawlers is None else self.pollers.close(crawlers))
        # Stopping the workers blocks (a worker finishing its page); the writer flushes meanwhile.
        workers = asyncio.ensure_future(asyncio.to_thread(self.extractor.close, left()))
        await self.writer.aclose(left())
        done, _ = await asyncio.wait({workers}, timeout=left())
        if not done:
            logger.warning("extraction workers still stopping at the deadline; not waiting for them")
