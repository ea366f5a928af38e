"""Archive rows as the dicts every reader shows: ``--format json``, the HTTP API, the dashboard.

One place builds them so the CLI's JSON and the API's JSON cannot drift apart (DESIGN.md,
"Command-line contract", lists the fields users rely on).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from storage.sources import SourceHealth

if TYPE_CHECKING:
    from collections.abc import Iterable

    from core.config import Config
    from storage.articles import ArticleRow
    from storage.stories import StoryRow


def article_row(article: ArticleRow) -> dict[str, Any]:
    """An article search hit: every field of :class:`storage.articles.ArticleRow`."""
    return dataclasses.asdict(article)


def story_row(story: StoryRow) -> dict[str, Any]:
    """A story with its articles in time order, plus ``article_count``."""
    row = dataclasses.asdict(story)
    row["article_count"] = len(story.articles)
    return row


def source_rows(config: Config, health: Iterable[SourceHealth]) -> list[dict[str, Any]]:
    """Each configured source's health, in config order (how users think of them).

    Adds ``enabled`` and ``interval`` from the config. A configured source the database has
    not seen yet (never synced, never crawled) shows as status ``new`` with zero counts.
    """
    by_name = {h.name: h for h in health}
    rows = []
    for source in config.sources:
        found = by_name.get(source.name) or SourceHealth(
            name=source.name,
            type=source.type,
            url=source.url,
            status="new",
            http_status=None,
            last_fetch=None,
            last_success=None,
            next_fetch=None,
            items_last_fetch=0,
            articles_total=0,
            articles_24h=0,
            consecutive_errors=0,
            last_error=None,
            last_error_at=None,
            last_run_new=0,
            last_run_seen=0,
            last_run_failed=0,
        )
        row = dataclasses.asdict(found)
        row["enabled"] = source.enabled
        row["interval"] = config.source_interval(source)
        rows.append(row)
    return rows
