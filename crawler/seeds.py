"""The seed article(s): the user's input, stored once and flagged, so copies of it never alert."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from storage.articles import ArticleRecord

if TYPE_CHECKING:
    from crawler.context import CrawlContext

logger = logging.getLogger(__name__)

SEED_SCHEME = "seed:"


def seed_url(path: Path) -> str:
    """The stable key a seed is stored under (its file name, not its machine-specific path)."""
    return f"{SEED_SCHEME}{path.name}"


def read_seed(path: Path) -> tuple[str, str]:
    """(title, text) of a seed file: the first non-empty line is the title."""
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    lines = [line.strip() for line in raw.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return path.stem, ""
    return lines[0], "\n".join(lines[1:])


async def ensure_seeds(context: CrawlContext) -> list[int]:
    """Store every configured seed once (idempotent) and index it for dedup."""
    config = context.config
    published = None
    if config.topic.seed_published:
        published = datetime.combine(config.topic.seed_published, time(0, 0), tzinfo=UTC)
    ids = []
    for path in config.seed_paths():
        url = seed_url(path)
        title, text = read_seed(path)
        fp = context.dedup.fingerprint(title, text)
        record = ArticleRecord(
            url=url,
            title=title,
            text=text,
            source_id=None,
            published_at=published,
            published_source="config" if published else "none",
            extraction="seed",
            is_seed=True,
            signature=fp.as_bytes(),
            shingle_count=fp.size,
            short_text=fp.short,
        )
        from crawler.ingest import IngestPlan, ingest

        async with context.store_lock:
            # The seed is on topic by definition and reports nothing new: no event, no alert.
            features = context.stories.features(0, title, text, published or record.fetched_at, None, None)
            features.is_seed = True
            plan = IngestPlan(record=record, relevant=True, relevance_score=1.0, policy=context.policy)
            result = await context.archive.run(ingest, plan)
            if result.created:
                context.dedup.add(result.article_id, fp)
                if result.story_id is not None:
                    context.stories.learn(result.story_id, features)
        if result.created:
            logger.info("seed stored: %s", title, extra={"url": url, "article_id": result.article_id})
        ids.append(result.article_id)
    return ids
