"""The decision step of the cluster mode: one worker at a time decides, from an up-to-date cache.

In the single process, :func:`crawler.ingest.ingest` runs on one writer thread, so every
article sees every article decided before it. In the cluster several workers decide; to
store exactly what one process would (one original per story of copies, one story per
event, one alert per event), the decision is serialised cluster-wide:

* the decision transaction starts with ``pg_advisory_xact_lock`` on :data:`DECIDE_LOCK`,
  so the lock is held until that transaction commits or rolls back, and a worker killed
  mid-decision releases it with its connection (its half-done decision rolls back);
* under the lock, the worker's dedup index and story state (the in-memory caches every
  worker keeps, as the single process does) load the rows written since the last article
  id they have seen (:mod:`storage.cluster`); then :func:`ingest` decides and writes in
  that same transaction.

The story state must learn what the deciding worker learned: the features of the
article's own analysis (its event kind included, which the archive does not keep per
article; a relevant copy of a relevant original learns nothing). So an article another
worker stored is analysed again from its stored title, text, language and time, with the
same :class:`~crawler.analysis.prepare.Analyser`: the same inputs, the same features.

A decision that fails (the database went away, a constraint) may have taught the caches
an article that was rolled back; they are rebuilt from the archive before the next
decision, and a worker builds them so before it takes jobs (:meth:`ClusterDecider.warm`).
A rebuild takes no lock, so a worker starting never holds up the others' decisions: it
reads the largest stored id first and loads only up to it. Ids are handed out and
committed one decision at a time, so every id up to that one is committed and visible; the
decision in progress has a larger id and is caught up under the lock like any later one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import text

from crawler.analysis.fingerprint import from_bytes
from crawler.dedup.deduplicator import Deduplicator
from crawler.ingest import Decisions, ingest
from crawler.stories.assigner import StoryAssigner
from crawler.stories.merge import merge_pass
from storage import cluster
from storage.db import transaction, utcnow

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from core.config import EventsConfig, StoriesConfig, TopicConfig
    from crawler.analysis.prepare import Analyser, Analysis
    from crawler.ingest import AlertPolicy, IngestState
    from storage.articles import ArticleRecord
    from storage.stories import Member

logger = logging.getLogger(__name__)

# The advisory lock key of the decision step (any 64-bit number no other lock uses: the
# ASCII of "nwdecide").
DECIDE_LOCK = 0x6E77646563696465


class _SessionWriter:
    """What :func:`ingest` needs of a writer (``call``), running in the locked transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return fn(self.session, *args, **kwargs)


@dataclass
class _Locked:
    """The ingest state of one locked decision: the shared caches, the locked session as writer."""

    writer: Any
    dedup: Deduplicator
    stories: StoryAssigner
    policy: AlertPolicy


