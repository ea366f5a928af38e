"""The one place that creates engines and sessions, and applies migrations."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (every stored time is aware)."""
    return datetime.now(UTC)


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API read while a crawl writes; foreign keys are off by default in SQLite;
    # busy_timeout turns a brief writer collision into a wait instead of an error.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the per-backend settings newswatch relies on."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    # Here, not at the top: archive search runs on a Core connection, without the ORM
    # (storage.schema says why).
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)


@contextlib.contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session in one transaction: commit on success, roll back on any exception."""
    with factory() as session, session.begin():
        yield session


def alembic_config(url: str) -> Any:
    """An Alembic config pointing at the packaged migrations, no alembic.ini needed."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' must be escaped for configparser.
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head", *, engine: Engine | None = None) -> None:
    """Apply migrations up to ``revision`` (idempotent).

    Every command and every crawl calls this first. When the database is already at the
    head revision (the usual case), one query says so and Alembic is not loaded at all:
    importing it and reading its script directory cost 0.2-0.4 s of every command's start.
    ``engine`` (for ``url``), when given, runs that query, so a command that goes on to use
    it does not open a connection of its own just for the check.
    """
    if revision == "head" and at_head(url, engine=engine):
        return
    from alembic import command

    command.upgrade(alembic_config(url), revision)


# ``revision = "0006"`` / ``down_revision = "0005"`` (or None), as Alembic's template writes them.
_REVISION_LINE = re.compile(r'^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:"([^"\n]*)"|None)\s*$', re.MULTILINE)


def _head_from_files() -> str | None:
    """The head revision, read from the migration files' ``revision`` lines without Alembic.

    None when the files do not name exactly one head (a branch, a line this reader does
    not understand): then the caller asks Alembic. ``tests/storage/test_migrations.py``
    checks that this agrees with Alembic's own ``head_revision()``.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = {name: value for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8"))}
        if not found.get("revision"):
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def at_head(url: str, *, engine: Engine | None = None) -> bool:
    """Whether the database at ``url`` is at the newest revision the code knows (one query).

    On ``engine`` when given (it stays open), else on an engine of its own.
    """
    head = _head_from_files()
    if head is None:
        return False
    checker = engine or make_engine(url)
    try:
        with checker.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception:  # no alembic_version table yet (an empty database), or any other doubt: let Alembic look
        return False
    finally:
        if engine is None:
            checker.dispose()
    return rows == [head]


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
