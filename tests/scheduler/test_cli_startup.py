"""``newswatch --version`` and ``--help`` start fast: they import none of the heavy libraries.

Why not a timing assertion: the machine running the tests may be loaded. What makes the
command line slow to start is known and countable: SQLAlchemy, pydantic's config models,
Scrapy/Twisted, trafilatura, Jinja2 imported before any command needs them. So the test
runs the CLI in a fresh interpreter and asserts which modules were loaded when it exited.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# What `newswatch --version` and `--help` must not load: each costs tens to hundreds of ms
# (bench/startup.py; `python -X importtime -m scheduler.cli --version`).
HEAVY = (
    "sqlalchemy",
    "alembic",
    "pydantic",
    "yaml",
    "scrapy",
    "twisted",
    "trafilatura",
    "lxml",
    "jinja2",
    "apscheduler",
    "fastapi",
    "core.config",
    "storage",
    "crawler",
)

_CHILD = """
import atexit, json, sys
out = sys.argv[1]
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv = ["newswatch", *sys.argv[2:]]
from scheduler.cli import main
main()
"""


def _modules_after(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the CLI with ``args`` (and ``env`` added to the environment) in a fresh interpreter.

    Returns its result and the modules loaded at exit.
    """
    dump = tmp_path / "modules.json"
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(dump), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return result, set(json.loads(dump.read_text()))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ()],
    ids=["version", "help", "no-args"],
)
def test_version_and_help_load_no_heavy_library(tmp_path: Path, args: tuple[str, ...]) -> None:
    result, modules = _modules_after(tmp_path, *args)
    assert result.returncode in (0, 2), result.stderr  # no args: the help, exit 2 (no_args_is_help)
    assert "newswatch" in result.stdout
    # The dump is of the CLI's own process: every command module was imported to build --help.
    assert {"typer", "scheduler.cli.search", "scheduler.cli.crawl"} <= modules
    assert _heavy(modules) == []


@pytest.mark.parametrize("command", [("search",), ("crawl",), ("digest",), ("serve",), ("db", "upgrade")])
def test_a_commands_help_loads_no_heavy_library_of_ours(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A command's ``--help`` loads only what Typer itself needs to parse its options.

    Typer 0.2x converts option values with pydantic ``TypeAdapter``s, so ``pydantic``
    itself is allowed here; newswatch's own config models (``core.config``) are not.
    """
    result, modules = _modules_after(tmp_path, *command, "--help")
    assert result.returncode == 0, result.stderr
    assert "--config" in result.stdout
    assert [m for m in _heavy(modules) if m.split(".")[0] != "pydantic"] == []


def test_a_command_that_reads_the_archive_still_loads_what_it_needs(tmp_path: Path) -> None:
    """The other side: the lazy imports happen when a command runs (and the dump sees them)."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'a.db'}\n"
        f"topic:\n  seed: {ROOT / 'seeds' / 'istanbul-third-round.txt'}\n"
        "sources: []\n"
    )
    result, modules = _modules_after(tmp_path, "search", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert {"sqlalchemy", "core.config", "storage.search", "alembic"} <= modules  # a new archive: migrated


def test_a_command_on_a_current_archive_does_not_load_alembic(tmp_path: Path) -> None:
    """The schema check is one query when the archive is at the newest revision."""
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'a.db'}\n"
        f"topic:\n  seed: {ROOT / 'seeds' / 'istanbul-third-round.txt'}\n"
        "sources: []\n"
    )
    first, _ = _modules_after(tmp_path, "db", "upgrade", "--config", str(config))
    assert first.returncode == 0, first.stderr
    result, modules = _modules_after(tmp_path, "search", "--config", str(config), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert "sqlalchemy" in modules
    assert "alembic" not in modules


def test_search_on_a_current_archive_loads_neither_the_orm_nor_the_config_validation(tmp_path: Path) -> None:
    """``search`` reads Core tables on a Core connection, and the config validated by an earlier run.

    The ORM and the mapped models (with the PostgreSQL dialect a partial index loads) were
    ~0.12 s of its CPU, YAML and the config validation ~0.1 s (storage.schema,
    scheduler.cli.config_cache).
    """
    config = tmp_path / "config.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{tmp_path / 'a.db'}\n"
        f"topic:\n  seed: {ROOT / 'seeds' / 'istanbul-third-round.txt'}\n"
        "sources: []\n"
    )
    env = {"NEWSWATCH_CACHE_DIR": str(tmp_path / "cache")}
    first, _ = _modules_after(tmp_path, "db", "upgrade", "--config", str(config), env=env)
    assert first.returncode == 0, first.stderr
    runs = [(("search",), 0), (("search", "word", "--order", "relevance", "--kind", "new_clash"), 0)]
    runs.append((("search", "--story", "1"), 1))  # no such story: exit 1
    for args, code in runs:
        result, modules = _modules_after(tmp_path, *args, "--config", str(config), "--format", "json", env=env)
        assert result.returncode == code, result.stderr
        assert {"sqlalchemy", "storage.search", "storage.schema"} <= modules
        loaded = {"sqlalchemy.orm", "storage.models", "sqlalchemy.dialects.postgresql", "yaml"} & modules
        assert loaded == set(), args


