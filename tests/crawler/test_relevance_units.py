"""Relevance rules on hand-made headlines: which combinations of parties and places count."""

from __future__ import annotations

import pytest

from core.config import TopicConfig
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.relevance import RelevanceJudge

TOPIC = TopicConfig(
    parties=["Pakistan", "Afghanistan", "Taliban"],
    sides=[["Pakistan"], ["Afghanistan", "Taliban"]],
    places=["Torkham", "Kabul", "Islamabad", "Kunar"],
    home_places=[["Islamabad"], ["Kabul"]],
)


def _judge(topic: TopicConfig = TOPIC) -> RelevanceJudge:
    return RelevanceJudge(topic, Gazetteer.from_topic(topic))


@pytest.mark.parametrize(
    ("title", "relevant"),
    [
        ("Pakistan and the Taliban trade accusations", True),  # both sides
        ("Taliban officials inaugurate a hospital in Kabul", False),  # one side at home
        ("Pakistan court hears a case in Islamabad", False),
        ("Pakistan strikes targets near Kabul, residents say", True),  # the other side's place
        ("Afghanistan reopens the crossing at Torkham", True),  # a place of neither side: the border
        ("Afghanistan says shells landed in Kunar", True),  # not listed as home: border province
        ("Cricket: a new stadium opens in Kabul", False),  # no party at all
    ],
)
def test_one_side_needs_a_place_beyond_its_own(title: str, relevant: bool) -> None:
    assert _judge().judge(title, "").relevant is relevant


def test_without_home_places_any_place_counts() -> None:
    topic = TOPIC.model_copy(update={"home_places": []})
    assert _judge(topic).judge("Taliban officials inaugurate a hospital in Kabul", "").relevant


def test_home_places_follow_their_side_when_a_side_is_empty() -> None:
    topic = TOPIC.model_copy(update={"sides": [[], ["Pakistan"], ["Afghanistan", "Taliban"]]})
    topic = topic.model_copy(update={"home_places": [[], ["Islamabad"], ["Kabul"]]})
    assert not _judge(topic).judge("Taliban officials inaugurate a hospital in Kabul", "").relevant
    assert _judge(topic).judge("Pakistan strikes targets near Kabul, residents say", "").relevant
