"""Test helper: what the event classifier reads in one headline (and lede), as a (kind, subtype) pair."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.analysis.events.classifier import EventClassifier

# A Wednesday: the publication time the vocabulary tests classify at.
WHEN = datetime(2025, 11, 12, 12, 0, tzinfo=UTC)


def kind_and_subtype(classifier: EventClassifier, language: str, title: str, text: str = "") -> tuple[str, str] | None:
    """The event ``classifier`` reads in the article published at :data:`WHEN`, or None."""
    result = classifier.classify(title, text, WHEN, language)
    return (result.kind, result.subtype) if result else None
