"""Command output: the same rows as a rich table, one JSON array, or CSV with a header.

Rows are plain dicts (built from storage dataclasses). JSON and CSV carry every field;
tables show the columns a person scans, with long values truncated (tables only), laid out
for the terminal's width: short columns (numbers, statuses, times) are never broken, the
text columns share what is left, and the least useful columns go first when even that
does not fit. On a terminal, statuses are coloured and URLs are hyperlinks.
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import json
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any, Literal, TextIO

from rich.style import Style
from rich.table import Table
from rich.text import Text

from core.jsonable import jsonable
from core.times import brief, zone_name

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from rich.console import Console


class OutputFormat(enum.StrEnum):
    """Values of ``--format``."""

    table = "table"
    json = "json"
    csv = "csv"


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of a table: which row key, its header, and how to show it."""

    key: str
    header: str
    max_width: int | None = None
    justify: Literal["left", "right", "center"] = "left"
    # A short value (number, status, time, name): shown whole on one line, never squeezed.
    # The other columns wrap at spaces and share the width the short ones leave.
    no_wrap: bool = False
    # When the terminal is too narrow, columns with the highest ``drop`` go first; 0 stays.
    drop: int = 0
    # Value -> rich style (statuses); only a terminal shows it.
    styles: dict[str, str] | None = None
    # The value is a URL: printed whole (folded, never cut) and, on a terminal, a hyperlink.
    link: bool = False
    # The value is a time: shown relative and in the display zone, whose name the header gets.
    time: bool = False


@dataclasses.dataclass(frozen=True)
class Seen:
    """A table cell's time that is when newswatch stored something, standing in for an unknown
    published time: shown as ``seen 2 h ago, …`` so it is not taken for the outlet's time."""

    at: datetime


@dataclasses.dataclass(frozen=True)
class Clock:
    """How a table shows times: in ``zone`` (``display.timezone``), relative to ``now``.

    One ``now`` per table, so every row is measured against the same instant.
    """

    zone: tzinfo = UTC
    now: datetime = dataclasses.field(default_factory=lambda: datetime.now(UTC))


# Colours of source and crawl statuses, as on the dashboard.
STATUS_STYLES: dict[str, str] = {
    "ok": "green",
    "not_modified": "green",
    "empty": "yellow",
    "new": "cyan",
    "running": "cyan",
    "rate_limited": "yellow",
    "interrupted": "yellow",
    "blocked": "red",
    "error": "bold red",
}

# Borders and padding of a rich table: "│ " before each column, " " after, one "│" at the end.
COLUMN_CHROME = 3
# Below this a wrapped column is unreadable; a column narrower than that is dropped instead.
MIN_TEXT_WIDTH = 12


def to_json(rows: Iterable[Any]) -> str:
    """One JSON array of ``rows``, UTF-8 text (not ``\\u`` escapes), ending in a newline."""
    return json.dumps([jsonable(row) for row in rows], ensure_ascii=False, indent=2) + "\n"


