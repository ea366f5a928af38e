"""The seed article(s): the user's input, stored once and flagged, so copies of it never alert.

A seed goes through the same write path as a crawled article (:func:`crawler.ingest.ingest`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.analysis.prepare import Analysis
from crawler.ingest import ingest
from storage.articles import ArticleRecord
from storage.content import content_hash

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
        record = ArticleRecord(
            url=url,
            title=title,
            text=text,
            source_id=None,
            published_at=published,
            published_source="config" if published else "none",
            extraction="seed",
            is_seed=True,
        )
        async with context.store_lock:
            # The seed is on topic by definition and reports nothing new: no event, no alert.
            features = context.stories.features(0, title, text, published or record.fetched_at, None, None)
            features.is_seed = True
            fingerprint = context.dedup.fingerprint(title, text)
            analysis = Analysis(fingerprint, content_hash(title, text), True, 1.0, None, features)
            decisions = await context.writer.submit(context.decide or ingest, context, record, analysis)
        if decisions.created:
            logger.info("seed stored: %s", title, extra={"url": url, "article_id": decisions.article_id})
        ids.append(decisions.article_id)
    return ids
