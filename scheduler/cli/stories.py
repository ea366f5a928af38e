"""``newswatch stories``: story clusters with their articles."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from core.bounds import COUNT_MAX, ID_MAX, ID_MIN
from core.times import display_zone
from scheduler.cli.common import (
    ConfigOption,
    FormatOption,
    VerboseOption,
    WhenOption,
    command,
    load_config,
    read,
    require_story,
    stdout_console,
)
from scheduler.cli.output import Column, OutputFormat, Seen, emit

STORY_FIELDS = [
    "id",
    "title",
    "first_seen",
    "updated",
    "event_kind",
    "event_subtype",
    "article_count",
    "copies",
    "outlets",
    "languages",
    "articles",
]
STORY_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("when", "Published", no_wrap=True, time=True),
    Column("title", "Story", max_width=70),
    Column("article_count", "Articles", justify="right", no_wrap=True),
    Column("outlets", "Outlets", max_width=40),
    Column("languages", "Lang", no_wrap=True, drop=1),
    Column("event_kind", "Event", no_wrap=True, drop=1),
]


def stories(
    since: WhenOption = None,
    story: Annotated[int | None, typer.Option(min=ID_MIN, max=ID_MAX, metavar="ID", help="Only this story.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=COUNT_MAX, help="At most this many stories.")] = 50,
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Story clusters, newest first, with their articles, outlets and first-seen time."""
    with command(verbose) as stdout:
        from storage.labels import plural
        from storage.rows import story_row
        from storage.stories import list_stories

        def query(session: Any) -> list[dict[str, Any]]:
            require_story(session, story)
            return [story_row(s) for s in list_stories(session, limit=limit, since=since, story_id=story)]

        cfg = load_config(config)
        rows = read(cfg, query)
        if fmt is OutputFormat.csv:
            # One line per story in a spreadsheet: the article list as a count and URLs.
            for row in rows:
                row["articles"] = " ".join(a["url"] for a in row["articles"])
        for row in rows:
            if fmt is OutputFormat.table:
                # The first report's own time, as on the dashboard; else when the story was first seen.
                published = [a["published"] for a in row["articles"] if a["published"] is not None]
                row["when"] = min(published) if published else Seen(row["first_seen"])
            if fmt is not OutputFormat.json:
                copies = f" (+{plural(row['copies'], 'copy', 'copies')})" if row["copies"] else ""
                row["outlets"] = ", ".join(row["outlets"]) + copies
                row["languages"] = ", ".join(row["languages"])
        emit(
            rows,
            fmt,
            fields=STORY_FIELDS,
            columns=STORY_COLUMNS,
            console=stdout_console(stdout),
            stream=stdout,
            empty="No stories yet.",
            zone=display_zone(cfg),
        )
