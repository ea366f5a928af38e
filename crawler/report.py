"""What a crawl reports back to its caller: per-source summaries and progress events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import datetime

ProgressKind = Literal["source_started", "source_done", "article_new", "article_seen", "article_failed"]


@dataclass(frozen=True)
class ProgressEvent:
    """One step of a crawl, for a progress display."""

    kind: ProgressKind
    source: str
    url: str | None = None
    detail: str | None = None


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass
class SourceSummary:
    """How one poll of one source went."""

    name: str
    status: str = "running"  # ok | not_modified | empty | error | rate_limited | blocked
    http_status: int | None = None
    items_found: int = 0
    articles_new: int = 0
    articles_seen: int = 0
    articles_failed: int = 0
    # Items left out on purpose: listed twice, older than crawl.max_article_age, or over the
    # per-poll cap. Of a feed: items_found = new + seen + failed + skipped.
    articles_skipped: int = 0
    near_duplicates: int = 0
    alerts: int = 0
    error: str | None = None
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    # When the caller's planner scheduled the next poll (the service; None for one-shot crawls).
    next_poll: datetime | None = None
    started_at: datetime | None = None
    # The crawl run row, opened when the poll is about to fetch its first article (so that a
    # process killed while fetching leaves a run the next start closes as interrupted); a
    # poll that fetches none is recorded whole afterwards.
    run_id: int | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form (for ``newswatch crawl --format json``)."""
        return {
            "source": self.name,
            "status": self.status,
            "http_status": self.http_status,
            "items_found": self.items_found,
            "articles_new": self.articles_new,
            "articles_seen": self.articles_seen,
            "articles_failed": self.articles_failed,
            "articles_skipped": self.articles_skipped,
            "near_duplicates": self.near_duplicates,
            "alerts": self.alerts,
            "error": self.error,
        }


@dataclass
class SharedClaims:
    """Article URLs claimed by a source in one crawl, so two sources never fetch one page.

    A source that finds a URL another source already claimed records a sighting of it
    once the crawl is over (when the page has been stored).
    """

    claimed: dict[str, str] = field(default_factory=dict)  # url -> source name
    deferred: dict[int, set[str]] = field(default_factory=dict)  # source id -> urls

    def claim(self, url: str, source_name: str, source_id: int) -> bool:
        """True when ``source_name`` may fetch ``url``; else remember a deferred sighting."""
        owner = self.claimed.setdefault(url, source_name)
        if owner == source_name:
            return True
        self.deferred.setdefault(source_id, set()).add(url)
        return False
