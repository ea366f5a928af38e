"""config.yaml: defaults, units, and errors that name the file, line and key."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from core.config import resolve_database_url
from core.configfile import load_config
from core.errors import ConfigError
from tests.conftest import ROOT, run_cli, write_config


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
    assert config.stories.window == timedelta(days=3) and config.stories.regroup_windows == 2
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


# --- config the loader used to accept and the crawl then tripped on ---------------------

# Each: raw YAML, the line and key path the error must name, and a phrase of the reason.
_SOURCE = "sources:\n  - name: a\n    type: listing\n"
_WEBHOOK = "alerts:\n  channels:\n    webhook:\n"
_LONG_NUMBER = "9" * 400

BAD_CONFIGS = {
    # Source URLs that do not parse.
    "url-unclosed-ipv6": (_SOURCE + "    url: 'http://[::1/'\n", 4, "sources[0].url", "Invalid IPv6 URL"),
    "url-port-out-of-range": (_SOURCE + "    url: 'http://a.example:99999/'\n", 4, "sources[0].url", "Port"),
    "url-port-zero": (_SOURCE + "    url: 'http://a.example:0/'\n", 4, "sources[0].url", "port"),
    "url-space-in-host": (_SOURCE + "    url: 'http://a b.example/'\n", 4, "sources[0].url", "not a valid host"),
    "url-bad-ipv6": (_SOURCE + "    url: 'http://[::g]/'\n", 4, "sources[0].url", "not a valid URL"),
    "url-no-host": (_SOURCE + "    url: 'http:///news'\n", 4, "sources[0].url", "no host"),
    "url-empty-label": (_SOURCE + "    url: 'http://a..example/'\n", 4, "sources[0].url", "not a valid host"),
    # Listing rules that do not compile.
    "selector-syntax": (
        _SOURCE + "    url: 'https://a.example/'\n    link_selector: 'h2 a['\n",
        5,
        "sources[0].link_selector",
        "not a valid CSS selector",
    ),
    "selector-pseudo-element": (
        _SOURCE + "    url: 'https://a.example/'\n    link_selector: 'h2 a::text'\n",
        5,
        "sources[0].link_selector",
        "not a valid CSS selector",
    ),
    "pattern-huge-repeat": (
        _SOURCE + "    url: 'https://a.example/'\n    link_pattern: 'a{4294967296}'\n",
        5,
        "sources[0].link_pattern",
        "not a valid regular expression",
    ),
    # Notification URLs.
    "webhook-file": (_WEBHOOK + "      url: 'file:///etc/passwd'\n", 4, "alerts.channels.webhook.url", "http://"),
    "webhook-not-a-url": (_WEBHOOK + "      url: not a url\n", 4, "alerts.channels.webhook.url", "http://"),
    "webhook-bad-port": (
        _WEBHOOK + "      url: 'https://hooks.example:99999/x'\n",
        4,
        "alerts.channels.webhook.url",
        "Port",
    ),
    "apprise-not-a-url": (
        "alerts:\n  channels:\n    apprise:\n      - 'json://localhost'\n      - not a url\n",
        5,
        "alerts.channels.apprise[1]",
        "scheme://",
    ),
    # Durations, sizes and numbers that overflowed or never end.
    "duration-inf": ("crawl:\n  interval: .inf\n", 2, "crawl.interval", "100 years"),
    "duration-nan": ("crawl:\n  timeout: .nan\n", 2, "crawl.timeout", "not a duration"),
    "duration-huge-days": ("crawl:\n  max_backoff: 999999999999d\n", 2, "crawl.max_backoff", "100 years"),
    "duration-just-over-100-years": ("alerts:\n  max_age: 36526d\n", 2, "alerts.max_age", "100 years"),
    "duration-long-int": (f"service:\n  heartbeat: {_LONG_NUMBER}\n", 2, "service.heartbeat", "100 years"),
    "duration-source-interval": (
        "sources:\n  - {name: a, type: feed, url: 'https://a.example/', interval: 99999999999999d}\n",
        2,
        "sources[0].interval",
        "100 years",
    ),
    "size-long-number": (f"crawl:\n  max_response_size: {_LONG_NUMBER}MB\n", 2, "crawl.max_response_size", "1TiB"),
    "float-inf": ("crawl:\n  download_delay: .inf\n", 2, "crawl.download_delay", "finite"),
    # A regrouping over no window at all, or over the whole archive after every poll.
    "regroup-windows-zero": (
        "stories:\n  regroup_windows: 0\n",
        2,
        "stories.regroup_windows",
        "greater than or equal to 1",
    ),
    "regroup-windows-huge": (
        "stories:\n  window: 2d\n  regroup_windows: 1000\n",
        3,
        "stories.regroup_windows",
        "less than or equal to 100",
    ),
    "regroup-windows-fraction": ("stories:\n  regroup_windows: 1.5\n", 2, "stories.regroup_windows", "integer"),
    # A digest schedule that parses but never fires (31 February).
    "cron-never-fires": ("digest:\n  schedule: '0 7 31 2 *'\n", 2, "digest.schedule", "never fires"),
    # YAML that loaded with a surprise.
    "duplicate-key": ("crawl:\n  interval: 5m\n  timeout: 3s\n  interval: 6m\n", 4, "crawl.interval", "line 2"),
    "duplicate-section": ("crawl: {}\napi: {port: 1}\ncrawl: {interval: 5m}\n", 3, "crawl", "line 1"),
    "duplicate-key-in-a-source": (
        "sources:\n  - name: a\n    type: feed\n    name: b\n    url: 'https://a.example/'\n",
        4,
        "sources[0].name",
        "duplicate key: also set on line 2",
    ),
    "impossible-date": ("topic:\n  seed_published: 2025-02-30\n", 2, "topic.seed_published", "day is out of range"),
    "alias-cycle": ("topic:\n  parties: &p [Pakistan, *p]\n", 2, "topic.parties[1]", "refers back"),
    "deep-nesting": ("topic:\n  parties: " + "[" * 200 + "]" * 200 + "\n", 2, "topic.parties" + "[0]" * 48, "50 lev"),
}


@pytest.mark.parametrize("case", BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_bad_config_is_refused_at_load_naming_line_and_key(tmp_path, case):
    text, line, key, reason = case
    message = _error(_write(tmp_path, text))
    assert message.startswith(f"{tmp_path / 'config.yaml'}:{line}: {key}: "), message
    assert reason in message


# One of each kind through the real CLI: exit 2, one line, no traceback.
CLI_CASES = [
    "url-space-in-host",
    "selector-syntax",
    "webhook-file",
    "duration-huge-days",
    "cron-never-fires",
    "duplicate-key",
    "regroup-windows-zero",
]


@pytest.mark.parametrize("name", CLI_CASES)
def test_bad_config_exits_2_from_the_cli(tmp_path, name):
    text, line, key, reason = BAD_CONFIGS[name]
    result = run_cli("sources", config=_write(tmp_path, text))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"Error: {tmp_path / 'config.yaml'}:{line}: {key}: ")
    assert reason in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dawn.com/feeds/home",
        "http://127.0.0.1:8000/feed",
        "http://[::1]:8080/x",
        "https://münchen.example/",
    ],
)
def test_good_source_urls_still_load(tmp_path, url):
    path = write_config(tmp_path, {"sources": [{"name": "a", "type": "feed", "url": url}]})
    assert load_config(path, env={}).sources[0].url == url


def test_durations_up_to_100_years_load(tmp_path):
    path = write_config(tmp_path, {"crawl": {"interval": "36525d"}, "alerts": {"max_age": 0}})
    config = load_config(path, env={})
    assert config.crawl.interval == timedelta(days=36525)
    assert config.alerts.max_age == timedelta(0)


def test_anchors_and_merge_keys_still_work(tmp_path):
    text = (
        "topic:\n"
        "  parties: &parties [Pakistan, Taliban]\n"
        "  sides: [*parties]\n"
        "sources:\n"
        "  - &feed {name: a, type: feed, url: 'https://a.example/feed', interval: 5m}\n"
        "  - <<: *feed\n"
        "    name: b\n"
    )
    config = load_config(_write(tmp_path, text), env={})
    assert config.topic.sides == [["Pakistan", "Taliban"]]
    assert [(s.name, s.interval) for s in config.sources] == [("a", timedelta(minutes=5)), ("b", timedelta(minutes=5))]


# Nine levels of nine aliases each: 9**9 (387 million) values once expanded, in 600 bytes.
_ALIAS_BOMB = "topic:\n  keywords:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"    {name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)
# Address space for the CLI that reads it: enough to start (about 100 MB), far short of
# what expanding the bomb takes, so a regression fails here instead of eating the machine.
_BOMB_MEMORY = 512 * 1024**2


def test_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path):
    path = _write(tmp_path, _ALIAS_BOMB)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (_BOMB_MEMORY, _BOMB_MEMORY))

    result = subprocess.run(
        [sys.executable, "-m", "scheduler.cli", "sources", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,  # a bound for a runaway, not a timing assertion: it takes about a second
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("NEWSWATCH_")},
        preexec_fn=limit_memory,
        check=False,
    )
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.startswith(f"Error: {path}:")
    assert "topic.keywords." in result.stderr and "aliases (*name) repeat more than" in result.stderr
