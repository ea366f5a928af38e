"""Words for people in place of stored identifiers: one mapping for every surface."""

from __future__ import annotations

import re

from storage.labels import (
    SUBTYPES,
    casualties_text,
    event_fields,
    event_label,
    kind_label,
    kind_label_plural,
    plural,
    subtype_label,
)


def test_every_subtype_and_kind_reads_as_words():
    assert event_label("talks_outcome", "no_agreement") == "Talks outcome: ended without agreement"
    assert event_label("new_clash", "cross_border_attack") == "New clash: cross-border attack"
    assert event_label("new_clash", None) == "New clash"
    assert kind_label_plural("new_clash") == "New clashes"
    for identifier, words in SUBTYPES.items():
        assert "_" not in words, identifier
    # An identifier added later still reads as words, never as an identifier.
    assert subtype_label("drone_strike") == "drone strike"
    assert kind_label("border_incident") == "Border incident"


def test_fields_in_order_with_casualties_by_side():
    fields = {
        "parties": ["Pakistan", "Afghanistan"],
        "casualties": {"pakistan_killed": 23, "pakistan_injured": 4, "civilians_killed": 2, "militants_killed": 0},
        "event_date": "2025-11-07",
        "places": ["Kurram"],
        "mediators": [],
        "venue_city": "Doha",
    }
    assert event_fields(fields) == [
        ("Event date", "2025-11-07"),
        ("Places", "Kurram"),
        ("Casualties", "Pakistan: 23 killed, 4 injured; civilians: 2 killed"),
        ("Parties", "Pakistan, Afghanistan"),
        ("Venue city", "Doha"),
    ]
    assert casualties_text({"pakistan": 2}) == "Pakistan: 2"
    assert not any(re.search(r"[a-z]_[a-z]", label + text) for label, text in event_fields(fields))


def test_plural():
    assert plural(1, "article") == "1 article"
    assert plural(3, "article") == "3 articles"
    assert plural(2, "story", "stories") == "2 stories"
