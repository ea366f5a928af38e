"""The cluster's commands refuse what cannot work, with exit 2 and a message naming the key."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli, write_config


def _sqlite_config(tmp_path: Path, **sections) -> Path:
    return write_config(tmp_path / "cfg", {"database": {"url": f"sqlite:///{tmp_path / 'nw.db'}"}, **sections})


def test_cluster_roles_need_postgresql(tmp_path: Path) -> None:
    config = _sqlite_config(tmp_path)
    for args in (("worker",), ("run", "--role", "scheduler")):
        result = run_cli(*args, config=config, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        assert "database.url" in result.stderr and "PostgreSQL" in result.stderr


def test_run_refuses_an_unknown_role(tmp_path: Path) -> None:
    result = run_cli("run", "--role", "boss", config=_sqlite_config(tmp_path), timeout=60)
    assert result.returncode == 2
    assert "--role" in result.stderr


def test_cluster_role_key_is_validated(tmp_path: Path) -> None:
    result = run_cli("run", config=_sqlite_config(tmp_path, cluster={"role": "worker"}), timeout=60)
    assert result.returncode == 2
    assert "cluster.role" in result.stderr
