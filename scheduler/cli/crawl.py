"""``newswatch crawl``: poll the sources once, with a progress display and a summary."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from core.errors import UsageError
from core.gc_freeze import collect_after_start_up
from scheduler.cli.common import (
    ConfigOption,
    VerboseOption,
    command,
    deliver_due_now,
    load_config,
    stderr_console,
    stdout_console,
)
from scheduler.cli.output import STATUS_STYLES, Column, OutputFormat, emit

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from core.config import Config
    from crawler.report import ProgressEvent, SourceSummary


# One logger name for the whole CLI, as before it was split into modules (log lines show it).
logger = logging.getLogger("scheduler.cli")


class CrawlFormat(StrEnum):
    """Values of ``crawl --format`` (a crawl summary has no CSV form)."""

    table = "table"
    json = "json"


CRAWL_FIELDS = [
    "source",
    "status",
    "http_status",
    "items_found",
    "articles_new",
    "articles_seen",
    "articles_failed",
    "articles_skipped",
    "error",
]
CRAWL_COLUMNS = [
    Column("source", "Source", no_wrap=True),
    Column("status", "Status", no_wrap=True, styles=STATUS_STYLES),
    Column("http_status", "HTTP", justify="right", no_wrap=True),
    Column("items_found", "Items", justify="right", no_wrap=True),
    Column("articles_new", "New", justify="right", no_wrap=True),
    Column("articles_seen", "Seen", justify="right", no_wrap=True),
    Column("articles_failed", "Failed", justify="right", no_wrap=True),
    Column("articles_skipped", "Skipped", justify="right", no_wrap=True, drop=1),
    Column("error", "Error", max_width=60),
]


class _CrawlProgress:
    """A rich progress display for ``crawl`` on stderr: sources done, articles new/seen/failed."""

    def __init__(self, console: Console, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("[bold]crawl"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("sources · new {task.fields[new]} · seen {task.fields[seen]} · failed {task.fields[failed]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[active]}", style="dim"),
            console=console,
            transient=True,
            redirect_stdout=False,
        )
        self.task = self.progress.add_task("crawl", total=total, new=0, seen=0, failed=0, active="")
        self.counts = {"article_new": 0, "article_seen": 0, "article_failed": 0}
        self.active: list[str] = []

    def __call__(self, event: ProgressEvent) -> None:
        """Update the display from one crawl progress event."""
        if event.kind in self.counts:
            self.counts[event.kind] += 1
        elif event.kind == "source_started" and event.source not in self.active:
            self.active.append(event.source)
        elif event.kind == "source_done":
            if event.source in self.active:
                self.active.remove(event.source)
            self.progress.advance(self.task)
        self.progress.update(
            self.task,
            new=self.counts["article_new"],
            seen=self.counts["article_seen"],
            failed=self.counts["article_failed"],
            active=", ".join(self.active[:3]) + (" …" if len(self.active) > 3 else ""),
        )


class _ProgressLines:
    """Progress for ``crawl`` when stderr is not a terminal: one line per finished source.

    A redrawn bar would fill a log file or a CI log with control codes; a line per source
    still shows how far the crawl is.
    """

    def __init__(self, stream: TextIO, total: int) -> None:
        self.stream = stream
        self.total = total
        self.done = 0
        self.counts: dict[str, dict[str, int]] = {}

    def __call__(self, event: ProgressEvent) -> None:
        """Count one crawl progress event; print a line when a source is done."""
        counts = self.counts.setdefault(event.source, {"article_new": 0, "article_seen": 0, "article_failed": 0})
        if event.kind in counts:
            counts[event.kind] += 1
        elif event.kind == "source_done":
            self.done += 1
            print(
                f"crawl [{self.done}/{self.total}] {event.source}: {event.detail or 'done'}, "
                f"{counts['article_new']} new, {counts['article_seen']} seen, {counts['article_failed']} failed",
                file=self.stream,
                flush=True,
            )


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[ProgressEvent], None] | None]:
    if not enabled:
        yield None
        return
    if not sys.stderr.isatty():
        yield _ProgressLines(sys.stderr, total)
        return
    display = _CrawlProgress(stderr_console(), total)
    with display.progress:
        yield display


def crawl(
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", metavar="NAME", help="Crawl only this source (repeatable)."),
    ] = None,
    output: Annotated[CrawlFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)] = (
        CrawlFormat.table
    ),
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Poll every enabled source (or the named ones) once, through the whole pipeline.

    Exits 0 when the crawl ran, even if some sources failed: the summary says which.
    """
    # Quiet: the progress display and the summary are the output; --verbose adds the log
    # lines (one per stored article, every retry).
    with command(verbose, quiet=True) as stdout:
        fmt = OutputFormat(output.value)
        cfg = load_config(config)
        names = list(dict.fromkeys(source or []))
        configured = [s.name for s in cfg.sources]
        unknown = [name for name in names if name not in configured]
        if unknown:
            raise UsageError(
                f"--source: unknown source {', '.join(map(repr, unknown))}; "
                f"configured: {', '.join(configured) or '(none)'}"
            )
        targets = names or [s.name for s in cfg.sources if s.enabled]
        summaries: list[SourceSummary] = []
        if not targets:
            logger.warning("no enabled sources in the config; nothing to crawl")
        else:
            summaries = _crawl(cfg, names, len(targets), fmt)
            # The alerts this crawl raised (and any left pending by an earlier run) go out
            # now; a channel that fails is retried by the next crawl, `deliver` or `run`.
            # deliver_due logs what it did.
            deliver_due_now(cfg)
        rows = [s.as_dict() for s in summaries]
        console = stdout_console(stdout)
        emit(
            rows,
            fmt,
            fields=CRAWL_FIELDS,
            columns=CRAWL_COLUMNS,
            console=console,
            stream=stdout,
            title="Crawl summary",
            empty="Nothing crawled.",
        )
        if fmt is OutputFormat.table and rows:
            console.print(_crawl_totals(summaries))


