"""Run crawls of configured sources on Scrapy's asyncio reactor and record their outcome.

Twisted's reactor cannot be restarted, so a process installs it once
(:func:`install_reactor`) and runs every crawl inside it: :func:`crawl_sources` is the
coroutine the long-running service awaits on each tick; :func:`crawl_once` is the
one-shot ``newswatch crawl``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from core.config import resolve_database_url
from core.gc_freeze import crawl_thresholds
from crawler.context import CrawlContext
from crawler.dedup.deduplicator import Deduplicator
from crawler.extract_pool import ExtractPool, default_workers
from crawler.ingest import AlertPolicy
from crawler.poller import Pollers
from crawler.report import ProgressEvent, SourceSummary
from crawler.seeds import ensure_seeds
from crawler.stories.assigner import StoryAssigner
from crawler.stories.merge import merge_pass
from crawler.writer import DbWriter
from storage import crawl_runs, sources
from storage.alert_updates import UpdatePolicy
from storage.db import utcnow
from storage.sources import FetchOutcome, SourceSpec

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from crawler.context import LockedDecide
    from crawler.report import ProgressCallback

    NextPollPlanner = Callable[[sources.PollState], datetime]
    from core.config import Config, SourceConfig

logger = logging.getLogger(__name__)

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# The error of a run cut short by a stop of the process (SIGINT/SIGTERM).
INTERRUPTED_REASON = "the service stopped before the poll finished"


def install_reactor() -> Any:
    """Install Scrapy's asyncio reactor (once per process) and return it."""
    from scrapy.utils.reactor import install_reactor as scrapy_install_reactor
    from scrapy.utils.reactor import is_asyncio_reactor_installed, is_reactor_installed

    if not is_reactor_installed():
        scrapy_install_reactor(ASYNCIO_REACTOR)
    elif not is_asyncio_reactor_installed():
        raise RuntimeError("a non-asyncio Twisted reactor is already installed")
    from twisted.internet import reactor

    return reactor


def _select(config: Config, names: list[str] | None) -> list[SourceConfig]:
    if names:
        return [config.source(name) for name in names]  # KeyError names the unknown one
    return [s for s in config.sources if s.enabled]


def _record(
    session: Session,
    source_id: int,
    run_id: int | None,
    started_at: datetime,
    outcome: FetchOutcome,
    counts: crawl_runs.RunCounts,
    next_fetch: datetime | None,
    now: datetime,
) -> None:
    """Store a finished poll: the source's validators and health, and its crawl run."""
    sources.record_fetch(session, source_id, outcome, now=now, next_fetch=next_fetch)
    if run_id is None:
        crawl_runs.record_run(
            session,
            source_id,
            started_at=started_at,
            status=outcome.status,
            counts=counts,
            http_status=outcome.http_status,
            error=outcome.error,
        )
    else:
        crawl_runs.finish_run(
            session, run_id, status=outcome.status, counts=counts, http_status=outcome.http_status, error=outcome.error
        )


async def open_context(config: Config, writer: DbWriter, *, decide: LockedDecide | None = None) -> CrawlContext:
    """Build a crawl's context: load the dedup and story indexes from storage, store the seeds.

    ``decide`` replaces :func:`crawler.ingest.ingest` as the decision step (a cluster worker's,
    :class:`crawler.cluster.ClusterDecider`); the seeds go through it too.
    """
    dedup = Deduplicator(config.dedup)
    assigner = StoryAssigner(config.topic, config.stories, config.events)
    # A cluster decider builds both caches itself, as its catch-up needs them (up to a
    # known article id, learning what the deciding workers learned); loading them here
    # too would build them twice.
    if decide is None:
        await writer.run(dedup.load)
        await writer.run(assigner.load, utcnow())
    context = CrawlContext(
        config=config,
        writer=writer,
        dedup=dedup,
        stories=assigner,
        extractor=ExtractPool(
            default_workers() if config.crawl.extract_workers is None else config.crawl.extract_workers,
            config.topic,
            config.dedup,
        ),
        pollers=Pollers(config),
        policy=AlertPolicy(
            channels=config.alerts.channels.names(),
            max_age=config.alerts.max_age,
            min_sources=config.alerts.min_sources,
            seed_published=config.topic.seed_published,
            group_wait=config.alerts.group_wait,
            updates=UpdatePolicy(config.alerts.updates, config.alerts.group_interval),
        ),
        decide=decide,
    )
    if decide is not None:
        await writer.submit(decide.warm, context)
    await ensure_seeds(context)
    return context


