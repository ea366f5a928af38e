"""The test suite needs nothing but the repository: a clone with nothing beside it collects,
and its real-data tests find their files in it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REAL_FIXTURES, ROOT


def _tracked_files() -> list[str]:
    """The files a clone would have (with this checkout's edits), relative to the root."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no list of tracked files to copy")
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [name for name in listing.stdout.decode().split("\0") if name]


# Real-data tests run in the copy besides the collection: a file read in a test's body, not
# while collecting, shows only when the test runs. One of each reader of tests/fixtures/real
# (feeds through the discovery parsers, pages through extraction), a few seconds in all.
_REAL_DATA_TESTS = [
    "tests/crawler/test_discovery.py::test_rss_parser_item_counts",
    "tests/crawler/test_discovery.py::test_rss_parser_unrecognized_is_reported_not_raised",
    "tests/crawler/test_extract.py::test_guard_recovers_what_the_fast_path_loses",
]


def _pytest(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # `python -m` puts the copy first on sys.path: its own crawler/, storage/ ... are imported.
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_suite_collects_in_a_copy_with_nothing_beside_it(tmp_path: Path) -> None:
    # Users and contributors have the repository alone: a test that reads a folder beside
    # it (../something) or a file never committed fails to collect there, and the real-data
    # tests run below fail to find their data.
    copy = tmp_path / "alone" / "repo"
    for name in _tracked_files():
        source = ROOT / name
        if source.is_file():  # tracked but deleted in this checkout: a clone would have it
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    assert sorted(p.name for p in copy.parent.iterdir()) == ["repo"]
    result = _pytest(copy, "--collect-only")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    result = _pytest(copy, *_REAL_DATA_TESTS)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # All of them ran and passed: none skipped, none missing.
    summary = result.stdout.strip().splitlines()[-1]
    assert re.match(r"\d+ passed in ", summary), summary
    assert int(summary.split()[0]) >= 10, summary


def test_real_fixtures_are_inside_the_repository_and_committed() -> None:
    # The real-data tests read their files through REAL_FIXTURES: it must be in the
    # repository, and every file in it tracked, not just present in this checkout.
    assert REAL_FIXTURES.resolve().is_relative_to(ROOT.resolve())
    tracked = {ROOT / name for name in _tracked_files()}
    on_disk = {path for path in REAL_FIXTURES.rglob("*") if path.is_file()}
    assert on_disk, f"{REAL_FIXTURES} is empty"
    assert on_disk <= tracked, sorted(str(p.relative_to(ROOT)) for p in on_disk - tracked)[:20]
