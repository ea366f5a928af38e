"""``newswatch alerts`` and ``newswatch deliver``: alerts and their deliveries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from core.bounds import COUNT_MAX
from core.times import brief, display_zone
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
from scheduler.cli.output import Column, OutputFormat, Seen, emit

if TYPE_CHECKING:
    from datetime import tzinfo

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
    "merged_into",
    "articles",
    "outlets",
    "copies",
    "coverage",
    "first_report",
    "evidence",
    "fields",
    "detection_lag_s",
    "deliveries",
    "updates",
    "updated_at",
]
ALERT_COLUMNS = [
    Column("id", "ID", justify="right", no_wrap=True),
    Column("when", "Published", no_wrap=True, time=True),
    Column("event", "Event", no_wrap=True),
    Column("title", "Title", max_width=70),
    Column("first_source", "First reported by", no_wrap=True, drop=1),
    Column("article_count", "Articles", justify="right", no_wrap=True),
    Column("story_id", "Story", justify="right", no_wrap=True, drop=1),
    Column("updated", "Updated", no_wrap=True),
    Column("delivery", "Delivery", max_width=60),
]


def _delivery_summary(deliveries: list[dict[str, Any]]) -> str:
    """``email: sent, webhook: failed (3)``: each channel's state, with attempts when not sent."""
    parts = []
    for d in deliveries:
        state = d["status"]
        if state != "sent" and d["attempts"]:
            state += f" ({d['attempts']})"
        channel = d["channel"] if d.get("update_id") is None else f"{d['channel']} (update {d['update_id']})"
        parts.append(f"{channel}: {state}")
    return ", ".join(parts)


def _updated(updates: list[dict[str, Any]], zone: tzinfo) -> str | None:
    """``2×, 3 h ago, 7 Dec 02:35``: how often a later report changed the alert, and when last
    (in the display zone, like the table's other times)."""
    if not updates:
        return None
    return f"{len(updates)}×, {brief(updates[-1]['created_at'], datetime.now(UTC), zone)}"


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
        from storage.labels import event_label

        cfg = load_config(config)
        rows = read(
            cfg,
            lambda session: list_alerts(session, since=since, kind=kind.value if kind else None, limit=limit),
        )
        if fmt is OutputFormat.csv:
            # One line per alert in a spreadsheet; the event fields stay JSON.
            for row in rows:
                row["articles"] = " ".join(row["articles"])
                row["outlets"] = ", ".join(row["outlets"])
                row["deliveries"] = _delivery_summary(row["deliveries"])
                row["updates"] = " | ".join(u["text"] for u in row["updates"])
        elif fmt is OutputFormat.table:
            for row in rows:
                row["event"] = event_label(row["kind"], row["subtype"])
                # Independent reports, then the syndicated copies (storage.coverage).
                copies = row["copies"]
                row["article_count"] = f"{len(row['articles']) - copies}" + (f" +{copies} cop." if copies else "")
                row["first_source"] = (row["first_report"] or {}).get("source") or row["source"]
                # The report's own time first, as on the dashboard; else when the alert was raised.
                row["when"] = row["published"] or Seen(row["created_at"])
                row["delivery"] = _delivery_summary(row["deliveries"]) or None
                row["updated"] = _updated(row["updates"], display_zone(cfg))
                if row["merged_into"] is not None:
                    # Found to tell an earlier alert's event: an update of that one now.
                    row["updated"] = f"merged into #{row['merged_into']}"
        emit(
            rows,
            fmt,
            fields=ALERT_FIELDS,
            columns=ALERT_COLUMNS,
            console=stdout_console(stdout),
            stream=stdout,
            empty="No alerts yet.",
            zone=display_zone(cfg),
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
