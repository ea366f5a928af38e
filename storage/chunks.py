"""Bound parameters in pieces: SQLite refuses a statement with too many of them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# SQLite's default limit is 999 bound parameters in older builds (32,766 since 3.32); 500
# leaves room for the other parameters of the statement on every build, and an IN list
# this long costs PostgreSQL nothing worth avoiding.
PARAMETERS_PER_QUERY = 500


def in_chunks(values: Sequence[T], size: int = PARAMETERS_PER_QUERY) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``, for ``column.in_(slice)`` queries."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
