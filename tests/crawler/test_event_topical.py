"""The topic's own event patterns (crawler.analysis.events.topical): built per classifier, compiled when needed.

Invented neighbours (Arland and Borvia), so nothing leans on one conflict's names.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.config import TopicConfig
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.gazetteer import Gazetteer

WHEN = datetime(2025, 11, 12, 12, 0, tzinfo=UTC)
TOPIC = TopicConfig(parties=["Arland", "Borvia"], places=["Kestrel Pass", "Port Talon"])


def test_a_languages_capture_pattern_is_compiled_on_its_first_capture_verb() -> None:
    # Each language's "<verb> <place>" pattern holds every alias of every place of the
    # topic: compiling all of them cost every extraction worker ~0.3 s of CPU before its
    # first page, for languages a crawl may never see.
    classifier = EventClassifier(Gazetteer.from_topic(TOPIC))
    capture = classifier.topic.capture
    assert capture is not None
    assert {"en", "fr"} <= set(capture.sources)
    assert capture.compiled == {}, "nothing compiled before a page needs it"
    assert classifier.classify("Arland and Borvia trade accusations", "", WHEN, "en") is None
    assert capture.compiled == {}, "no capture verb: the pattern is not needed"
    taken = classifier.classify("Borvian fighters seize the strategic Kestrel Pass from Arland troops", "", WHEN, "en")
    assert taken is not None and taken.kind == "new_clash"
    assert set(capture.compiled) == {"en"}
    taken = classifier.classify("Arland : Kestrel Pass tombe aux mains des combattants de la Borvie", "", WHEN, "fr")
    assert taken is not None and taken.kind == "new_clash"
    assert set(capture.compiled) == {"en", "fr"}
    # The same expression as one compiled up front.
    assert all(pattern.pattern == capture.sources[code] for code, pattern in capture.compiled.items())
