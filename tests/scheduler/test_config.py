"""config.yaml: defaults, units, and errors that name the file, line and key."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from scheduler.config import load_config, resolve_database_url
from scheduler.errors import ConfigError
from tests.conftest import ROOT, write_config


def _write(tmp_path: Path, text: str) -> Path:
    """A config file with raw YAML text (and the seed beside it)."""
    path = write_config(tmp_path, {})
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, env=env or {})
    return str(info.value)


def test_empty_file_gives_every_default(tmp_path):
    config = load_config(_write(tmp_path, ""), env={})
    assert config.database.url == "sqlite:///newswatch.db"
    assert config.sources == []
    assert config.crawl.obey_robots is True
    assert config.crawl.allow_private_addresses is False
    assert config.crawl.download_delay == 1.0
    assert config.crawl.concurrency_per_domain == 2
    assert config.crawl.interval == timedelta(minutes=30)
    assert config.crawl.user_agent.startswith("newswatch/")
    assert config.alerts.max_age == timedelta(days=2)
    assert config.api.host == "127.0.0.1" and config.api.port == 8080
    assert config.smtp.password_env == "NEWSWATCH_SMTP_PASSWORD"
    assert config.base_dir == tmp_path.resolve()


def test_minimal_source_inherits_crawl_interval(tmp_path):
    path = write_config(
        tmp_path,
        {
            "topic": {"seed": "seeds/istanbul-third-round.txt", "seed_published": "2025-11-06"},
            "crawl": {"interval": "20m"},
            "sources": [
                {"name": "dawn", "type": "feed", "url": "https://www.dawn.com/feeds/home"},
                {"name": "geo", "type": "listing", "url": "https://www.geo.tv/", "interval": "5m"},
            ],
        },
    )
    config = load_config(path, env={})
    assert config.topic.seed_published == date(2025, 11, 6)
    assert config.seed_paths() == [tmp_path.resolve() / "seeds" / "istanbul-third-round.txt"]
    assert config.source_interval(config.source("dawn")) == timedelta(minutes=20)
    assert config.source_interval(config.source("geo")) == timedelta(minutes=5)
    assert config.source("dawn").enabled is True
    with pytest.raises(KeyError):
        config.source("nope")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("2d", timedelta(days=2)),
        (45, timedelta(seconds=45)),
        ("500ms", timedelta(milliseconds=500)),
    ],
)
def test_durations(tmp_path, value, expected):
    path = write_config(tmp_path, {"crawl": {"interval": value}})
    assert load_config(path, env={}).crawl.interval == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("512KB", 512_000), ("10MB", 10_000_000), ("1GiB", 1024**3), (2048, 2048), ("1.5 mb", 1_500_000)],
)
def test_sizes(tmp_path, value, expected):
    path = write_config(tmp_path, {"crawl": {"max_response_size": value}})
    assert load_config(path, env={}).crawl.max_response_size == expected


def test_alerts_max_age_null_means_no_limit(tmp_path):
    path = _write(tmp_path, "alerts:\n  max_age: null\n")
    assert load_config(path, env={}).alerts.max_age is None


def test_bad_duration_names_key_line_and_accepted_forms(tmp_path):
    message = _error(_write(tmp_path, "crawl:\n  obey_robots: true\n  interval: fortnight\n"))
    assert f"{tmp_path / 'config.yaml'}:3:" in message
    assert "crawl.interval" in message
    assert "15m" in message  # tells the user what would work


def test_bad_size_names_key(tmp_path):
    message = _error(_write(tmp_path, "crawl:\n  max_response_size: huge\n"))
    assert ":2: crawl.max_response_size:" in message


def test_unknown_key_names_key_and_line(tmp_path):
    message = _error(_write(tmp_path, "database:\n  url: sqlite:///x.db\ncrawl:\n  user_agnet: me\n"))
    assert ":4: crawl.user_agnet: unknown key" in message


def test_unknown_top_level_section(tmp_path):
    message = _error(_write(tmp_path, "crawl: {}\nalert:\n  max_age: 2d\n"))
    assert ":2: alert: unknown key" in message


def test_unknown_key_in_a_source_names_its_index(tmp_path):
    text = (
        "sources:\n"
        "  - {name: a, type: feed, url: 'https://a.example/feed'}\n"
        "  - name: b\n"
        "    type: feed\n"
        "    url: https://b.example/feed\n"
        "    intervall: 5m\n"
    )
    message = _error(_write(tmp_path, text))
    assert ":6: sources[1].intervall: unknown key" in message


def test_wrong_type_names_key(tmp_path):
    message = _error(_write(tmp_path, "crawl:\n  download_delay: fast\n"))
    assert ":2: crawl.download_delay:" in message
    assert "number" in message


def test_wrong_source_type_names_key(tmp_path):
    message = _error(_write(tmp_path, "sources:\n  - {name: a, type: rss, url: 'https://a.example/'}\n"))
    assert ":2: sources[0].type:" in message
    assert "feed" in message


def test_missing_required_key(tmp_path):
    message = _error(_write(tmp_path, "sources:\n  - {name: a, type: feed}\n"))
    assert "sources[0].url: required key is missing" in message


def test_out_of_range_value(tmp_path):
    message = _error(_write(tmp_path, "api:\n  port: 70000\n"))
    assert ":2: api.port:" in message


def test_missing_seed_file_names_topic_seed(tmp_path):
    message = _error(_write(tmp_path, "topic:\n  name: x\n  seed: seeds/missing.txt\n"))
    assert ":3: topic.seed: seed file not found" in message
    assert "missing.txt" in message


def test_missing_seed_in_a_list_names_its_index(tmp_path):
    text = "topic:\n  seed:\n    - seeds/istanbul-third-round.txt\n    - seeds/missing.txt\n"
    message = _error(_write(tmp_path, text))
    assert ":4: topic.seed[1]: seed file not found" in message


def test_invalid_yaml_names_line(tmp_path):
    message = _error(_write(tmp_path, "crawl:\n  interval: 15m\n  download_delay: [1\n"))
    assert "not valid YAML" in message
    assert str(tmp_path / "config.yaml") in message


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_non_mapping_document(tmp_path, text):
    message = _error(_write(tmp_path, text))
    assert "expected a mapping" in message


def test_missing_file(tmp_path):
    message = _error(tmp_path / "nope.yaml")
    assert "nope.yaml" in message and "not found" in message


def test_config_path_from_environment(tmp_path):
    path = _write(tmp_path, "crawl:\n  download_delay: 3\n")
    config = load_config(None, env={"NEWSWATCH_CONFIG": str(path)})
    assert config.crawl.download_delay == 3.0


def test_duplicate_source_names(tmp_path):
    text = (
        "sources:\n"
        "  - {name: dawn, type: feed, url: 'https://a.example/feed'}\n"
        "  - {name: dawn, type: feed, url: 'https://b.example/feed'}\n"
    )
    message = _error(_write(tmp_path, text))
    assert "sources[1].name" in message
    assert "duplicate source name 'dawn'" in message


def test_listing_rules_only_on_listing_sources(tmp_path):
    text = "sources:\n  - {name: a, type: feed, url: 'https://a.example/', link_pattern: 'x'}\n"
    message = _error(_write(tmp_path, text))
    assert "sources[0]" in message and "listing" in message


def test_database_url_override_from_environment(tmp_path):
    path = _write(tmp_path, "database:\n  url: sqlite:///file.db\n")
    override = "postgresql+psycopg://postgres@127.0.0.1:5432/other"
    config = load_config(path, env={"NEWSWATCH_DATABASE_URL": override})
    assert config.database.url == override
    assert load_config(path, env={}).database.url == "sqlite:///file.db"


def test_database_url_override_is_validated(tmp_path):
    path = _write(tmp_path, "")
    message = _error(path, env={"NEWSWATCH_DATABASE_URL": "mysql://x/y"})
    assert "database.url" in message


def test_unknown_database_scheme(tmp_path):
    message = _error(_write(tmp_path, "database:\n  url: mysql://localhost/news\n"))
    assert ":2: database.url:" in message


def test_relative_sqlite_path_resolves_against_config_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # anywhere but the config's directory
    path = _write(tmp_path, "database:\n  url: sqlite:///data/news.db\n")
    url = resolve_database_url(load_config(path, env={}))
    assert url == f"sqlite:///{tmp_path.resolve() / 'data' / 'news.db'}"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////var/lib/newswatch/news.db",
        "sqlite:///:memory:",
        "sqlite://",
        "postgresql+psycopg://newswatch@db.example.org/newswatch",
    ],
)
def test_other_database_urls_are_left_alone(tmp_path, url):
    path = write_config(tmp_path, {"database": {"url": url}})
    assert resolve_database_url(load_config(path, env={})) == url


def test_shipped_config_loads():
    config = load_config(ROOT / "config.yaml", env={})
    assert len(config.sources) >= 12
    assert all(path.is_file() for path in config.seed_paths())
    assert len({s.name for s in config.sources}) == len(config.sources)


def test_home_places_must_match_the_sides_and_the_places(tmp_path):
    topic = "topic:\n  sides: [[Pakistan], [Taliban]]\n  places: [Kabul, Torkham]\n"
    message = _error(_write(tmp_path, topic + "  home_places: [[Kabul]]\n"))
    assert ":4: topic.home_places: one list per side" in message
    message = _error(_write(tmp_path, topic + "  home_places: [[Lahore], [Kabul]]\n"))
    assert "topic.home_places: not in topic.places: Lahore" in message
    config = load_config(_write(tmp_path, topic + "  home_places: [[], [Kabul]]\n"), env={})
    assert config.topic.home_places == [[], ["Kabul"]]
