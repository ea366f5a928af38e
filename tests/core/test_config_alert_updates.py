"""alerts.updates, alerts.group_wait, alerts.group_interval: defaults and refusals naming the key."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.configfile import load_config
from core.errors import ConfigError
from tests.conftest import run_cli, write_config


def _load(tmp_path, text: str):
    path = write_config(tmp_path, {})
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_deliver_material_updates_spaced_by_30_minutes(tmp_path):
    alerts = load_config(_load(tmp_path, ""), env={}).alerts
    assert (alerts.updates, alerts.group_wait, alerts.group_interval) == (
        "material",
        timedelta(0),
        timedelta(minutes=30),
    )
    alerts = load_config(_load(tmp_path, "alerts:\n  updates: none\n  group_wait: 2m\n  group_interval: 1h\n"), env={})
    assert (alerts.alerts.updates, alerts.alerts.group_wait, alerts.alerts.group_interval) == (
        "none",
        timedelta(minutes=2),
        timedelta(hours=1),
    )


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("alerts:\n  updates: always\n", "alerts.updates", "'none' or 'material'"),
        ("alerts:\n  group_wait: soon\n", "alerts.group_wait", "not a duration"),
        ("alerts:\n  group_interval: -5m\n", "alerts.group_interval", ""),
    ],
)
def test_bad_values_name_the_key(tmp_path, text, key, reason):
    with pytest.raises(ConfigError) as info:
        load_config(_load(tmp_path, text), env={})
    assert f"config.yaml:2: {key}: " in str(info.value) and reason in str(info.value)


def test_bad_updates_mode_exits_2_from_the_cli(tmp_path):
    result = run_cli("sources", config=_load(tmp_path, "alerts:\n  updates: always\n"))
    assert result.returncode == 2, result.stderr
    assert "alerts.updates" in result.stderr and "Traceback" not in result.stderr
