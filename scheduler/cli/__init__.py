"""The ``newswatch`` command line (console script, or ``python -m scheduler.cli``).

One module per command group, like ``scrapy/commands/``; this module builds the Typer app
from them, in the order ``newswatch --help`` lists the commands.

Contract (see DESIGN.md, "Command-line contract"): every command takes ``--config PATH``;
``--format json`` prints exactly one JSON array on stdout and nothing else there; exit code
0 on success, 2 for a bad configuration or argument (the message names the key or option),
1 for anything else, always with a one-line message on stderr instead of a traceback
(``--verbose`` logs the traceback at DEBUG).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperOption

from core.version import VERSION
from scheduler.cli import alerts, check, crawl, db, digest, explain, lean_help, run, search, sources, stories, worker

# --help and usage errors without rich's Markdown and traceback renderers (see lean_help).
lean_help.install()


def _flag_type(self: TyperOption, ctx: Any) -> str | None:
    """The type shown in ``--help``: none for a flag, which takes no value.

    Why: Typer 0.29 prints every option's Python type in ``--help``, ``<bool>`` for
    ``--verbose`` and ``--help`` too, which reads as if they wanted a value. The type
    comes from ``TyperOption.display_type_rich``; there is no setting for it.
    """
    return None if self.is_flag else _option_type(self, ctx)


_option_type = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]

app = typer.Typer(
    name="newswatch",
    help="Watch the news on one topic: crawl, search the archive, check source health.",
    no_args_is_help=True,
    add_completion=False,
    # Errors are turned into one-line messages and exit codes here, never tracebacks.
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newswatch {VERSION}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Watch the news on one topic: crawl, search the archive, check source health."""


app.callback()(_root)
app.command()(search.search)
app.command()(stories.stories)
app.command()(explain.explain)
app.command()(alerts.alerts)
app.command()(alerts.deliver)
app.command()(sources.sources)
app.command()(crawl.crawl)
app.command()(check.check)
db_app.command("upgrade")(db.db_upgrade)
app.command()(digest.digest)
app.command()(run.run)
app.command()(run.serve)
app.command()(worker.worker)


def main() -> None:
    """Entry point of the ``newswatch`` console script."""
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        # JSON and CSV are UTF-8 whatever the locale; Urdu titles must not crash a pipe.
        sys.stdout.reconfigure(encoding="utf-8")
    app(prog_name="newswatch")
