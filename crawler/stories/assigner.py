"""Putting each stored article into a story: its original's story, a matching one, or a new one."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING

from crawler.stories.clusterer import StoryClusterer
from crawler.stories.features import Gazetteer, article_features
from storage import stories

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from crawler.archive import Archive
    from scheduler.config import StoriesConfig, TopicConfig

logger = logging.getLogger(__name__)


class StoryAssigner:
    """Online story clustering backed by storage; rebuilt from recent stories at start."""

    def __init__(self, topic: TopicConfig, config: StoriesConfig) -> None:
        self.gazetteer = Gazetteer.from_topic(topic)
        self.clusterer = StoryClusterer(self.gazetteer, threshold=config.join_threshold, window=config.window)

    def load(self, session: Session, now: datetime) -> int:
        """Re-learn the stories active within four windows of ``now``."""
        started = time.perf_counter()
        members = stories.recent_members(session, now - self.clusterer.window * 4)
        for member in members:
            features = article_features(
                member.article_id, member.title, member.text, member.when, member.language, self.gazetteer
            )
            self.clusterer.add(member.story_id, features)
        logger.info(
            "story index rebuilt: %d articles in %d stories in %.2fs",
            len(members),
            len(self.clusterer.stories),
            time.perf_counter() - started,
        )
        return len(members)

    async def assign(
        self,
        archive: Archive,
        article_id: int,
        *,
        title: str,
        text: str,
        when: datetime,
        language: str | None,
        duplicate_of: int | None,
    ) -> int:
        """Attach a newly stored article to its story and return the story id."""
        features = article_features(article_id, title, text, when, language, self.gazetteer)
        story_id = None
        if duplicate_of is not None:
            # A copy belongs wherever its original is.
            story_id = await archive.run(stories.story_of, duplicate_of)
        if story_id is None:
            match = self.clusterer.best(features)
            story_id = match.story_id if match else None
        story_id = await archive.run(stories.attach, article_id, story_id, title=title, when=when)
        self.clusterer.add(story_id, features)
        return story_id
