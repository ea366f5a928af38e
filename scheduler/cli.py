"""The ``newswatch`` command line (console script, or ``python -m scheduler.cli``).

Contract (see DESIGN.md, "Command-line contract"): every command takes ``--config PATH``;
``--format json`` prints exactly one JSON array on stdout and nothing else there; exit code
0 on success, 2 for a bad configuration or argument (the message names the key or option),
1 for anything else, always with a one-line message on stderr instead of a traceback
(``--verbose`` logs the traceback at DEBUG).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from core.bounds import COUNT_MAX, ID_MAX, ID_MIN
from core.config import VERSION, Config, load_config
from core.errors import ConfigError, NewswatchError, UsageError
from core.logs import setup_logging
from core.timeparse import parse_when
from scheduler.database import display_url, migrate, open_archive, sync_config_sources
from scheduler.output import Column, OutputFormat, emit
from storage.rows import source_rows, story_row

if TYPE_CHECKING:
    from crawler.report import ProgressEvent, SourceSummary

logger = logging.getLogger(__name__)

# Width for tables written to a pipe or file, where rich would otherwise assume 80 columns
# and fold every URL; COLUMNS still wins when set.
PIPE_WIDTH = 200

app = typer.Typer(
    name="newswatch",
    help="Watch the news on one topic: crawl, search the archive, check source health.",
    no_args_is_help=True,
    add_completion=False,
    # Errors are turned into one-line messages and exit codes here, never tracebacks.
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class CrawlFormat(StrEnum):
    """Values of ``crawl --format`` (a crawl summary has no CSV form)."""

    table = "table"
    json = "json"


class EventKind(StrEnum):
    """Values of ``--kind``."""

    talks_outcome = "talks_outcome"
    new_clash = "new_clash"


def _when(value: str | None) -> datetime | None:
    """Click parser for ``--since``/``--until``: ``ValueError`` becomes a usage error naming the option."""
    if value is None:
        return None
    try:
        return parse_when(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file. Default: $NEWSWATCH_CONFIG, else config.yaml.",
        show_default=False,
        dir_okay=False,
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log at DEBUG, tracebacks included.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
WhenOption = Annotated[
    datetime | None,
    typer.Option(
        parser=_when,
        metavar="WHEN",
        help="ISO date or datetime (naive = UTC), or an age such as 2d or 12h.",
    ),
]


# --- plumbing ------------------------------------------------------------------------


def _stdout_console(stdout: TextIO) -> Console:
    width = None if stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(file=stdout, width=width)


def _stderr_console() -> Console:
    return Console(file=sys.stderr, highlight=False)


def _one_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def _fail(message: str, code: int) -> typer.Exit:
    text = Text("Error: ", style="bold red")
    text.append(message)
    _stderr_console().print(text, soft_wrap=True)
    return typer.Exit(code)


def _read(cfg: Config, query: Callable[[Any], Any]) -> Any:
    """Migrate, then run ``query(session)`` in one transaction and release the connections."""
    from storage.db import transaction

    engine, sessions = open_archive(cfg)
    try:
        with transaction(sessions) as session:
            return query(session)
    finally:
        engine.dispose()


def _deliver_due(cfg: Config) -> dict[str, int]:
    """Send the deliveries due now (notify.deliver.deliver_due) and release the connections."""
    from notify.deliver import deliver_due

    engine, sessions = open_archive(cfg)
    try:
        return deliver_due(cfg, sessions)
    finally:
        engine.dispose()


@contextlib.contextmanager
def _command(verbose: bool) -> Iterator[TextIO]:
    """Run a command body: logging set up, stray prints kept off stdout, errors as exit codes.

    Yields the real stdout; while the body runs ``sys.stdout`` points at stderr, so nothing a
    dependency prints can corrupt ``--format json`` output.
    """
    setup_logging(verbose)
    stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield stdout
    except (typer.Exit, typer.Abort):
        raise
    except (ConfigError, UsageError) as exc:
        raise _fail(str(exc), 2) from None
    except KeyboardInterrupt:
        raise _fail("interrupted", 130) from None
    except NewswatchError as exc:
        logger.debug("traceback", exc_info=True)
        raise _fail(_one_line(str(exc)), 1) from None
    except Exception as exc:
        logger.debug("traceback", exc_info=True)
        detail = _one_line(str(exc))
        message = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        if not verbose:
            message += " (run with --verbose for details)"
        raise _fail(message, 1) from None


# --- commands ------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newswatch {VERSION}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Watch the news on one topic: crawl, search the archive, check source health."""


