"""A cluster worker's decision caches: rebuilt with the config's event identity rules."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from core.config import Config, EventsConfig
from core.config.identity import EventMatchConfig
from crawler.cluster import ClusterDecider
from crawler.dedup.deduplicator import Deduplicator
from crawler.stories.assigner import StoryAssigner


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
