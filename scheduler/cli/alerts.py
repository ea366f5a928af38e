"""``newswatch alerts`` and ``newswatch deliver``: alerts and their deliveries."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from core.bounds import COUNT_MAX
from scheduler.cli.common import (
    ConfigOption,
    EventKind,
    FormatOption,
    VerboseOption,
    WhenOption,
    command,
    deliver_due_now,
    load_config,
    read,
    stdout_console,
)
from scheduler.cli.output import Column, OutputFormat, emit

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
    Column("id", "ID", justify="right", no_wrap=True),
    Column("created_at", "Created (UTC)", no_wrap=True),
    Column("event", "Event", no_wrap=True),
    Column("title", "Title", max_width=70),
    Column("source", "Source", no_wrap=True, drop=1),
    Column("article_count", "Articles", justify="right", no_wrap=True),
    Column("story_id", "Story", justify="right", no_wrap=True, drop=1),
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


def alerts(
    since: WhenOption = None,
    kind: Annotated[EventKind | None, typer.Option(help="Only alerts of this event kind.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=COUNT_MAX, help="At most this many alerts.")] = 100,
    fmt: FormatOption = OutputFormat.table,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Alerts, newest first, with the story's coverage and each channel's delivery state."""
    with command(verbose) as stdout:
        from storage.alerts import list_alerts

        rows = read(
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
            console=stdout_console(stdout),
            stream=stdout,
            empty="No alerts yet.",
        )


def deliver(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Send the alert deliveries that are due now (for cron); failures are retried later.

    Exits 0 when the run happened, even if some channels failed: ``newswatch alerts`` shows which.
    """
    with command(verbose) as stdout:
        counts = deliver_due_now(load_config(config))
        stdout.write(
            f"Deliveries: {counts['sent']} sent, {counts['retrying']} to retry, "
            f"{counts['failed']} failed, {counts['skipped']} taken by another worker.\n"
        )
