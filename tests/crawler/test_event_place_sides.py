"""Each place's side, for event identity's struck-side guard (crawler.analysis.events.rules)."""

from __future__ import annotations

from pathlib import Path

from core.configfile import load_config
from crawler.analysis.events.rules import identity_rules
from crawler.analysis.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[2]


def _sides(config: str) -> dict[str, int]:
    cfg = load_config(ROOT / config, env={})
    return dict(identity_rules(cfg.topic, cfg.events, Gazetteer.from_topic(cfg.topic)).place_sides)


def test_places_take_the_side_of_their_country_home_list_or_region() -> None:
    sides = _sides("tests/fixtures/topics/iran-2025/topic.yaml")
    assert sides["Haifa"] == sides["Jerusalem"] == 1  # GeoNames country, home_places
    assert sides["Natanz"] == sides["Tehran"] == 0
    assert sides["Evin"] == 0  # no GeoNames town: its region's side
    # A base abroad and a mediator's city lie on neither side.
    assert "Al Udeid" not in sides and "Doha" not in sides and "Muscat" not in sides


def test_the_two_ends_of_a_crossing_have_no_side() -> None:
    sides = _sides("config.yaml")
    assert sides["Quetta"] == 0 and sides["Kandahar"] == 1
    assert "Chaman" not in sides and "Spin Boldak" not in sides
