"""``newswatch db upgrade``: database maintenance."""

from __future__ import annotations

from scheduler.cli.common import (
    ConfigOption,
    VerboseOption,
    command,
    load_config,
)


def db_upgrade(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Apply database migrations up to the newest revision."""
    with command(verbose) as stdout:
        from scheduler.database import display_url, migrate
        from storage.db import current_revision, make_engine

        cfg = load_config(config)
        url = migrate(cfg)
        engine = make_engine(url)
        try:
            revision = current_revision(engine)
        finally:
            engine.dispose()
        stdout.write(f"Database {display_url(url)} is at revision {revision}.\n")
