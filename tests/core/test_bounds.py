"""The ranges of user input (core.bounds) and the times parse_when accepts at their edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Integer

from core.bounds import EARLIEST, ID_MAX, LATEST, longest_age
from core.timeparse import parse_when
from core.units import MAX_DURATION
from storage.models import Base
from tests.boundary import BOUNDARY_VALUES

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        "9999999d",
        "999999999999d",
        "9" * 400 + "d",
        "0001-01-01T00:00+05:00",
        "9999-12-31T23:00-05:00",
        f"{longest_age(NOW).days + 1}d",
        "١٢٣d",  # Arabic-Indic digits: an ISO date takes none either
    ],
)
def test_times_beyond_the_range_are_value_errors(value):
    with pytest.raises(ValueError) as raised:
        parse_when(value, now=NOW)
    assert len(str(raised.value)) < 300  # a pasted megabyte is not echoed back


def test_times_at_the_edges_are_accepted():
    assert parse_when("0001-01-01", now=NOW) == EARLIEST
    assert parse_when("9999-12-31T23:59:59.999999", now=NOW) == LATEST
    assert parse_when("0001-01-01T00:00-05:00", now=NOW) == EARLIEST + timedelta(hours=5)
    # The longest age is the longest duration (100 years), well after year 1 from today.
    assert longest_age(NOW) == MAX_DURATION
    assert parse_when(f"{MAX_DURATION.days}d", now=NOW) == NOW - MAX_DURATION
    with pytest.raises(ValueError, match="longest duration accepted, 100 years"):
        parse_when(f"{MAX_DURATION.days + 1}d", now=NOW)
    # Near year 1, the age stops at year 1.
    early = EARLIEST + timedelta(days=10)
    assert parse_when(f"{longest_age(early).days}d", now=early) == EARLIEST
    assert parse_when("0d", now=NOW) == NOW


def test_every_boundary_value_is_a_time_or_a_value_error():
    """Fuzz: parse_when raises ValueError and nothing else (OverflowError was a 500)."""
    for value in BOUNDARY_VALUES:
        try:
            parsed = parse_when(value, now=NOW)
        except ValueError:
            continue
        assert EARLIEST <= parsed <= LATEST


def test_id_bound_is_the_id_columns_range():
    """ID_MAX is INTEGER's maximum because every id is an Integer column (32-bit on
    PostgreSQL); a migration to BigInteger must move the bound too."""
    for table in Base.metadata.tables.values():
        for column in table.primary_key.columns:
            if column.name == "id":
                assert type(column.type) is Integer, table.name
    assert ID_MAX == 2**31 - 1