async def _merge_pass(context: CrawlContext) -> None:
    """After the polls: stories that turned out to tell one event become one (crawler.stories.merge)."""
    # A cluster worker runs it under the cluster's decision lock (crawler.cluster.ClusterDecider).
    locked = context.decide
    async with context.store_lock:
        if locked is not None:
            merges = await context.writer.run(locked.merge_pass, context, utcnow())
        else:
            merges = await context.writer.run(merge_pass, context.stories, utcnow(), policy=context.policy.updates)
    for survivor, absorbed in merges:
        context.stories.merged(survivor, absorbed)


def _interrupt_runs(writer: DbWriter, summaries: list[SourceSummary]) -> None:
    """Close the runs of polls cut short by a stop as ``interrupted``, with what they did so far.

    Handed to the writer's group commit, not awaited: the caller is being cancelled, and
    the writer writes deferred work before it closes. A run whose own outcome is written
    first keeps it (:func:`storage.crawl_runs.interrupt_run` only closes open runs).
    """
    for summary in summaries:
        if summary.run_id is None:
            continue  # a poll that opened no run has nothing open to close
        counts = crawl_runs.RunCounts(
            items_found=summary.items_found,
            articles_new=summary.articles_new,
            articles_seen=summary.articles_seen,
            articles_failed=summary.articles_failed,
        )
        writer.defer(crawl_runs.interrupt_run, summary.run_id, counts, INTERRUPTED_REASON)
        logger.warning("poll interrupted by shutdown; run closed as interrupted", extra={"source": summary.name})


async def _reporting(
    poll: Awaitable[Any], name: str, summary: SourceSummary, on_progress: Callable[[ProgressEvent], None]
) -> Any:
    """Await one source's poll and report it done as soon as it is, not when the slowest
    source of the crawl is: a progress display then moves with the crawl."""
    try:
        return await poll
    finally:
        # A poll that raised or ended before reaching its source is an error (as recorded below).
        status = "error" if summary.status == "running" else summary.status
        on_progress(ProgressEvent("source_done", name, detail=status))


