"""Run crawls of configured sources on Scrapy's asyncio reactor and record their outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.report import ProgressCallback, SourceSummary
    from scheduler.config import Config


def crawl_once(
    config: Config, only: list[str] | None = None, on_progress: ProgressCallback | None = None
) -> list[SourceSummary]:
    """Poll every enabled source (or those named in ``only``) once, through the whole pipeline.

    Blocks until done; installs and runs the asyncio reactor, so call it once per process.
    Returns one summary per source, in config order. Raises ``KeyError`` for an unknown name.
    """
    raise NotImplementedError("being written")
