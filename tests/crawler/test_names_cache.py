"""The derived names' on-disk cache gives what deriving gives, and never a stale or broken file."""

from __future__ import annotations

import json

import pytest

from core.config import TopicConfig
from crawler.analysis import names, names_cache

TOPIC = TopicConfig(
    parties=["Pakistan", "Afghanistan"],
    countries={"PK": "Pakistan", "AF": "Afghanistan"},
    places=["Kabul", "Torkham"],
    sides=[["Pakistan"], ["Afghanistan"]],
)


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSWATCH_CACHE_DIR", str(folder))
    names._derive_or_read.cache_clear()
    yield folder
    names._derive_or_read.cache_clear()


def fresh(monkeypatch) -> names.DerivedNames:
    """Derived without any cache (the in-process ones included)."""
    with monkeypatch.context() as patch:
        patch.setenv("NEWSWATCH_CACHE_DIR", "off")
        names._derive.cache_clear()
        names._derive_or_read.cache_clear()
        derived = names.derive_names(TOPIC)
        names._derive_or_read.cache_clear()
    return derived


def test_second_run_reads_the_file_and_gets_the_same_names(cache_folder, monkeypatch):
    first = names.derive_names(TOPIC)
    files = list(cache_folder.glob("derived-names-*.json"))
    assert len(files) == 1
    assert first.names["Pakistan"] and first.places and first.pairs

    names._derive_or_read.cache_clear()
    names._derive.cache_clear()
    second = names.derive_names(TOPIC)
    assert names._derive.cache_info().misses == 0  # read from the file, not derived
    assert second == first == fresh(monkeypatch)


def test_a_broken_or_foreign_file_is_ignored(cache_folder):
    expected = names.derive_names(TOPIC)
    (path,) = cache_folder.glob("derived-names-*.json")
    for content in ("{not json", json.dumps({"key": "another", "derived": {"names": {}, "places": {}, "pairs": {}}})):
        path.write_text(content, encoding="utf-8")
        names._derive_or_read.cache_clear()
        assert names.derive_names(TOPIC) == expected
        # and the file is rewritten with the right content
        assert json.loads(path.read_text(encoding="utf-8"))["key"] == path.stem.removeprefix("derived-names-")


def test_other_inputs_have_another_file(cache_folder):
    names.derive_names(TOPIC)
    other = TOPIC.model_copy(update={"places": ["Kandahar"]})
    names.derive_names(other)
    assert len(list(cache_folder.glob("derived-names-*.json"))) == 2


def test_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSWATCH_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    names._derive_or_read.cache_clear()
    try:
        assert names.derive_names(TOPIC).names["Pakistan"]
    finally:
        names._derive_or_read.cache_clear()
    assert not list(tmp_path.rglob("*.json"))
    assert names_cache.cache_dir() is None


def test_no_home_means_no_cache(monkeypatch):
    monkeypatch.delenv("NEWSWATCH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    assert names_cache.cache_dir() is None


def test_a_cached_run_builds_the_event_identity_rules_without_reading_geonames(cache_folder, monkeypatch):
    # Why: the crawl process builds these rules before its first fetch; with the names cached
    # they must not load GeoNames' 16 MB of towns to learn each place's country.
    from core.config import EventsConfig
    from crawler.analysis.events.rules import identity_rules
    from crawler.analysis.gazetteer import Gazetteer

    names.derive_names(TOPIC)  # writes the cache file
    names._derive_or_read.cache_clear()
    names._cities.cache_clear()
    try:
        rules = identity_rules(TOPIC, EventsConfig(), Gazetteer.from_topic(TOPIC))
        assert names._cities.cache_info().misses == 0
    finally:
        names._cities.cache_clear()
    assert rules.place_sides["Kabul"] == 1  # GeoNames' country of the town, AF: the second side
    assert names.derive_names(TOPIC) == fresh(monkeypatch)
