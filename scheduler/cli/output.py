"""Command output: the same rows as a rich table, one JSON array, or CSV with a header.

Rows are plain dicts (built from storage dataclasses). JSON and CSV carry every field;
tables show the columns a person scans, with long values truncated (tables only).
"""

from __future__ import annotations

import csv
import dataclasses
import enum
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TextIO

from rich.table import Table
from rich.text import Text

from core.jsonable import aware, jsonable

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
    no_wrap: bool = False


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


def _table_cell(value: Any, column: Column) -> Text:
    if value is None:
        return Text("-", style="dim")
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, datetime):
        return Text(aware(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M"))
    if isinstance(value, float):
        return Text(f"{value:.2f}")
    # Text, not a markup string: titles like "[Video] ..." must not be read as rich markup.
    return Text(truncate(str(jsonable(value)), column.max_width))


def build_table(rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, title: str | None = None) -> Table:
    """A rich table of ``rows`` showing ``columns``."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column.header, justify=column.justify, no_wrap=column.no_wrap, overflow="fold")
    for row in rows:
        table.add_row(*(_table_cell(row.get(c.key), c) for c in columns))
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
) -> None:
    """Print ``rows`` in ``fmt``: JSON and CSV to ``stream``, tables through ``console``."""
    if fmt is OutputFormat.json:
        stream.write(to_json(rows))
    elif fmt is OutputFormat.csv:
        write_csv(rows, fields, stream)
    elif not rows:
        console.print(Text(empty, style="dim"))
    else:
        console.print(build_table(rows, columns, title=title))
    stream.flush()
