"""Opening the archive from the config, the way every command and the service do it."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from core.config import resolve_database_url
from storage.db import make_engine, make_sessionmaker, upgrade

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from core.config import Config

logger = logging.getLogger(__name__)


def display_url(url: str) -> str:
    """``url`` with any password masked, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def _migrated_engine(url: str) -> Engine:
    """An engine for ``url`` after applying pending migrations to its database."""
    logger.debug("upgrading database %s", display_url(url))
    # make_engine creates a SQLite file's directory; Alembic's own engine would not, and a
    # fresh install with ``sqlite:///data/newswatch.db`` must just work. The same engine
    # runs the schema check: one connection where there were three (a round trip each on
    # PostgreSQL).
    engine = make_engine(url)
    try:
        upgrade(url, engine=engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


def migrate(config: Config) -> str:
    """Apply pending migrations to the configured database and return its URL.

    Every command that touches the archive calls this first, as the service does on start,
    so an upgraded newswatch never runs against an old schema.
    """
    url = resolve_database_url(config)
    _migrated_engine(url).dispose()
    return url


def open_engine(config: Config) -> Engine:
    """Migrate the database, then return an engine for it (for Core readers: no sessions, no ORM)."""
    return _migrated_engine(resolve_database_url(config))


def open_archive(config: Config) -> tuple[Engine, sessionmaker[Session]]:
    """Migrate the database, then return an engine and a session factory for it."""
    engine = _migrated_engine(resolve_database_url(config))
    return engine, make_sessionmaker(engine)


def sync_config_sources(session: Session, config: Config) -> None:
    """Make the ``sources`` table list every configured source (name, type, URL)."""
    # Here, not at the top: the read-only commands that open the archive never need it.
    from storage.sources import SourceSpec, sync_sources

    sync_sources(session, [SourceSpec(name=s.name, type=s.type, url=s.url) for s in config.sources])
