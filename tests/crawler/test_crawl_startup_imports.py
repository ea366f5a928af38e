"""What ``newswatch crawl`` loads on its way to the first article, counted in a fresh interpreter.

Why not a timing assertion: the machine running the tests may be loaded. The crawl
process's start-up is on the critical path to its first stored article (issue 20), and
what it costs is countable: each module below is tens of milliseconds of CPU that a crawl
into SQLite never uses. So the test runs a real crawl (one source, refused at once) in a
fresh interpreter and asserts which modules were loaded when it exited.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

_CHILD = """
import atexit, json, sys
out = sys.argv[1]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["newswatch", *sys.argv[2:]]
from scheduler.cli import main
main()
"""


def _crawl_modules(tmp_path: Path) -> set[str]:
    """Crawl one feed that refuses the connection (port 9) into SQLite; the modules loaded at exit."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'a.db'}\n"
        f"topic:\n  seed: {ROOT / 'seeds' / 'istanbul-third-round.txt'}\n"
        "sources:\n  - {name: refused, type: feed, url: 'http://127.0.0.1:9/feed.xml'}\n"
        "crawl: {allow_private_addresses: true, retries: 0, extract_workers: 0}\n"
    )
    dump = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(dump), "crawl", "--config", str(config), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["status"] == "error"  # it did crawl, and recorded the refusal
    return set(json.loads(dump.read_text()))


def test_a_crawl_into_sqlite_loads_no_postgresql_driver(tmp_path: Path) -> None:
    modules = _crawl_modules(tmp_path)
    assert {"scrapy", "sqlalchemy", "crawler.failures"} <= modules  # the crawl path itself ran
    assert not any(m == "psycopg" or m.startswith("psycopg.") for m in modules)
