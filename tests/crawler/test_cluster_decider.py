"""A cluster worker's decision caches: rebuilt once, with the config's event identity rules, merges followed."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from types import SimpleNamespace

from core.config import Config, EventsConfig
from core.config.identity import EventMatchConfig
from crawler.analysis.prepare import Analyser
from crawler.cluster import ClusterDecider
from crawler.dedup.deduplicator import Deduplicator
from crawler.runner import open_context
from crawler.stories.assigner import StoryAssigner
from crawler.writer import DbWriter
from storage.db import transaction, utcnow
from storage.models import Article, Story
from storage.stories import merge_stories


def test_a_rebuild_keeps_the_configs_event_identity_rules(sessions) -> None:
    """The rebuild replaced the assigner with one of default rules (events: ignored)."""
    config = Config()
    events = EventsConfig(match=EventMatchConfig(date_window=timedelta(days=5)))
    state = SimpleNamespace(
        writer=SimpleNamespace(sessions=sessions),
        dedup=Deduplicator(config.dedup),
        stories=StoryAssigner(config.topic, config.stories, events),
        policy=None,
    )
    assert state.stories.identity.date_window == 5
    decider = ClusterDecider(config.topic, config.stories, analyser=None, events=events)  # type: ignore[arg-type]
    decider.warm(state)  # type: ignore[arg-type]
    assert decider.rebuilds == 1
    assert state.stories.identity.date_window == 5


def _seed_article(session, url: str, story_id: int, title: str, text: str) -> None:
    now = utcnow()
    session.add(
        Article(
            url=url,
            title=title,
            text=text,
            fetched_at=now,
            published_at=now,
            content_hash=url,
            is_seed=True,
            story_id=story_id,
        )
    )


def _state(sessions, config: Config) -> SimpleNamespace:
    return SimpleNamespace(
        writer=SimpleNamespace(sessions=sessions),
        dedup=Deduplicator(config.dedup),
        stories=StoryAssigner(config.topic, config.stories, config.events),
        policy=None,
    )


def test_a_worker_follows_the_story_merges_of_another_worker(sessions) -> None:
    """Another worker's merge pass merged two stories: this worker's story state pools them too."""
    config = Config()
    now = utcnow()
    with transaction(sessions) as session:
        first = Story(title="talks", first_seen_at=now, updated_at=now)
        second = Story(title="talks again", first_seen_at=now, updated_at=now)
        session.add_all([first, second])
        session.flush()
        survivor, absorbed = first.id, second.id
        _seed_article(session, "seed:1", survivor, "Ceasefire talks open", "Delegations met for ceasefire talks.")
        _seed_article(session, "seed:2", absorbed, "Ceasefire talks resume", "Delegations resumed ceasefire talks.")
    state = _state(sessions, config)
    decider = ClusterDecider(config.topic, config.stories, analyser=None, events=config.events)  # type: ignore[arg-type]
    decider.warm(state)  # type: ignore[arg-type]
    assert set(state.stories.clusterer.stories) == {survivor, absorbed}

    # The other worker's merge pass, committed.
    with transaction(sessions) as session:
        merge_stories(session, survivor, absorbed)
    with transaction(sessions) as session:
        decider.catch_up(session, state)  # type: ignore[arg-type]

    assert set(state.stories.clusterer.stories) == {survivor}
    assert state.stories.clusterer.stories[survivor].size == 2
    assert decider.rebuilds == 1  # caught up, not rebuilt


def test_a_worker_builds_its_caches_once(db_url: str, caplog) -> None:
    """Opening a worker's crawl context built the indexes in open_context, then again in the decider."""
    config = Config()
    decider = ClusterDecider(config.topic, config.stories, Analyser(config.topic, config.dedup), config.events)

    async def open_and_close() -> None:
        context = await open_context(config, DbWriter(db_url), decide=decider)
        await context.close()

    with caplog.at_level(logging.INFO):
        asyncio.run(open_and_close())
    assert "dedup index rebuilt" not in caplog.text  # Deduplicator.load: the single process's build
    assert caplog.text.count("decision caches rebuilt") == 1
    assert decider.rebuilds == 1
