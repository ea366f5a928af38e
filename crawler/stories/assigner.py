"""Putting each stored article into a story: its original's story, a matching one, or a new one."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING

from core.config import EventsConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.events.identity import signature
from crawler.analysis.events.rules import identity_rules
from crawler.analysis.features import article_features
from crawler.analysis.gazetteer import Gazetteer
from crawler.stories.clusterer import StoryClusterer
from storage import stories

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.config import StoriesConfig, TopicConfig
    from crawler.analysis.events.classifier import EventResult
    from crawler.analysis.events.identity import EventSignature
    from crawler.analysis.features import Features
    from storage.stories import Member

logger = logging.getLogger(__name__)

PRUNE_EVERY = 200


class StoryAssigner:
    """Online story clustering backed by storage; rebuilt from recent stories at start."""

    def __init__(self, topic: TopicConfig, config: StoriesConfig, events: EventsConfig | None = None) -> None:
        self.gazetteer = Gazetteer.from_topic(topic)
        # Event identity: which stored event (and so which story) a report of an event joins.
        self.identity = identity_rules(topic, events or EventsConfig(), self.gazetteer)
        self.clusterer = StoryClusterer(self.gazetteer, threshold=config.join_threshold, window=config.window)
        # Story windows of articles the merge pass's regrouping clusters again (stories.regroup_windows).
        self.regroup_windows = config.regroup_windows
        self._learned = 0
        self._latest: datetime | None = None
        self._topic = topic
        self._classifier: EventClassifier | None = None
        # Features of the regrouping pass's window, by article id: a pure function of the
        # stored article, so computed once and reused by every pass while it is in the window.
        self._window: dict[int, Features] = {}
        # The (article, story) pairs of the window as the last regrouping pass left them.
        self.regrouped: tuple[tuple[int, int], ...] = ()
        # Window articles whose event kind was read again by the classifier (none stored).
        self.classified = 0

    def load(self, session: Session, now: datetime) -> int:
        """Re-learn the stories active within four windows of ``now``."""
        started = time.perf_counter()
        members = stories.recent_members(session, now - self.clusterer.window * 4)
        for member in members:
            features = article_features(
                member.article_id, member.title, member.text, member.when, member.language, self.gazetteer
            )
            features.is_seed = member.is_seed
            self.clusterer.add(member.story_id, features)
        logger.info(
            "story index rebuilt: %d articles in %d stories in %.2fs",
            len(members),
            len(self.clusterer.stories),
            time.perf_counter() - started,
        )
        return len(members)

    def features(
        self, article_id: int, title: str, text: str, when: datetime, language: str | None, event_kind: str | None
    ) -> Features:
        """Clustering features of an article."""
        return article_features(article_id, title, text, when, language, self.gazetteer, event_kind)

    def hint(self, features: Features) -> int | None:
        """The active story the article belongs to, or None for a new one."""
        match = self.clusterer.best(features)
        return match.story_id if match else None

    def signature(self, event: EventResult, title: str) -> EventSignature:
        """The identity of the event an article reports (crawler.analysis.events.identity)."""
        return signature(event, title, self.gazetteer, self.identity)

    def window_features(self, row: Member) -> Features:
        """Clustering features of a stored article, as the write path computed them (cached).

        The event kind (the clusterer's event guards need it) is the one the write path
        stored; an article stored before it was kept (``event_kind`` NULL) has it read again
        by the topic's classifier, against its publication time in UTC.
        """
        cached = self._window.get(row.article_id)
        if cached is not None:
            return cached
        # "" is the write path's "no event"; NULL (None) is "not stored".
        kind = self._classify(row) if row.event_kind is None else row.event_kind or None
        features = article_features(row.article_id, row.title, row.text, row.when, row.language, self.gazetteer, kind)
        features.is_seed = row.is_seed
        self._window[row.article_id] = features
        return features

    def _classify(self, row: Member) -> str | None:
        """The event kind the topic's classifier reads in a stored article (None: no event)."""
        if self._classifier is None:
            events = self._topic.events
            self._classifier = EventClassifier(self.gazetteer, events.talks, events.clashes)
        self.classified += 1
        event = self._classifier.classify(row.title, row.text, row.when, row.language)
        return event.kind if event else None

    def cached_features(self, article_id: int) -> Features | None:
        """The features :meth:`window_features` computed for ``article_id``, if it did."""
        return self._window.get(article_id)

    def forget_features_except(self, keep: set[int]) -> None:
        """Drop the cached features of articles that left the regrouping window."""
        self._window = {i: f for i, f in self._window.items() if i in keep}

    def merged(self, survivor: int, absorbed: int) -> None:
        """Follow a merge of two stories in storage: the absorbed story's articles pool into the survivor."""
        self.clusterer.merge(survivor, absorbed)

    def learn(self, story_id: int, features: Features) -> None:
        """Record the article in its story (after the write committed).

        Every few hundred articles, stories idle for four windows are forgotten: the same
        horizon :meth:`load` uses at start, so a service running for months keeps the
        stories a restart would keep instead of scanning every story it ever saw.
        """
        self.clusterer.add(story_id, features)
        self._latest = max(self._latest, features.when) if self._latest else features.when
        self._learned += 1
        if self._learned % PRUNE_EVERY == 0:
            self.clusterer.prune(self._latest)
