"""Liveness of the running service: counters and a status file a monitor can read.

The service rewrites ``service.status_file`` (JSON) every ``service.heartbeat`` (not after
every poll: with many sources that would be most of a 304 poll's cost), at start, after a
digest and at stop: a monitor that finds ``updated_at`` older than a few heartbeats knows the
process is stuck or gone, whatever its PID says. Counters only grow (Prometheus-style
``*_total`` names), so a scraper can turn them into rates.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config import VERSION

if TYPE_CHECKING:
    from crawler.report import SourceSummary

logger = logging.getLogger(__name__)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


@dataclass
class ServiceStatus:
    """What the running service has done since it started."""

    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    pid: int = field(default_factory=os.getpid)
    state: str = "starting"  # starting | running | stopping | stopped
    counters: Counter[str] = field(default_factory=Counter)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    digest: dict[str, Any] = field(default_factory=dict)
    api: str | None = None  # the API's URL while it is served

    def crawl_done(self, summary: SourceSummary, *, seconds: float, next_run: datetime | None) -> None:
        """Count one finished poll and remember its outcome for the source."""
        self.counters["crawls_total"] += 1
        if summary.status in ("error", "blocked", "rate_limited"):
            self.counters["crawl_errors_total"] += 1
        self.counters["articles_new_total"] += summary.articles_new
        self.counters["articles_seen_total"] += summary.articles_seen
        self.counters["articles_failed_total"] += summary.articles_failed
        entry = self.sources.setdefault(summary.name, {"crawls": 0})
        entry["crawls"] += 1
        entry.update(
            last_crawl=_iso(datetime.now(UTC)),
            status=summary.status,
            new=summary.articles_new,
            seconds=round(seconds, 3),
            next_run=_iso(next_run),
            error=summary.error,
        )

    def deliveries_done(self, counts: dict[str, int]) -> None:
        """Count one run of the alert outbox."""
        self.counters["deliveries_sent_total"] += counts.get("sent", 0)
        self.counters["deliveries_failed_total"] += counts.get("retrying", 0) + counts.get("failed", 0)

    def snapshot(self, *, next_runs: dict[str, datetime | None] | None = None) -> dict[str, Any]:
        """The JSON document written to the status file."""
        now = datetime.now(UTC)
        sources = {name: dict(entry) for name, entry in self.sources.items()}
        for job_id, when in (next_runs or {}).items():
            if job_id.startswith("crawl:"):
                sources.setdefault(job_id[len("crawl:") :], {"crawls": 0})["next_run"] = _iso(when)
        return {
            "service": "newswatch",
            "version": VERSION,
            "pid": self.pid,
            "state": self.state,
            "started_at": _iso(self.started_at),
            "updated_at": _iso(now),
            "uptime_s": round((now - self.started_at).total_seconds(), 1),
            "api": self.api,
            "counters": dict(sorted(self.counters.items())),
            "digest": {**self.digest, "next_run": _iso((next_runs or {}).get("digest"))},
            "sources": dict(sorted(sources.items())),
        }

    def write(self, path: Path, *, next_runs: dict[str, datetime | None] | None = None) -> None:
        """Replace ``path`` atomically (write a temporary file, then rename), so a reader never sees half."""
        data = json.dumps(self.snapshot(next_runs=next_runs), indent=2, ensure_ascii=False)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".status-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data + "\n")
            os.replace(tmp, path)
        except OSError as exc:
            # A full disk must not stop the crawling; the stale file tells the monitor.
            logger.warning("cannot write the status file %s: %s", path, exc)