async def crawl_sources(
    config: Config,
    names: list[str] | None = None,
    on_progress: ProgressCallback | None = None,
    *,
    writer: DbWriter | None = None,
    context: CrawlContext | None = None,
    plan_next: NextPollPlanner | None = None,
    defer_quiet: bool = False,
) -> list[SourceSummary]:
    """Poll the named sources (default: every enabled one) concurrently, whole pipeline included.

    Must run on the asyncio loop of an installed asyncio reactor. A source that fails is
    recorded with its reason and does not affect the others. Raises ``KeyError`` for a
    name that is not in the config. A long-running caller passes the ``context`` of its
    previous crawl so the database writer, the dedup index and each source's crawler and
    validators are reused, not rebuilt or read again, and may pass ``plan_next``: called
    with the source's poll state after the poll, it returns the time of the next poll,
    which is stored with the outcome and reported as ``SourceSummary.next_poll``. With
    ``defer_quiet``, the outcome of a poll that fetched no article (a 304, nothing new, a
    failure) is written with the writer's group commit instead of before returning.
    """
    selected = _select(config, names)
    own_writer = writer is None and context is None
    if context is not None:
        writer = context.writer
        context = context.fresh()
    if writer is None:
        writer = DbWriter(resolve_database_url(config))
    jobs: list[tuple[SourceConfig, SourceSummary]] = []
    summaries: list[SourceSummary] = []  # polls whose outcome is recorded
    try:
        if context is None:
            context = await open_context(config, writer)
        # The context sees its crawlers only as a CrawlerPool (so it need not import the
        # poller); every context is built by open_context, with a Pollers.
        pool = context.pollers
        assert isinstance(pool, Pollers)
        pollers = {source.name: pool.get(source) for source in selected}
        # A source's poller remembers its validators after its first poll; only sources
        # polled for the first time (by this process) are read from the database.
        states = {name: poller.state for name, poller in pollers.items() if poller.state is not None}
        unknown = [SourceSpec(s.name, s.type, s.url) for s in selected if s.name not in states]
        if unknown:
            states.update(await writer.run(sources.poll_sources, unknown))
        polls = []
        for source in selected:
            summary = SourceSummary(name=source.name, started_at=utcnow())
            state = states[source.name]
            if on_progress is not None:
                on_progress(ProgressEvent("source_started", source.name))
            poll = pollers[source.name].poll(
                source_id=state.source_id,
                context=context,
                summary=summary,
                etag=state.etag,
                last_modified=state.last_modified,
                on_progress=on_progress,
            )
            polls.append(poll if on_progress is None else _reporting(poll, source.name, summary, on_progress))
            jobs.append((source, summary))
        results = await asyncio.gather(*polls, return_exceptions=True)
        for source_id, urls in context.claims.deferred.items():
            await writer.add_sightings(sorted(urls), source_id)
        for (source, summary), result in zip(jobs, results, strict=True):
            spider = None if isinstance(result, BaseException) else result
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                summary.status = "error"
                summary.error = f"crawler crashed: {type(result).__name__}: {result}"
                logger.error(
                    "crawl crashed: %s",
                    result,
                    exc_info=result,
                    extra={"source": source.name, "url": source.url},
                )
            elif summary.status == "running":
                # The spider closed without reaching the source callback (e.g. shutdown).
                summary.status = "error"
                summary.error = summary.error or "crawl ended before the source was fetched"
            # An article of this poll that could not be stored must not hide behind a 304
            # at the next poll: without validators the feed is read in full again.
            keep = not getattr(spider, "incomplete", False)
            outcome = FetchOutcome(
                status=summary.status,
                http_status=summary.http_status,
                error=summary.error,
                etag=getattr(spider, "new_etag", None) if keep else None,
                last_modified=getattr(spider, "new_last_modified", None) if keep else None,
                items_found=summary.items_found,
                retry_at=getattr(spider, "retry_at", None),
            )
            state = states[source.name]
            after = state.after(outcome)
            pollers[source.name].state = after
            now = utcnow()
            if plan_next is not None:
                summary.next_poll = plan_next(
                    sources.PollState(summary.name, now, outcome.retry_at, after.consecutive_errors)
                )
            counts = crawl_runs.RunCounts(
                items_found=summary.items_found,
                articles_new=summary.articles_new,
                articles_seen=summary.articles_seen,
                articles_failed=summary.articles_failed,
            )
            args = (state.source_id, summary.run_id, summary.started_at or now, outcome, counts, summary.next_poll, now)
            if defer_quiet and summary.run_id is None:
                writer.defer(_record, *args)
            else:
                await writer.run(_record, *args)
            logger.debug(
                "crawl done: status=%s items=%d new=%d seen=%d failed=%d skipped=%d",
                summary.status,
                summary.items_found,
                summary.articles_new,
                summary.articles_seen,
                summary.articles_failed,
                summary.articles_skipped,
                extra={"source": source.name, "url": source.url},
            )
            summaries.append(summary)
        await _merge_pass(context)
        return summaries
    except asyncio.CancelledError:
        # Stopped mid-poll (the service's shutdown): the runs opened so far must not stay
        # ``running`` until the next start.
        recorded = {id(summary) for summary in summaries}
        _interrupt_runs(writer, [summary for _, summary in jobs if id(summary) not in recorded])
        raise
    finally:
        if own_writer:
            if context is not None:
                await context.close()
            else:
                writer.close()


def crawl_once(
    config: Config, only: list[str] | None = None, on_progress: ProgressCallback | None = None
) -> list[SourceSummary]:
    """Poll every enabled source (or those named in ``only``) once, through the whole pipeline.

    Blocks until done; installs and runs the asyncio reactor, so call it once per process.
    Returns one summary per source, in config order. Raises ``KeyError`` for an unknown name.
    """
    from twisted.internet.defer import Deferred

    _select(config, only)  # fail fast on unknown names, before the reactor starts
    reactor = install_reactor()
    outcome: dict[str, Any] = {}

    def start() -> None:
        future = asyncio.ensure_future(crawl_sources(config, only, on_progress))
        deferred = Deferred.fromFuture(future)
        deferred.addBoth(finish)

    def finish(result: Any) -> None:
        outcome["result"] = result
        reactor.stop()

    reactor.callWhenRunning(start)
    with crawl_thresholds():
        reactor.run(installSignalHandlers=False)
    result = outcome.get("result")
    from twisted.python.failure import Failure

    if isinstance(result, Failure):
        result.raiseException()
    if result is None:
        raise RuntimeError("the crawl was interrupted before it finished")
    return list(result)
