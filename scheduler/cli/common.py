"""What every ``newswatch`` command shares: the common options, and one way to run a command body
(logging set up, stdout kept clean, errors turned into a one-line message and an exit code).

Start-up cost: ``newswatch --version`` and ``--help`` import every command module (Typer
reads each command's signature), so these modules import at the top only what a signature
or ``--help`` needs. The archive (SQLAlchemy), the config models (pydantic, YAML), Scrapy
and the rest are imported inside the functions that use them. ``tests/test_cli_startup.py``
checks which modules ``--version`` and ``--help`` load.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from core.errors import ConfigError, NewswatchError, UsageError
from core.logs import setup_logging
from core.timeparse import parse_when
from scheduler.cli.output import OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from core.config import Config

# One logger name for the whole CLI, as before it was split into modules (log lines show it).
logger = logging.getLogger("scheduler.cli")

# Width for tables written to a pipe or file, where rich would otherwise assume 80 columns
# and fold every URL; COLUMNS still wins when set.
PIPE_WIDTH = 200


class EventKind(StrEnum):
    """Values of ``--kind``."""

    talks_outcome = "talks_outcome"
    new_clash = "new_clash"


def parse_when_option(value: str | None) -> datetime | None:
    """Click parser for ``--since``/``--until``: ``ValueError`` becomes a usage error naming the option."""
    if value is None:
        return None
    try:
        return parse_when(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="Config file. Default: $NEWSWATCH_CONFIG, else config.yaml.",
        show_default=False,
        dir_okay=False,
    ),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Log at DEBUG, tracebacks included.")]
FormatOption = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
WhenOption = Annotated[
    datetime | None,
    typer.Option(
        parser=parse_when_option,
        metavar="WHEN",
        help="ISO date or datetime (naive = UTC), or an age such as 2d or 12h.",
    ),
]


# --- plumbing ------------------------------------------------------------------------


def load_config(path: Path | None) -> Config:
    """``core.configfile.load_config``, with a hint when the file does not exist.

    The validated config is kept between runs (:mod:`scheduler.cli.config_cache`): a file
    validated before, unchanged, is read back without validating it again.

    Why: the likeliest cause is a command run outside the config's folder (the default is
    ``config.yaml`` in the current directory), and the message should say how to point at it.
    """
    from core import configfile
    from scheduler.cli import config_cache  # pydantic's models: only for commands that read the config

    config_path = Path(path or os.environ.get("NEWSWATCH_CONFIG") or configfile.DEFAULT_CONFIG)
    if not config_path.exists():
        raise ConfigError(f"{config_path}: config file not found (pass --config PATH or set NEWSWATCH_CONFIG)")
    return config_cache.load_config(config_path)


def stdout_console(stdout: TextIO) -> Console:
    from rich.console import Console

    width = None if stdout.isatty() or os.environ.get("COLUMNS") else PIPE_WIDTH
    return Console(file=stdout, width=width)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(file=sys.stderr, highlight=False)


def one_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0] if lines else ""


def fail(message: str, code: int) -> typer.Exit:
    from rich.text import Text

    text = Text("Error: ", style="bold red")
    text.append(message)
    stderr_console().print(text, soft_wrap=True)
    return typer.Exit(code)


def read(cfg: Config, query: Callable[[Any], Any]) -> Any:
    """Migrate, then run ``query(session)`` in one transaction and release the connections."""
    from scheduler.database import open_archive
    from storage.db import transaction

    engine, sessions = open_archive(cfg)
    try:
        with transaction(sessions) as session:
            return query(session)
    finally:
        engine.dispose()


def read_core(cfg: Config, query: Callable[[Any], Any]) -> Any:
    """Migrate, then run ``query(connection)`` on a Core connection in one transaction, and release it.

    For commands whose queries are all Core (``search``): without a session the ORM is not
    imported, ~0.1 s of the command's start (see storage.schema).
    """
    from scheduler.database import open_engine

    engine = open_engine(cfg)
    try:
        with engine.connect() as connection, connection.begin():
            return query(connection)
    finally:
        engine.dispose()


def require_story(session: Any, story_id: int | None) -> None:
    """Raise ``NewswatchError`` (exit 1) when ``story_id`` is given and no such story exists.

    A well-formed id that matches nothing is not a usage error (exit 2 is for arguments
    that could never be right) but a failed lookup, like the API's 404: exit 1, saying so,
    rather than an empty table that reads like "nothing yet". ``session`` is an ORM session
    or a Core connection.
    """
    from storage.story_lookup import story_exists

    if story_id is not None and not story_exists(session, story_id):
        raise NewswatchError(f"story {story_id} not found")


def deliver_due_now(cfg: Config) -> dict[str, int]:
    """Send the deliveries due now (notify.deliver.deliver_due) and release the connections."""
    # Lazy on purpose: the delivery channels load only for the commands that send.
    from notify.deliver import deliver_due
    from scheduler.database import open_archive

    engine, sessions = open_archive(cfg)
    try:
        return deliver_due(cfg, sessions)
    finally:
        engine.dispose()


@contextlib.contextmanager
def command(verbose: bool, *, quiet: bool = False, info: tuple[str, ...] = ()) -> Iterator[TextIO]:
    """Run a command body: logging set up, stray prints kept off stdout, errors as exit codes.

    ``quiet`` logs warnings and errors only (unless ``verbose``), for commands that show
    their own progress; ``info`` names loggers that still log at INFO (see ``setup_logging``).

    Yields the real stdout; while the body runs ``sys.stdout`` points at stderr, so nothing a
    dependency prints can corrupt ``--format json`` output.
    """
    setup_logging(verbose, quiet=quiet, info=info)
    stdout = sys.stdout
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield stdout
    except (typer.Exit, typer.Abort):
        raise
    except (ConfigError, UsageError) as exc:
        raise fail(str(exc), 2) from None
    except KeyboardInterrupt:
        raise fail("interrupted", 130) from None
    except NewswatchError as exc:
        logger.debug("traceback", exc_info=True)
        raise fail(one_line(str(exc)), 1) from None
    except Exception as exc:
        logger.debug("traceback", exc_info=True)
        detail = one_line(str(exc))
        message = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
        if not verbose:
            message += " (run with --verbose for details)"
        raise fail(message, 1) from None