class ClusterDecider:
    """Decides one article at a time cluster-wide; the ``decide`` of a worker's crawl context."""

    def __init__(
        self, topic: TopicConfig, stories: StoriesConfig, analyser: Analyser, events: EventsConfig | None = None
    ) -> None:
        self.topic = topic
        self.stories_config = stories
        # The event identity rules of the config (events:), as the single process's assigner has them.
        self.events_config = events
        self.analyser = analyser
        # The largest article id the caches hold; None: rebuild them before the next decision.
        self.mark: int | None = None
        # The merge marker (storage.cluster.merge_marker) the story state has followed up to.
        self.merges_seen: tuple[int, int] | None = None
        self.decisions = 0
        self.rebuilds = 0

    def warm(self, state: IngestState) -> None:
        """Rebuild the caches from the archive if they are stale (blocking: on the writer thread; no lock)."""
        if self.mark is None:
            with transaction(state.writer.sessions) as session:
                self._rebuild(session, state)

    def merge_pass(self, session: Session, state: IngestState, now: datetime) -> list[tuple[int, int]]:
        """The merge pass (crawler.stories.merge) under the decision lock, on caches caught up.

        Like a decision, it moves articles and events between stories: unlocked, it could miss
        an article another worker commits meanwhile or overwrite that worker's event update.
        """
        self.warm(state)
        try:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DECIDE_LOCK})
            self.catch_up(session, state)
            return merge_pass(session, state.stories, now, policy=state.policy.updates)
        except BaseException:
            self.mark = None
            raise

    def __call__(self, state: IngestState, record: ArticleRecord, analysis: Analysis) -> Decisions:
        """Lock, catch up, decide and write one article (blocking: on the writer thread)."""
        self.warm(state)
        try:
            with transaction(state.writer.sessions) as session:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DECIDE_LOCK})
                self.catch_up(session, state)
                decisions = ingest(
                    _Locked(_SessionWriter(session), state.dedup, state.stories, state.policy), record, analysis
                )
                if decisions.created and self.mark is not None:
                    # Ids are handed out under the lock, so this is the largest one now.
                    self.mark = max(self.mark, decisions.article_id)
        except BaseException:
            self.mark = None  # the caches may hold what was rolled back
            raise
        self.decisions += 1
        return decisions

    def catch_up(self, session: Session, state: IngestState) -> None:
        """Bring the dedup index and the story state up to the archive (under the lock)."""
        if self.mark is None:
            self._rebuild(session, state)
            return
        mark = self.mark
        for article_id, blob, size, short in cluster.signatures_after(session, self.mark):
            index = state.dedup.short if short else state.dedup.long
            index.add(article_id, from_bytes(blob), size)
            mark = max(mark, article_id)
        for member in cluster.members_after(session, self.mark):
            self._learn(state.stories, member)
            mark = max(mark, member.article_id)
        # An article with neither a signature nor a story has nothing to teach the caches.
        self.mark = mark
        self._catch_up_merges(session, state.stories)

    def _catch_up_merges(self, session: Session, stories: StoryAssigner) -> None:
        """Follow the story merges other workers' merge passes made (their articles already moved in storage).

        Without this a worker would keep scoring the absorbed story apart from its survivor,
        so a later article could join the absorbed one (only resolved to the survivor on
        write) with features split between two stories, unlike the worker that merged.
        """
        marker = cluster.merge_marker(session)
        if marker == self.merges_seen:
            return
        for survivor, absorbed in cluster.merges_after(session, stories.clusterer.stories.keys()):
            stories.merged(survivor, absorbed)
        self.merges_seen = marker

    def _learn(self, stories: StoryAssigner, member: Member) -> None:
        """Teach ``stories`` an article as :func:`ingest` (or the seeds) taught the worker that stored it."""
        if member.is_seed:
            # As crawler.seeds.ensure_seeds: the seed reports no event.
            features = stories.features(0, member.title, member.text, member.when, member.language, None)
            features.is_seed = True
            stories.learn(member.story_id, features)
            return
        analysed = self.analyser.analyse(member.title, member.text, member.language, member.when).features
        if analysed is not None:  # None: a copy kept relevant for its original; ingest learns nothing either
            stories.learn(member.story_id, analysed)

    def _rebuild(self, session: Session, state: IngestState) -> None:
        """Load both caches up to the largest stored id (read first; see the module docstring)."""
        upto = cluster.max_article_id(session)
        # Read before the members: a merge committed after this read is followed at the
        # next catch-up (a no-op if the members read already saw it).
        merges = cluster.merge_marker(session)
        # In place: every crawl context of the worker shares these two objects.
        fresh_dedup = Deduplicator(state.dedup.config)
        parts: dict[bool, tuple[list[int], list[np.ndarray], list[int]]] = {False: ([], [], []), True: ([], [], [])}
        for article_id, blob, size, short in cluster.signatures_after(session, 0, upto=upto):
            keys, sigs, sizes = parts[short]
            keys.append(article_id)
            sigs.append(from_bytes(blob))
            sizes.append(size)
        for short, (keys, sigs, sizes) in parts.items():
            if keys:
                index = fresh_dedup.short if short else fresh_dedup.long
                index.add_many(np.array(keys, dtype=np.int64), np.vstack(sigs), np.array(sizes, dtype=np.int32))
        vars(state.dedup).update(vars(fresh_dedup))
        fresh_stories = StoryAssigner(self.topic, self.stories_config, self.events_config)
        # As StoryAssigner.load (stories active within four windows), but learning what the
        # deciding workers learned, in the order they decided it.
        since = utcnow() - fresh_stories.clusterer.window * 4
        for member in cluster.members_after(session, 0, active_since=since, upto=upto):
            self._learn(fresh_stories, member)
        vars(state.stories).update(vars(fresh_stories))
        # Rebuilt from the members' current stories: merges up to the marker are pooled.
        self.merges_seen = merges
        self.mark = upto
        self.rebuilds += 1
        logger.info("decision caches rebuilt up to article %d", upto)