def _csv_cell(value: Any) -> str:
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(rows: Iterable[dict[str, Any]], fields: Sequence[str], stream: TextIO) -> None:
    """Write ``rows`` as CSV with a header row of ``fields`` (written even with no rows)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_csv_cell(row.get(name)) for name in fields])


def truncate(text: str, width: int | None) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…"


def _table_cell(value: Any, column: Column, clock: Clock) -> Text:
    if value is None:
        return Text("-", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, datetime):
        return Text(brief(value, clock.now, clock.zone))
    if isinstance(value, Seen):
        return Text("seen " + brief(value.at, clock.now, clock.zone), style="dim")
    if isinstance(value, float):
        return Text(f"{value:.2f}")
    text = str(jsonable(value))
    if column.link:
        # Rich writes the link (OSC 8) only to a terminal; a pipe gets the plain URL.
        return Text(text, style=Style(link=text))
    style = (column.styles or {}).get(text, "")
    # Text, not a markup string: titles like "[Video] ..." must not be read as rich markup.
    return Text(truncate(text, column.max_width), style=style)


def _layout(
    cells: dict[str, list[Text]], columns: Sequence[Column], width: int | None
) -> tuple[list[Column], dict[str, int]]:
    """The columns that fit in ``width`` and the width of each text column that must wrap.

    Short (``no_wrap``) columns keep their natural width; text columns get at least
    ``MIN_TEXT_WIDTH`` (or their natural width when smaller) and share the rest in
    proportion to what they would need. Rich alone would squeeze every column evenly
    once the text columns are narrow, breaking headers and numbers mid-word.
    """
    natural = {c.key: max([Text(c.header).cell_len, *(cell.cell_len for cell in cells[c.key])]) for c in columns}
    # A header word is never broken either.
    floor = {
        c.key: natural[c.key]
        if c.no_wrap
        else min(natural[c.key], max(MIN_TEXT_WIDTH, *(len(w) for w in c.header.split())))
        for c in columns
    }
    shown = list(columns)

    def needed(cols: list[Column]) -> int:
        return sum(floor[c.key] for c in cols) + COLUMN_CHROME * len(cols) + 1

    if width is not None:
        for rank in sorted({c.drop for c in columns if c.drop}, reverse=True):
            if needed(shown) <= width:
                break
            shown = [c for c in shown if c.drop != rank]
    widths: dict[str, int] = {}
    if width is None:
        return shown, widths
    text = [c for c in shown if not c.no_wrap]
    room = width - COLUMN_CHROME * len(shown) - 1 - sum(natural[c.key] for c in shown if c.no_wrap)
    if sum(natural[c.key] for c in text) <= room:
        return shown, widths  # everything fits as it is
    spare = max(room - sum(floor[c.key] for c in text), 0)
    wants = {c.key: natural[c.key] - floor[c.key] for c in text}
    total_wants = sum(wants.values()) or 1
    for column in text:
        widths[column.key] = floor[column.key] + spare * wants[column.key] // total_wants
    return shown, widths


def _header(column: Column, clock: Clock) -> str:
    return f"{column.header} ({zone_name(clock.zone, clock.now)})" if column.time else column.header


def build_table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Column],
    *,
    title: str | None = None,
    width: int | None = None,
    clock: Clock | None = None,
) -> Table:
    """A rich table of ``rows`` showing ``columns``, laid out for ``width`` terminal columns.

    Times are shown by ``clock`` (UTC, against the current time, when not given).
    """
    rows = list(rows)
    clock = clock or Clock()
    columns = [dataclasses.replace(c, header=_header(c, clock)) for c in columns]
    cells = {c.key: [_table_cell(row.get(c.key), c, clock) for row in rows] for c in columns}
    shown, widths = _layout(cells, columns, width)
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in shown:
        table.add_column(
            column.header,
            justify=column.justify,
            no_wrap=column.no_wrap,
            # Short values are never cut (the layout gives them their width); long words
            # in text columns (URLs, error messages) are folded, not lost.
            overflow="ellipsis" if column.no_wrap else "fold",
            width=widths.get(column.key),
        )
    for index in range(len(rows)):
        table.add_row(*(cells[c.key][index] for c in shown))
    return table


def emit(
    rows: Sequence[dict[str, Any]],
    fmt: OutputFormat,
    *,
    fields: Sequence[str],
    columns: Sequence[Column],
    console: Console,
    stream: TextIO,
    title: str | None = None,
    empty: str = "Nothing found.",
    zone: tzinfo = UTC,
) -> None:
    """Print ``rows`` in ``fmt``: JSON and CSV to ``stream``, tables through ``console``.

    Tables show times in ``zone`` (``display.timezone``); JSON and CSV keep ISO 8601 in UTC.
    """
    if fmt is OutputFormat.json:
        stream.write(to_json(rows))
    elif fmt is OutputFormat.csv:
        write_csv(rows, fields, stream)
    elif not rows:
        console.print(Text(empty, style="dim"))
    else:
        console.print(build_table(rows, columns, title=title, width=console.width, clock=Clock(zone)))
    stream.flush()
