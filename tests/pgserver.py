"""A private PostgreSQL server for tests that must restart or stop the database.

The shared server at 127.0.0.1:5432 serves every test of the suite, so a test that
restarts PostgreSQL (the cluster's fault test) starts its own: ``initdb`` into a temporary
directory, ``pg_ctl start`` on a free loopback port with its Unix socket in that directory,
``pg_ctl stop`` and removal afterwards. The server binaries refuse to run as root, so when
the tests run as root (CI does) they run as the ``postgres`` OS user through ``runuser``.

Under ``CI=true`` a missing binary fails the test instead of skipping it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import IN_CI

# Enough for 1 scheduler + 1 standby + a few workers (8 connections each) and the test itself.
MAX_CONNECTIONS = 80


def _bindir() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian layout, /usr/lib/postgresql/<version>/bin), or PATH's."""
    candidates = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if (Path(p) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateServer:
    """One PostgreSQL server owned by a test: its own data directory, port and socket directory."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir = bindir
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        self.log = root / "server.log"
        # As root, run the server as the postgres OS user (initdb and postgres refuse root).
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def admin_url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` database (superuser ``postgres``, trust over TCP)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, tool: str, *args: str, timeout: float = 120) -> None:
        result = subprocess.run(
            [*self.prefix, str(self.bindir / tool), *args], capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            server_log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {result.stdout}{result.stderr}\n{server_log}")

    def init(self) -> None:
        if self.prefix:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def _options(self) -> str:
        # fsync off: the test restarts the server on purpose, it never crashes the machine.
        return (
            f"-p {self.port} -h 127.0.0.1 -k {self.root} -c max_connections={MAX_CONNECTIONS} "
            "-c fsync=off -c full_page_writes=off -c shared_buffers=32MB"
        )

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self._options(), "-w", "start")

    def restart(self, mode: str = "fast") -> None:
        """``pg_ctl restart -m <mode>``: every session ends; ``immediate`` skips the checkpoint (crash recovery)."""
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self._options(), "-m", mode, "-w", "restart"
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@contextlib.contextmanager
def private_server() -> Iterator[PrivateServer]:
    """Start a private server, yield it, stop it and remove its files (skipped without binaries, failed in CI)."""
    bindir = _bindir()
    if bindir is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        message = "PostgreSQL server binaries (initdb, pg_ctl) or runuser not found"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    root = Path(tempfile.mkdtemp(prefix="newswatch-pg-"))
    server = PrivateServer(bindir, root)
    try:
        server.init()
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