# What typer.rich_utils imports at its top for Markdown help and pretty tracebacks, neither
# of which newswatch draws (scheduler/cli/lean_help.py).
RENDERERS = ("rich.markdown", "rich.traceback", "markdown_it", "pygments")
HELP_AND_ERRORS = [("--help",), ("search", "--help"), ("db", "--help"), ("search", "--limit", "0")]

# The CLI with the real renderers imported first: Typer's own rendering, no stand-ins.
_WITH_RENDERERS = """
import sys
import rich.markdown, rich.traceback
sys.argv = ["newswatch", *sys.argv[1:]]
from scheduler.cli import main
main()
"""


@pytest.mark.parametrize("args", HELP_AND_ERRORS, ids=" ".join)
def test_help_and_usage_errors_load_no_markdown_or_traceback_renderer(tmp_path: Path, args: tuple[str, ...]) -> None:
    result, modules = _modules_after(tmp_path, *args)
    assert result.returncode in (0, 2), result.stderr
    assert "typer.rich_utils" in modules  # drawn by rich, as before
    assert sorted(m for m in modules if any(m == r or m.startswith(r + ".") for r in RENDERERS)) == []


@pytest.mark.parametrize("args", HELP_AND_ERRORS, ids=" ".join)
def test_help_and_usage_errors_read_as_typer_draws_them(args: tuple[str, ...]) -> None:
    def run(*command: str) -> subprocess.CompletedProcess[str]:
        env = {"COLUMNS": "100", "PATH": "/usr/bin:/bin"}
        return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT, env=env, check=False)

    lean = run(sys.executable, "-m", "scheduler.cli", *args)
    typer_own = run(sys.executable, "-c", _WITH_RENDERERS, *args)
    assert "newswatch" in lean.stdout + lean.stderr
    assert (lean.returncode, lean.stdout, lean.stderr) == (typer_own.returncode, typer_own.stdout, typer_own.stderr)


def test_deferred_renderers_are_the_real_ones_when_used() -> None:
    """Typer's names stand for rich's classes: calls, attributes, isinstance, and sys.modules."""
    code = """
import sys
import scheduler.cli
import typer.rich_utils as typer_rich
assert "rich.markdown" not in sys.modules and "rich.traceback" not in sys.modules
markdown = typer_rich.Markdown("# title")
import rich.markdown
assert type(markdown) is rich.markdown.Markdown and isinstance(markdown, typer_rich.Markdown)
assert sys.modules["rich.markdown"] is rich.markdown
try:
    1 / 0
except ZeroDivisionError as exc:
    traceback = typer_rich.Traceback.from_exception(type(exc), exc, exc.__traceback__)
import rich.traceback
assert type(traceback) is rich.traceback.Traceback
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"