def _crawl(cfg: Config, names: list[str], total: int, fmt: OutputFormat) -> list[SourceSummary]:
    """Start the crawl machinery and crawl ``names`` (every enabled source if empty), ``total`` in all."""
    # No garbage collection until the crawl is set up: its imports and set-up only build
    # objects that live as long as the process (core.gc_freeze).
    with collect_after_start_up() as start_up_done:
        if cfg.crawl.extract_workers != 0:
            # Before the imports below: the workers' fork server warms up on the other
            # core while this process imports Scrapy and SQLAlchemy (crawler.forkserver).
            from crawler.forkserver import start_early

            # The `newswatch` script's workers run it again: its imports are the fork server's.
            start_early(entry_module="scheduler.cli")
        # Lazy on purpose: SQLAlchemy, Scrapy and Twisted load only when there is something to crawl.
        from crawler.runner import crawl_once
        from scheduler.database import migrate

        migrate(cfg)
        start_up_done()

        # JSON is for scripts: no progress at all. A table gets a redrawn bar on a
        # terminal, a line per finished source otherwise.
        show_progress = fmt is OutputFormat.table
        with _progress(show_progress, total) as on_progress:
            return crawl_once(cfg, only=names or None, on_progress=on_progress)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _crawl_totals(summaries: list[SourceSummary]) -> Text:
    from rich.text import Text

    failed_sources = sum(1 for s in summaries if s.status not in ("ok", "not_modified", "empty"))
    text = Text(
        f"{_count(len(summaries), 'source')}: {_count(sum(s.articles_new for s in summaries), 'new article')}, "
        f"{sum(s.articles_seen for s in summaries)} already stored, "
        f"{sum(s.articles_failed for s in summaries)} failed"
    )
    if failed_sources:
        text.append(f"; {_count(failed_sources, 'source')} with problems", style="yellow")
    return text
