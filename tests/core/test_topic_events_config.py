"""``topic.events``: the topic's own talks bodies and named operations, validated like every key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.configfile import load_config
from core.errors import ConfigError
from tests.conftest import run_cli, write_config


def _write(tmp_path: Path, text: str) -> Path:
    path = write_config(tmp_path, {})
    path.write_text(text, encoding="utf-8")
    return path


def test_topic_events_default_to_empty_and_load(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path, ""), env={}).topic.events.talks == []
    text = (
        "topic:\n  events:\n    talks: [General Border Committee, لجنة الحدود]\n    clashes: [Operation Dawn Shield]\n"
    )
    events = load_config(_write(tmp_path, text), env={}).topic.events
    assert events.talks == ["General Border Committee", "لجنة الحدود"]
    assert events.clashes == ["Operation Dawn Shield"]


@pytest.mark.parametrize(
    ("yaml_text", "where", "reason"),
    [
        ("topic:\n  events:\n    venues: [Doha]\n", ":3: topic.events.venues", "unknown key"),
        ("topic:\n  events:\n    talks: Joint Commission\n", ":3: topic.events.talks", "list"),
        ("topic:\n  events:\n    talks: ['  ']\n", "topic.events.talks[0]", "blank"),
        ("topic:\n  events:\n    clashes: [X]\n", "topic.events.clashes[0]", "at least 2 characters"),
        ("topic:\n  events:\n    clashes: [[Operation]]\n", "topic.events.clashes[0]", "string"),
    ],
)
def test_bad_topic_events_name_the_key(tmp_path: Path, yaml_text: str, where: str, reason: str) -> None:
    path = _write(tmp_path, yaml_text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    message = str(info.value)
    assert where in message and reason in message.lower(), message


def test_bad_topic_events_exit_2_from_the_cli(tmp_path: Path) -> None:
    path = _write(tmp_path, "topic:\n  events:\n    talks: ['']\n")
    result = run_cli("sources", config=path)
    assert result.returncode == 2, result.stderr
    assert "topic.events.talks" in result.stderr and "Traceback" not in result.stderr
