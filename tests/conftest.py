"""Shared fixtures: a fresh database per backend, a loopback HTTP site, config files, the CLI.

Every database test runs once on SQLite and once on PostgreSQL (127.0.0.1:5432). Each run
makes its own PostgreSQL database and drops it at the end. Under ``CI=true`` an unreachable
PostgreSQL fails the test instead of skipping it: a skipped PostgreSQL test in CI is a
failure, not a pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_sessionmaker, upgrade
from storage.models import Base

ROOT = Path(__file__).resolve().parent.parent
REAL_FIXTURES = ROOT / "tests" / "fixtures" / "real"
SEED = ROOT / "seeds" / "istanbul-third-round.txt"
PG_ADMIN_URL = os.environ.get("NEWSWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _backends() -> list[str]:
    wanted = os.environ.get("NEWSWATCH_TEST_BACKENDS", "sqlite,postgresql")
    return [b.strip() for b in wanted.split(",") if b.strip()]


def _create_pg_database() -> str:
    import psycopg

    name = f"newswatch_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = make_url(PG_ADMIN_URL)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    import psycopg

    name = make_url(url).database
    admin = make_url(PG_ADMIN_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_database_or_skip() -> str:
    """A new PostgreSQL database; skipped when the server is unreachable, failed under CI."""
    try:
        return _create_pg_database()
    except Exception as exc:  # any connection problem
        message = f"PostgreSQL at {PG_ADMIN_URL} is not reachable: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session", params=_backends())
def backend_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the whole session, per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'newswatch.db'}"
        upgrade(url)
        yield url
        return
    url = _pg_database_or_skip()
    try:
        upgrade(url)
        yield url
    finally:
        _drop_pg_database(url)


def _reset(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text("DELETE FROM sqlite_sequence")) if conn.execute(
                text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
            ).first() else None


@pytest.fixture
def db_url(backend_url: str) -> Iterator[str]:
    """The session database, emptied before the test."""
    engine = make_engine(backend_url)
    _reset(engine)
    engine.dispose()
    yield backend_url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def write_config(directory: Path, data: dict[str, Any]) -> Path:
    """Write a config.yaml (with the seed copied beside it) and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    seeds = directory / "seeds"
    seeds.mkdir(exist_ok=True)
    (seeds / SEED.name).write_bytes(SEED.read_bytes())
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def loopback_config(db_url: str, sources: list[dict[str, Any]], **sections: Any) -> dict[str, Any]:
    """A config for crawling the loopback test site: private addresses allowed, no delays."""
    crawl = {
        "allow_private_addresses": True,
        "download_delay": 0,
        "autothrottle": False,
        "timeout": "5s",
        "retries": 1,
        "concurrency_per_domain": 8,
        # In-thread extraction: worker processes cost a second per crawl to start; one test
        # (test_feeds_store_each_article_once) runs them.
        "extract_workers": 0,
        **sections.pop("crawl", {}),
    }
    # The shipped topic vocabulary (parties, sides, places, aliases, keywords): crawls in
    # tests judge relevance and events the way the real service does.
    shipped = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["topic"]
    topic = {**shipped, "seed": "seeds/istanbul-third-round.txt", "seed_published": "2025-11-06"}
    topic.update(sections.pop("topic", {}))
    return {
        "database": {"url": db_url},
        "topic": topic,
        "sources": sources,
        "crawl": crawl,
        # A free port for the service's API: tests run side by side and 8080 may be taken.
        "api": {"port": 0, **sections.pop("api", {})},
        **sections,
    }


def run_cli(
    *args: str, config: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``newswatch`` in a subprocess (Twisted's reactor cannot restart in-process)."""
    command = [sys.executable, "-m", "scheduler.cli", *args]
    if config is not None:
        command += ["--config", str(config)]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    full_env.update(env or {})
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT, check=False)


def start_service(config: Path) -> subprocess.Popen[str]:
    """``newswatch run`` in a subprocess, with no ``NEWSWATCH_*`` variable from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")}
    return subprocess.Popen(
        [sys.executable, "-m", "scheduler.cli", "run", "--config", str(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    """Poll ``condition`` until it holds (True) or ``seconds`` pass (False).

    A liveness bound, not a timing assertion: the condition is polled until it holds.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def wait_for_service(process: subprocess.Popen[str], what: str, check: Callable[[], bool], timeout: float = 60) -> None:
    """Wait until ``check()`` holds; fail the test, with the service's stderr, if it exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"the service exited with {process.returncode} while waiting for {what}:\n{service_stderr(process)}"
            )
        if check():
            return
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"timed out waiting for {what}:\n{service_stderr(process)}")


def service_stderr(process: subprocess.Popen[str]) -> str:
    """The end of a service's stderr (killed first if it still runs)."""
    if process.poll() is None:
        process.kill()
    return process.communicate()[1][-4000:]


@pytest.fixture(scope="session")
def real_fixtures() -> Path:
    """The real-world feeds and pages in tests/fixtures/real (provenance in its LICENSES.md)."""
    return REAL_FIXTURES


@pytest.fixture(params=_backends())
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database with no tables at all (not migrated), per backend; dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = _pg_database_or_skip()
    try:
        yield url
    finally:
        _drop_pg_database(url)
