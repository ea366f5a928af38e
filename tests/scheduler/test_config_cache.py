"""The validated config kept between command runs (scheduler.cli.config_cache)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.errors import ConfigError
from scheduler.cli import config_cache
from tests.conftest import ROOT, run_cli, write_config


def _config(tmp_path, url: str = "sqlite:///a.db"):
    return write_config(tmp_path, {"database": {"url": url}, "topic": {"seed": "seeds/istanbul-third-round.txt"}})


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSWATCH_CACHE_DIR", str(folder))
    monkeypatch.delenv("NEWSWATCH_DATABASE_URL", raising=False)
    return folder


def test_a_validated_config_is_kept_and_read_back(tmp_path, cache):
    path = _config(tmp_path)
    first = config_cache.load_config(path)
    assert list(cache.glob("config-*.pickle")) == [config_cache.cache_file(path)]
    assert config_cache.load_config(path) == first
    assert first.database.url == "sqlite:///a.db"


def test_a_second_run_neither_reads_yaml_nor_validates(tmp_path, cache):
    # What the cache is for: the next command's start pays for neither.
    path = _config(tmp_path)
    probe = (
        "import sys; from pathlib import Path; from scheduler.cli import config_cache; "
        f"config = config_cache.load_config(Path({str(path)!r})); "
        "print(config.database.url, 'yaml' in sys.modules, 'core.yamlfile' in sys.modules)"
    )
    env = {"NEWSWATCH_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout.split() == ["sqlite:///a.db", "True", "True"]
    assert runs[1].stdout.split() == ["sqlite:///a.db", "False", "False"]


def test_a_changed_file_is_validated_again(tmp_path, cache):
    path = _config(tmp_path)
    config_cache.load_config(path)
    _config(tmp_path, "sqlite:///b.db")
    assert config_cache.load_config(path).database.url == "sqlite:///b.db"
    path.write_text(path.read_text(encoding="utf-8") + "crawl:\n  user_agnet: me\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"crawl\.user_agnet: unknown key"):
        config_cache.load_config(path)


def test_the_database_url_override_is_part_of_the_key(tmp_path, cache):
    path = _config(tmp_path)
    assert config_cache.load_config(path, env={}).database.url == "sqlite:///a.db"
    overridden = config_cache.load_config(path, env={"NEWSWATCH_DATABASE_URL": "sqlite:///c.db"})
    assert overridden.database.url == "sqlite:///c.db"
    assert config_cache.load_config(path, env={}).database.url == "sqlite:///a.db"


@pytest.mark.parametrize("content", [b"", b"not a pickle", b"\x80\x05truncated"])
def test_a_corrupt_cache_file_is_ignored_and_replaced(tmp_path, cache, content):
    path = _config(tmp_path)
    expected = config_cache.load_config(path)
    kept = config_cache.cache_file(path)
    kept.write_bytes(content)
    assert config_cache.load_config(path) == expected
    assert kept.read_bytes() != content


def test_a_cache_file_holding_something_else_is_ignored(tmp_path, cache):
    import pickle

    path = _config(tmp_path)
    expected = config_cache.load_config(path)
    kept = config_cache.cache_file(path)
    with kept.open("wb") as out:
        pickle.dump(config_cache.cache_key(path, path.read_bytes(), {}), out)
        pickle.dump({"database": {"url": "sqlite:///other.db"}}, out)
    assert config_cache.load_config(path) == expected


def test_a_seed_removed_after_caching_is_still_refused(tmp_path, cache):
    path = _config(tmp_path)
    config_cache.load_config(path)
    (tmp_path / "seeds" / "istanbul-third-round.txt").unlink()
    with pytest.raises(ConfigError, match="seed file not found"):
        config_cache.load_config(path)


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSWATCH_CACHE_DIR", "off")
    path = _config(tmp_path)
    assert config_cache.cache_file(path) is None
    assert config_cache.load_config(path).database.url == "sqlite:///a.db"


def test_the_cli_refuses_an_invalid_config_after_a_cached_run(tmp_path):
    folder = tmp_path / "cache"
    path = _config(tmp_path)
    env = {"NEWSWATCH_CACHE_DIR": str(folder)}
    ok = run_cli("search", config=path, env=env)
    assert ok.returncode == 0, ok.stderr
    assert list(folder.glob("config-*.pickle")), "the first run keeps the validated config"
    path.write_text(path.read_text(encoding="utf-8") + "crawl:\n  user_agnet: me\n", encoding="utf-8")
    result = run_cli("search", config=path, env=env)
    assert result.returncode == 2
    assert "crawl.user_agnet" in result.stderr and "unknown key" in result.stderr
    assert f"{path}:" in result.stderr
    assert result.stdout == ""
