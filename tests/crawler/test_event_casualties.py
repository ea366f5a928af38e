"""Casualty figures by side, on any topic: the sides are the topic's (``topic.sides``), not names in the code."""

from __future__ import annotations

import pytest

from core.config import TopicConfig
from crawler.analysis.events.fields import UNKNOWN_SIDE, casualties
from crawler.analysis.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    # Invented countries: nothing in the rules may know them.
    topic = TopicConfig(
        parties=["Northland", "Southland", "Southern Front"],
        places=["Alton"],
        aliases={"Northland": ["Northlandic"], "Southland": ["Southlander"]},
        sides=[["Northland"], ["Southland", "Southern Front"]],
    )
    return Gazetteer.from_topic(topic)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The word before the noun names the side.
        ("Twelve Northlandic soldiers were killed near Alton.", {"Northland_killed": 12}),
        (
            "The shelling killed 4 Southlander troops; 9 civilians were wounded.",
            {"Southland_killed": 4, "civilians_injured": 9},
        ),
        # A party of a side counts as that side (the side's first name).
        ("Southern Front said 7 Southern Front fighters were killed.", {"militants_killed": 7}),
        ("Southern Front said 3 soldiers were killed in the raid.", {"Southland_killed": 3}),
        # No adjective: the first side the sentence names.
        ("Northland's army said 23 soldiers were martyred in Alton.", {"Northland_killed": 23}),
        # No side named at all: not guessed.
        ("At least 5 soldiers were killed overnight.", {f"{UNKNOWN_SIDE}_killed": 5}),
    ],
)
def test_casualties_are_kept_by_the_topics_sides(gazetteer: Gazetteer, sentence: str, expected: dict[str, int]) -> None:
    assert casualties([sentence], gazetteer) == expected


def test_a_party_of_no_side_is_its_own_and_a_place_is_no_side() -> None:
    gazetteer = Gazetteer.from_topic(TopicConfig(parties=["Eastland", "Westland"], places=["Alton"]))
    assert gazetteer.side_of("Eastland") == "Eastland"
    assert gazetteer.side_of("Alton") is None
    assert casualties(["Westland said 6 Eastland soldiers were killed."], gazetteer) == {"Eastland_killed": 6}
