"""``newswatch search``: full-text search of the archive."""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from typing import Annotated, Any

import typer

from core.bounds import COUNT_MAX, ID_MAX, ID_MIN
from core.errors import UsageError
from core.times import display_zone
from scheduler.cli.common import (
    ConfigOption,
    EventKind,
    FormatOption,
    VerboseOption,
    WhenOption,
    command,
    load_config,
    read_core,
    require_story,
    stdout_console,
)
from scheduler.cli.output import Column, OutputFormat, Seen, emit

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
    Column("id", "ID", justify="right", no_wrap=True),
    Column("when", "Published", no_wrap=True, time=True),
    Column("source", "Source", no_wrap=True, drop=1),
    Column("language", "Lang", no_wrap=True, drop=2),
    Column("title", "Title", max_width=90),
    Column("event_kind", "Event", no_wrap=True, drop=2),
    Column("story_id", "Story", justify="right", no_wrap=True, drop=1),
    Column("url", "URL", link=True),
]
# With a query, the table shows where the words matched instead of the event and story.
MATCH_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("when", "Published", no_wrap=True, time=True),
    Column("source", "Source", no_wrap=True, drop=1),
    Column("language", "Lang", no_wrap=True, drop=2),
    Column("title", "Title", max_width=60),
    Column("snippet", "Match", max_width=90),
    Column("url", "URL", link=True),
]


class SearchOrder(StrEnum):
    """Values of ``search --order``."""

    newest = "newest"
    relevance = "relevance"


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
    with command(verbose) as stdout:
        from storage.search import SearchFilters
        from storage.search import search as search_articles
        from storage.search.query import QueryError, parse_query

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

        def query_rows(connection: Any) -> list[dict[str, Any]]:
            require_story(connection, story)
            return [dataclasses.asdict(r) for r in search_articles(connection, filters)]

        cfg = load_config(config)
        # On a Core connection: the ORM is not imported (storage.schema says why).
        rows = read_core(cfg, query_rows)
        if fmt is OutputFormat.table:
            for row in rows:
                row["when"] = row["published"] or Seen(row["fetched"])
        emit(
            rows,
            fmt,
            fields=ARTICLE_FIELDS,
            columns=MATCH_COLUMNS if query and query.strip() else ARTICLE_COLUMNS,
            console=stdout_console(stdout),
            stream=stdout,
            empty="No articles match.",
            zone=display_zone(cfg),
        )
