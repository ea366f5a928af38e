"""The evidence of an event is the sentence that carries it, never the headline repeated."""

from __future__ import annotations

from datetime import UTC, datetime

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.gazetteer import Gazetteer

PUBLISHED = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)
TOPIC = TopicConfig(parties=["Pakistan", "Afghanistan", "Taliban"], places=["Chaman", "Istanbul"])


def _classify(title: str, text: str):
    return EventClassifier(Gazetteer.from_topic(TOPIC)).classify(title, text, PUBLISHED, "en")


def test_the_lede_is_the_evidence_when_only_the_headline_states_the_event():
    title = "Pakistan-Afghanistan talks collapse in Istanbul"
    lede = "Delegations from Islamabad and Kabul left the Turkish city on Friday after four days of meetings."
    result = _classify(title, f"{lede} Mediators from Qatar said they would keep trying. Trade stays shut.")
    assert result is not None and result.kind == "talks_outcome"
    assert result.evidence == lede


def test_a_headline_repeated_as_the_first_line_is_not_the_evidence():
    title = "Pakistan-Afghanistan talks collapse in Istanbul"
    lede = "Delegations from Islamabad and Kabul left the Turkish city on Friday after four days of meetings."
    result = _classify(title, f"{title}. {lede} Trade stays shut.")
    assert result is not None and result.evidence == lede


def test_a_meeting_set_for_today_is_the_round_going_on_not_an_outcome():
    topic = TopicConfig(parties=["Valdoria", "Norland"], places=["Port Amsel"])
    classifier = EventClassifier(Gazetteer.from_topic(topic))
    title = "Valdoria and Norland to meet again in Port Amsel"
    lede = "Delegations of Valdoria and Norland agreed to meet again today in Port Amsel, officials said."
    going_on = classifier.classify(title, lede, PUBLISHED, "en")
    assert going_on is None
    # The same statement of a next meeting on a later day is an outcome.
    later = lede.replace("today", "on November 20")
    result = classifier.classify(title, later, PUBLISHED, "en")
    assert result is not None and result.subtype == "next_round_set"
