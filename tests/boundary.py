"""Values at and beyond the edges of every number and time a user can type (core.bounds).

The fuzz tests of the CLI, the API and the dashboard send each of them to every numeric,
age and date parameter: whatever the value, the answer is a result or a clear refusal
naming the parameter (exit 2, 422, a 4xx page), never a 500 or a traceback.
"""

from __future__ import annotations

from core.bounds import COUNT_MAX, ID_MAX

BOUNDARY_VALUES = [
    # around zero and the ranges' edges
    "0",
    "-1",
    "1",
    str(ID_MAX),
    str(ID_MAX + 1),
    str(COUNT_MAX + 1),
    str(2**63 - 1),  # SQLite's largest integer
    str(2**63),
    str(-(2**63) - 1),
    str(10**20),
    "9" * 5000,  # more digits than int() parses
    # numbers Python reads but a count is not
    "1.5",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "0x10",
    "١٢٣",  # Arabic-Indic digits
    # ages
    "0d",
    "2d",
    "9999999d",
    "999999999999d",
    "9" * 400 + "d",  # an infinite float of days
    "1e309d",
    "١٢٣d",
    "-1d",
    # dates and datetimes
    "0001-01-01",
    "0001-01-01T00:00+05:00",  # before year 1 in UTC
    "9999-12-31T23:59:59.999999",
    "9999-12-31T23:00-05:00",  # after 9999 in UTC
    "99999-01-01",
    "2025-13-45",
    # not numbers at all
    "",
    " ",
    "x" * 5000,
    "null",
]
