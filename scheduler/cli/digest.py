"""``newswatch digest``: build a digest now, print it or send it."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from core.errors import NewswatchError, UsageError
from scheduler.cli.common import (
    ConfigOption,
    VerboseOption,
    command,
    load_config,
)


class DigestPeriod(StrEnum):
    """Values of ``digest --period``."""

    daily = "daily"
    weekly = "weekly"


def digest(
    period: Annotated[DigestPeriod, typer.Option(help="The period up to now that the digest covers.")] = (
        DigestPeriod.daily
    ),
    send: Annotated[bool, typer.Option("--send", help="Send it to digest.to now.")] = False,
    print_: Annotated[
        bool, typer.Option("--print", help="Print the plain-text digest to stdout (the default).")
    ] = False,
    html: Annotated[bool, typer.Option("--html", help="With --print: print the HTML part instead.")] = False,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Build a digest of the last day or week now: print it, or send it (not in place of a scheduled one)."""
    # Lazy on purpose: the digest (notify, Jinja2 templates) loads only for this command.
    from scheduler import digests
    from scheduler.database import open_archive
    from storage.db import utcnow

    with command(verbose) as stdout:
        if send and (print_ or html):
            raise UsageError("--send and --print/--html are exclusive: send it, or print it")
        cfg = load_config(config)
        length = digests.PERIODS[period.value]
        engine, sessions = open_archive(cfg)
        try:
            if send:
                outcome = digests.send_now(cfg, sessions, length)
                if outcome.status == "failed":
                    raise NewswatchError(f"digest not sent: {outcome.error}")
                verb = "skipped (nothing new, digest.skip_empty)" if outcome.status == "skipped" else "sent"
                stdout.write(f"Digest {verb}: {outcome.stories} stories, to {', '.join(cfg.digest.to)}.\n")
            else:
                end = utcnow()
                rendered = digests.render_period(sessions, cfg, end - length, end)
                stdout.write(rendered.html if html else f"Subject: {rendered.subject}\n\n{rendered.text}")
        finally:
            engine.dispose()
