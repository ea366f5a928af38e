"""Rendering rows: JSON with ISO dates, CSV with a header, tables that truncate."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from rich.console import Console

from core.jsonable import jsonable
from core.timeparse import parse_when
from scheduler.cli.output import Column, OutputFormat, emit, to_json, truncate, write_csv

NOW = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)
ROWS = [
    {"id": 1, "title": "[Video] ceasefire", "published": NOW, "relevant": True, "error": "x" * 200},
    {"id": 2, "title": "پاکستان", "published": None, "relevant": None, "error": None},
]
COLUMNS = [Column("id", "ID"), Column("title", "Title"), Column("error", "Error", max_width=20)]


def test_jsonable_dates_are_iso_with_zone():
    assert jsonable(NOW) == "2025-11-08T12:00:00+00:00"
    assert jsonable(datetime(2025, 11, 8, 12, 0)) == "2025-11-08T12:00:00+00:00"  # naive = UTC
    karachi = timezone(timedelta(hours=5))
    assert jsonable(NOW.astimezone(karachi)) == "2025-11-08T17:00:00+05:00"
    assert jsonable(timedelta(minutes=15)) == "15m"
    assert jsonable({"when": [NOW]}) == {"when": ["2025-11-08T12:00:00+00:00"]}


def test_to_json_is_one_array_keeping_non_latin_text():
    text = to_json(ROWS)
    assert json.loads(text)[1]["title"] == "پاکستان"
    assert "پاکستان" in text  # not \u escapes
    assert json.loads(to_json([])) == []


def test_csv_has_header_and_plain_values():
    stream = io.StringIO()
    write_csv(ROWS, ["id", "title", "published", "relevant"], stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0] == ["id", "title", "published", "relevant"]
    assert rows[1] == ["1", "[Video] ceasefire", "2025-11-08T12:00:00+00:00", "true"]
    assert rows[2] == ["2", "پاکستان", "", ""]


def test_truncate():
    assert truncate("short", 10) == "short"
    assert truncate("a  b\nc", None) == "a b c"
    assert truncate("x" * 30, 10) == "x" * 9 + "…"


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_emit_each_format(fmt):
    stream = io.StringIO()
    console = Console(file=stream, width=200, color_system=None)
    emit(ROWS, fmt, fields=["id", "title", "error"], columns=COLUMNS, console=console, stream=stream)
    out = stream.getvalue()
    if fmt is OutputFormat.json:
        assert len(json.loads(out)[0]["error"]) == 200  # never truncated in data formats
    elif fmt is OutputFormat.csv:
        assert ("x" * 200) in out
    else:
        assert "[Video] ceasefire" in out  # not swallowed as rich markup
        assert "x" * 19 + "…" in out and "x" * 21 not in out


def test_parse_when_forms():
    assert parse_when("2025-11-06", now=NOW) == datetime(2025, 11, 6, tzinfo=UTC)
    assert parse_when("2025-11-06T14:30", now=NOW) == datetime(2025, 11, 6, 14, 30, tzinfo=UTC)
    assert parse_when("2025-11-06T14:30:00Z", now=NOW) == datetime(2025, 11, 6, 14, 30, tzinfo=UTC)
    assert parse_when("2025-11-06T19:30+05:00", now=NOW) == datetime(2025, 11, 6, 14, 30, tzinfo=UTC)
    assert parse_when("2d", now=NOW) == NOW - timedelta(days=2)
    assert parse_when("12h", now=NOW) == NOW - timedelta(hours=12)
    assert parse_when("1h30m", now=NOW) == NOW - timedelta(hours=1, minutes=30)


@pytest.mark.parametrize("value", ["", "yesterday", "12", "2d ago", "2025-02-30", "-2d"])
def test_parse_when_rejects(value):
    with pytest.raises(ValueError, match="ISO date"):
        parse_when(value, now=NOW)
