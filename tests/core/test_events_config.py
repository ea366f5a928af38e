"""The events section: defaults, and errors that name the key (exit 2 from the CLI)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from core.configfile import load_config
from core.errors import ConfigError
from crawler.analysis.events.rules import identity_rules
from crawler.analysis.gazetteer import Gazetteer
from tests.conftest import run_cli, write_config


def _write(tmp_path: Path, text: str) -> Path:
    path = write_config(tmp_path, {})
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    return str(info.value)


def test_defaults_group_by_every_field_within_two_days(tmp_path):
    events = load_config(_write(tmp_path, ""), env={}).events
    assert events.match.date_window == timedelta(days=2)
    assert events.match.place_window == timedelta(days=1)
    assert events.match.group_by == ["kind", "parties", "place", "date"]
    assert events.places.regions == {} and events.places.venues == []


def test_the_shipped_configs_load_their_place_models():
    root = Path(__file__).resolve().parents[2]
    shipped = load_config(root / "config.yaml", env={})
    assert "Barmal" in shipped.events.places.regions["Paktika"]
    assert load_config(root / "examples" / "topics" / "drc-m23.yaml", env={}).events.places.venues


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events:\n  match:\n    date_window: 36h\n", "events.match.date_window"),
        ("events:\n  match:\n    place_window: 15d\n", "events.match.place_window"),
        ("events:\n  match:\n    group_by: [kind, colour]\n", "events.match.group_by"),
        ("events:\n  match:\n    group_by: [place, date]\n", "must include kind"),
        ("events:\n  matcher: {}\n", "events.matcher"),
        (
            "topic:\n  places: [Alton]\nevents:\n  places:\n    regions: {North: [Alton]}\n",
            "events.places: not in topic.places: North",
        ),
    ],
)
def test_bad_events_keys_name_the_key(tmp_path, text, expected):
    assert expected in _error(_write(tmp_path, text))


def test_cli_exits_2_naming_the_events_key(tmp_path):
    path = _write(tmp_path, "events:\n  match:\n    date_window: -1d\n")
    result = run_cli("sources", config=path)
    assert result.returncode == 2
    assert "events.match.date_window" in result.stderr


def test_place_window_reaches_the_identity_rules(tmp_path):
    config = load_config(_write(tmp_path, "events:\n  match:\n    date_window: 3d\n    place_window: 2d\n"), env={})
    rules = identity_rules(config.topic, config.events, Gazetteer.from_topic(config.topic))
    assert (rules.date_window, rules.place_window) == (3, 2)