ARTICLE_FIELDS = [
    "id",
    "url",
    "title",
    "source",
    "published",
    "fetched",
    "language",
    "relevant",
    "duplicate_of",
    "duplicate_score",
    "duplicate_method",
    "is_seed",
    "story_id",
    "event_kind",
    "snippet",
    "rank",
]
ARTICLE_COLUMNS = [
    Column("id", "ID", justify="right"),
    Column("published", "Published (UTC)", no_wrap=True),
    Column("source", "Source"),
    Column("language", "Lang"),
    Column("title", "Title", max_width=90),
    Column("event_kind", "Event"),
    Column("story_id", "Story", justify="right"),
    Column("url", "URL"),
]
# With a query, the table shows where the words matched instead of the event and story.
MATCH_COLUMNS = [
    Column("id", "ID", justify="right"),
    Column("published", "Published (UTC)", no_wrap=True),
    Column("source", "Source"),
    Column("language", "Lang"),
    Column("title", "Title", max_width=60),
    Column("snippet", "Match", max_width=90),
    Column("url", "URL"),
]


class SearchOrder(StrEnum):
    """Values of ``search --order``."""

    newest = "newest"
    relevance = "relevance"


@app.command()
def search(
    query: Annotated[
        str | None,
        typer.Argument(
            help='Words that must all appear in title or text; "a phrase", prefix*, this OR that, -excluded. '
            "Omit to list everything."
        ),
    ] = None,
    since: WhenOption = None,
    until: WhenOption = None,
    source: Annotated[str | None, typer.Option(help="Only articles first found through this source.")] = None,
    language: Annotated[str | None, typer.Option(help="Only articles in this language (ISO code).")] = None,
    kind: Annotated[EventKind | None, typer.Option(help="Only articles of stories with this event.")] = None,
    story: Annotated[
        int | None, typer.Option(min=ID_MIN, max=ID_MAX, metavar="ID", help="Only articles of this story.")
    ] = None,
    include_irrelevant: Annotated[
        bool, typer.Option("--include-irrelevant", help="Also show articles judged off-topic.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=COUNT_MAX, help="At most this many articles.")] = 50,
    offset: Annotated[int, typer.Option(min=0, max=COUNT_MAX, help="Skip this many articles first (next pages).")] = 0,
    order: Annotated[
        SearchOrder,
        typer.Option(
            case_sensitive=False,
            help="newest first, or best match first among the 500 newest matches (needs a query).",
        ),
    ] = SearchOrder.newest,
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Search the archive: full text, newest first or by relevance."""
    from storage.articles import SearchFilters
    from storage.articles import search as search_articles
    from storage.query import QueryError, parse_query

    with _command(verbose) as stdout:
        if since and until and since >= until:
            raise UsageError("--since must be earlier than --until")
        try:
            # Read the query before opening the database: a typo is exit 2, with no side effects.
            parse_query(query)
        except QueryError as exc:
            raise UsageError(f"invalid query {query!r}: {exc}") from None
        filters = SearchFilters(
            query=query,
            since=since,
            until=until,
            source=source,
            language=language,
            kind=kind.value if kind else None,
            story_id=story,
            include_irrelevant=include_irrelevant,
            limit=limit,
            offset=offset,
            order=order.value,
        )
        rows = _read(
            load_config(config), lambda session: [dataclasses.asdict(r) for r in search_articles(session, filters)]
        )
        emit(
            rows,
            fmt,
            fields=ARTICLE_FIELDS,
            columns=MATCH_COLUMNS if query and query.strip() else ARTICLE_COLUMNS,
            console=_stdout_console(stdout),
            stream=stdout,
            empty="No articles match.",
        )


STORY_FIELDS = [
    "id",
    "title",
    "first_seen",
    "updated",
    "event_kind",
    "event_subtype",
    "article_count",
    "outlets",
    "languages",
    "articles",
]
STORY_COLUMNS = [
    Column("id", "ID", justify="right"),
    Column("first_seen", "First seen (UTC)", no_wrap=True),
    Column("title", "Story", max_width=70),
    Column("article_count", "Articles", justify="right"),
    Column("outlets", "Outlets", max_width=40),
    Column("languages", "Lang"),
    Column("event_kind", "Event"),
]


@app.command()
def stories(
    since: WhenOption = None,
    story: Annotated[int | None, typer.Option(min=ID_MIN, max=ID_MAX, metavar="ID", help="Only this story.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=COUNT_MAX, help="At most this many stories.")] = 50,
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Story clusters, newest first, with their articles, outlets and first-seen time."""
    from storage.stories import list_stories

    with _command(verbose) as stdout:
        rows = _read(
            load_config(config),
            lambda session: [story_row(s) for s in list_stories(session, limit=limit, since=since, story_id=story)],
        )
        if fmt is OutputFormat.csv:
            # One line per story in a spreadsheet: the article list as a count and URLs.
            for row in rows:
                row["articles"] = " ".join(a["url"] for a in row["articles"])
        for row in rows:
            if fmt is not OutputFormat.json:
                row["outlets"] = ", ".join(row["outlets"])
                row["languages"] = ", ".join(row["languages"])
        emit(
            rows,
            fmt,
            fields=STORY_FIELDS,
            columns=STORY_COLUMNS,
            console=_stdout_console(stdout),
            stream=stdout,
            empty="No stories yet.",
        )


ALERT_FIELDS = [
    "id",
    "kind",
    "subtype",
    "story_id",
    "title",
    "url",
    "source",
    "published",
    "created_at",
    "articles",
    "outlets",
    "evidence",
    "fields",
    "detection_lag_s",
    "deliveries",
]
ALERT_COLUMNS = [
    Column("id", "ID", justify="right"),
    Column("created_at", "Created (UTC)", no_wrap=True),
    Column("event", "Event", no_wrap=True),
    Column("title", "Title", max_width=70),
    Column("source", "Source"),
    Column("article_count", "Articles", justify="right"),
    Column("story_id", "Story", justify="right"),
    Column("delivery", "Delivery", max_width=60),
]


def _delivery_summary(deliveries: list[dict[str, Any]]) -> str:
    """``email: sent, webhook: failed (3)``: each channel's state, with attempts when not sent."""
    parts = []
    for d in deliveries:
        state = d["status"]
        if state != "sent" and d["attempts"]:
            state += f" ({d['attempts']})"
        parts.append(f"{d['channel']}: {state}")
    return ", ".join(parts)


@app.command()
def alerts(
    since: WhenOption = None,
    kind: Annotated[EventKind | None, typer.Option(help="Only alerts of this event kind.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=COUNT_MAX, help="At most this many alerts.")] = 100,
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Alerts, newest first, with the story's coverage and each channel's delivery state."""
    from storage.alerts import list_alerts

    with _command(verbose) as stdout:
        rows = _read(
            load_config(config),
            lambda session: list_alerts(session, since=since, kind=kind.value if kind else None, limit=limit),
        )
        if fmt is OutputFormat.csv:
            # One line per alert in a spreadsheet; the event fields stay JSON.
            for row in rows:
                row["articles"] = " ".join(row["articles"])
                row["outlets"] = ", ".join(row["outlets"])
                row["deliveries"] = _delivery_summary(row["deliveries"])
        elif fmt is OutputFormat.table:
            for row in rows:
                row["event"] = f"{row['kind']}/{row['subtype']}" if row["subtype"] else row["kind"]
                row["article_count"] = len(row["articles"])
                row["delivery"] = _delivery_summary(row["deliveries"]) or None
        emit(
            rows,
            fmt,
            fields=ALERT_FIELDS,
            columns=ALERT_COLUMNS,
            console=_stdout_console(stdout),
            stream=stdout,
            empty="No alerts yet.",
        )


@app.command()
def deliver(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Send the alert deliveries that are due now (for cron); failures are retried later.

    Exits 0 when the run happened, even if some channels failed: ``newswatch alerts`` shows which.
    """
    with _command(verbose) as stdout:
        counts = _deliver_due(load_config(config))
        stdout.write(
            f"Deliveries: {counts['sent']} sent, {counts['retrying']} to retry, "
            f"{counts['failed']} failed, {counts['skipped']} taken by another worker.\n"
        )


SOURCE_FIELDS = [
    "name",
    "type",
    "url",
    "enabled",
    "interval",
    "status",
    "http_status",
    "last_fetch",
    "last_success",
    "next_fetch",
    "items_last_fetch",
    "articles_total",
    "articles_24h",
    "consecutive_errors",
    "last_error",
    "last_error_at",
    "last_run_new",
    "last_run_seen",
    "last_run_failed",
    "median_lag",
    "lag_samples",
]
SOURCE_COLUMNS = [
    Column("name", "Source", no_wrap=True),
    Column("type", "Type"),
    Column("status", "Status"),
    Column("http_status", "HTTP", justify="right"),
    Column("last_fetch", "Last fetch (UTC)", no_wrap=True),
    Column("next_fetch", "Next fetch (UTC)", no_wrap=True),
    Column("items_last_fetch", "Items", justify="right"),
    Column("articles_24h", "24h", justify="right"),
    Column("articles_total", "Total", justify="right"),
    Column("median_lag", "Lag", justify="right"),
    Column("consecutive_errors", "Errors", justify="right"),
    Column("last_error", "Last error", max_width=60),
]


@app.command()
def sources(
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Health of every configured source: last and next fetch, status, new articles, lag, errors.

    Lag is the median time from an article's published time to the moment newswatch first
    saw it, over the last 30 days, for articles that appeared while the source was watched.
    """
    from storage.sources import health

    with _command(verbose) as stdout:
        cfg = load_config(config)

        def query(session: Any) -> list[dict[str, Any]]:
            sync_config_sources(session, cfg)
            return source_rows(cfg, health(session))

        rows = _read(cfg, query)
        emit(
            rows,
            fmt,
            fields=SOURCE_FIELDS,
            columns=SOURCE_COLUMNS,
            console=_stdout_console(stdout),
            stream=stdout,
            empty="No sources configured.",
        )


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
    Column("status", "Status"),
    Column("http_status", "HTTP", justify="right"),
    Column("items_found", "Items", justify="right"),
    Column("articles_new", "New", justify="right"),
    Column("articles_seen", "Seen", justify="right"),
    Column("articles_failed", "Failed", justify="right"),
    Column("articles_skipped", "Skipped", justify="right"),
    Column("error", "Error", max_width=60),
]


class _CrawlProgress:
    """A rich progress display for ``crawl`` on stderr: sources done, articles new/seen/failed."""

    def __init__(self, console: Console, total: int) -> None:
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


@contextlib.contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[ProgressEvent], None] | None]:
    if not enabled:
        yield None
        return
    display = _CrawlProgress(_stderr_console(), total)
    with display.progress:
        yield display


@app.command()
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
    with _command(verbose) as stdout:
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
            migrate(cfg)
            from crawler.runner import crawl_once

            show_progress = fmt is OutputFormat.table and sys.stderr.isatty()
            with _progress(show_progress, len(targets)) as on_progress:
                summaries = crawl_once(cfg, only=names or None, on_progress=on_progress)
            # The alerts this crawl raised (and any left pending by an earlier run) go out
            # now; a channel that fails is retried by the next crawl, `deliver` or `run`.
            # deliver_due logs what it did.
            _deliver_due(cfg)
        rows = [s.as_dict() for s in summaries]
        console = _stdout_console(stdout)
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


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _crawl_totals(summaries: list[SourceSummary]) -> Text:
    failed_sources = sum(1 for s in summaries if s.status not in ("ok", "not_modified", "empty"))
    text = Text(
        f"{_count(len(summaries), 'source')}: {_count(sum(s.articles_new for s in summaries), 'new article')}, "
        f"{sum(s.articles_seen for s in summaries)} already stored, "
        f"{sum(s.articles_failed for s in summaries)} failed"
    )
    if failed_sources:
        text.append(f"; {_count(failed_sources, 'source')} with problems", style="yellow")
    return text


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Apply database migrations up to the newest revision."""
    from storage.db import current_revision, make_engine

    with _command(verbose) as stdout:
        cfg = load_config(config)
        url = migrate(cfg)
        engine = make_engine(url)
        try:
            revision = current_revision(engine)
        finally:
            engine.dispose()
        stdout.write(f"Database {display_url(url)} is at revision {revision}.\n")


class DigestPeriod(StrEnum):
    """Values of ``digest --period``."""

    daily = "daily"
    weekly = "weekly"


@app.command()
def digest(
    period: Annotated[DigestPeriod, typer.Option(help="The period up to now that the digest covers.")] = (
        DigestPeriod.daily
    ),
    send: Annotated[bool, typer.Option("--send", help="Send it to digest.to now.")] = False,
    print_: Annotated[
        bool, typer.Option("--print", help="Print the plain-text digest to stdout (the default).")
    ] = False,
    html: Annotated[bool, typer.Option("--html", help="With --print: print the HTML part instead.")] = False,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Build a digest of the last day or week now: print it, or send it (not in place of a scheduled one)."""
    from scheduler import digests
    from storage.db import utcnow

    with _command(verbose) as stdout:
        if send and (print_ or html):
            raise UsageError("--send and --print/--html are exclusive: send it, or print it")
        cfg = load_config(config)
        length = digests.PERIODS[period.value]
        engine, sessions = open_archive(cfg)
        try:
            if send:
                outcome = digests.send_now(cfg, sessions, length)
                if outcome.status == "failed":
                    raise NewswatchError(f"digest not sent: {outcome.error}")
                verb = "skipped (nothing new, digest.skip_empty)" if outcome.status == "skipped" else "sent"
                stdout.write(f"Digest {verb}: {outcome.stories} stories, to {', '.join(cfg.digest.to)}.\n")
            else:
                end = utcnow()
                rendered = digests.render_period(sessions, cfg, end - length, end)
                stdout.write(rendered.html if html else f"Subject: {rendered.subject}\n\n{rendered.text}")
        finally:
            engine.dispose()


@app.command()
def run(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """The long-running service: every source crawled on its own interval until SIGINT/SIGTERM."""
    with _command(verbose):
        cfg: Config = load_config(config)
        migrate(cfg)
        from scheduler.service import run_service

        run_service(cfg)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on. Default: api.host.")] = None,
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port). Default: api.port.")
    ] = None,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Serve the HTTP API, the Atom feed of alerts and the dashboard (read-only) until Ctrl-C.

    Beyond loopback the API needs a token: the environment variable named by api.token_env.
    """
    with _command(verbose):
        cfg = load_config(config)
        migrate(cfg)
        from web.server import serve as serve_api

        serve_api(cfg, host=host, port=port)


def main() -> None:
    """Entry point of the ``newswatch`` console script."""
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        # JSON and CSV are UTF-8 whatever the locale; Urdu titles must not crash a pipe.
        sys.stdout.reconfigure(encoding="utf-8")
    app(prog_name="newswatch")


if __name__ == "__main__":
    main()
