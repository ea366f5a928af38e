"""``newswatch sources``: the health of every configured source."""

from __future__ import annotations

from typing import Any

from core.times import display_zone
from scheduler.cli.common import (
    ConfigOption,
    FormatOption,
    VerboseOption,
    command,
    load_config,
    read,
    stdout_console,
)
from scheduler.cli.output import STATUS_STYLES, Column, OutputFormat, emit

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
# ``drop``: what goes first in a narrow terminal (the JSON has every field).
SOURCE_COLUMNS = [
    Column("name", "Source", no_wrap=True),
    Column("type", "Type", no_wrap=True, drop=2),
    Column("status", "Status", no_wrap=True, styles=STATUS_STYLES),
    Column("http_status", "HTTP", justify="right", no_wrap=True),
    Column("last_fetch", "Last fetch", no_wrap=True, time=True),
    Column("next_fetch", "Next fetch", no_wrap=True, drop=3, time=True),
    Column("items_last_fetch", "Items", justify="right", no_wrap=True, drop=3),
    Column("articles_24h", "24h", justify="right", no_wrap=True),
    Column("articles_total", "Total", justify="right", no_wrap=True, drop=1),
    Column("median_lag", "Lag", justify="right", no_wrap=True, drop=2),
    Column("consecutive_errors", "Errors", justify="right", no_wrap=True),
    Column("last_error", "Last error", max_width=60),
]


def sources(
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Health of every configured source: last and next fetch, status, new articles, lag, errors.

    Lag is the median time from an article's published time to the moment newswatch first
    saw it, over the last 30 days, for articles that appeared while the source was watched.
    """
    with command(verbose) as stdout:
        from scheduler.database import sync_config_sources
        from storage.rows import source_rows
        from storage.sources import health

        cfg = load_config(config)

        def query(session: Any) -> list[dict[str, Any]]:
            sync_config_sources(session, cfg)
            return source_rows(cfg, health(session))

        rows = read(cfg, query)
        emit(
            rows,
            fmt,
            fields=SOURCE_FIELDS,
            columns=SOURCE_COLUMNS,
            console=stdout_console(stdout),
            stream=stdout,
            empty="No sources configured.",
            zone=display_zone(cfg),
        )
