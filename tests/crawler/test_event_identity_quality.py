"""Quality gate of event identity: pairwise precision and recall of "same event" on the labeled sets.

Floors are what was measured (never above), raised when a change measured better (the
per-language negation and the sides of one meeting's outcome: docs/measurements.md); a
change that drops below one must say why. ``python -m crawler.events.identity_eval --errors`` shows the pairs.
"""

from __future__ import annotations

import pytest

from core.configfile import load_config
from crawler.analysis.events.rules import identity_rules
from crawler.analysis.gazetteer import Gazetteer
from crawler.events.identity_eval import ROOT, SETS, load, score

# set -> figure -> (precision, recall) floors
FLOORS = {
    "identity": {
        "identity": (0.99, 0.667),
        # 0.99 before the Urdu military-press register was read (the India–Pakistan set's
        # classes): two Urdu reports of 12 Oct and 5 Dec are now detected, raising end-to-end
        # recall (0.636 -> 0.660); the 12 Oct one was dated from its "night between the 11th
        # and 12th" as the 13th (0.973 detected), until Urdu and Hindi month names and a night
        # between two dates were read (dates.py: the 12th).
        "identity_detected": (0.99, 0.982),
        "identity_labeled": (0.97, 0.988),
    },
    "articles+heldout": {
        "identity": (1.0, 0.992),
        "identity_detected": (1.0, 0.996),
        "identity_labeled": (1.0, 1.0),
    },
    "drc-m23": {
        "identity": (0.983, 0.881),
        "identity_detected": (0.983, 0.967),
        # 0.97 recall before the struck side was read from most of a report's places.
        "identity_labeled": (0.97, 0.985),
    },
    # Measured after the vocabulary and identity changes made for its misses (first score,
    # blind: 0.639 / 0.418 end to end, 0.639 / 0.920 detected, 0.680 / 0.927 labeled), then
    # with the span of a multi-day assault (before it: 1.000 / 0.909, 1.000 / 0.943, 1.000 /
    # 0.945: the claim two days into the Zamzam assault matched none of the first day's reports).
    "sudan": {
        "identity": (1.0, 0.96),
        "identity_detected": (1.0, 1.0),
        "identity_labeled": (1.0, 1.0),
    },
    # A war of missiles and air strikes between states with no shared border, tuned on once
    # (first score, blind: 0.571 / 0.296 end to end, 0.571 / 0.889 detected, 0.592 / 0.833
    # labeled): the struck side, a truce breach against the day before, days to come.
    # Then a wave told whole and by one of its places (0.878 / 0.667, 0.878 / 0.818, 0.833 /
    # 0.833 before it); then "the day before" of another event no longer dating a report,
    # and a wave's lead place told alone joining it the same day (0.886 / 0.722, 0.886 /
    # 0.886, 0.842 / 0.889 before); then a capital listed as party and place read as the
    # place after a word of place ("in Tehran": 0.911 / 0.759, 0.911 / 0.932, 0.852 / 0.963
    # before); then a strike told as a repeat ("again") a day after another at its place
    # (0.953 / 0.759, 0.953 / 0.932, 0.881 / 0.963 before).
    "iran-2025": {
        "identity": (0.97, 0.75),
        "identity_detected": (0.97, 0.93),
        "identity_labeled": (0.91, 0.96),
    },
    # Drones, missiles and shelling along a ceasefire line, tuned on for detection (first
    # score, blind: 0.438 / 0.292 end to end, 0.438 / 0.750 detected, 0.637 / 0.806 labeled),
    # then for identity (0.674 / 0.861, 0.674 / 0.861, 0.649 / 0.847 before): successive
    # calls of a channel with no venue, the struck side read from most places and past a
    # town named as the cause, unrelated places a day apart, a lede's province joining two
    # days only for one kind of fighting; then a report whose own place is only the cause it
    # answers placed by its lede (0.969 / 0.861, 0.969 / 0.861, 0.884 / 0.847 before); then
    # each side's report of one exchange of fire across the line, from its own sectors, one
    # event (0.970 / 0.903, 0.970 / 0.903, 0.889 / 0.889 before).
    "india-pakistan-2025": {
        "identity": (0.971, 0.931),
        "identity_detected": (0.971, 0.931),
        "identity_labeled": (0.893, 0.931),
    },
    # Russian, Ukrainian, English, German, Turkish; tuned on once (second blind score, after
    # the ru/uk/de/tr vocabularies: 1.000 / 0.430 end to end, 1.000 / 0.712 detected, 0.942 /
    # 0.942 labeled): Cyrillic names with case endings, one meeting's agreement and failure
    # told without the venue or as a collapse, each side's tally of one truce's breaches,
    # "until Monday", the battlefield ("поле боя") no fight. Labeled events (0.945 / 1.000)
    # are left out: their precision is under the stories' (0.963), held down by a missile
    # on a training unit with no place named joining the same day's drone strikes on air
    # bases ("weak": nothing sets them apart). Then a report naming no day may be the
    # morning after's telling of a meeting (1.000 / 0.581, 1.000 / 0.962 before).
    "russia-ukraine-2025": {
        "identity": (1.0, 0.593),
        "identity_detected": (1.0, 0.981),
    },
    # An insurgency inside one country (es, en, pt, fr), tuned on once for detection (first
    # score, blind: 1.000 / 0.227 end to end, 1.000 / 0.708 detected, 0.892 / 0.773 labeled).
    # Reading bombings, downed aircraft and the talks' outcomes detected 18 more reports
    # (24 -> 42), with 6 false pairs (0.891 / 0.653, 0.891 / 0.754, 0.904 / 0.880). Then for
    # identity: a headline city after "outside" is a landmark, a town's name ending a longer
    # proper name is no mention of it, a headline's second item after a semicolon is another
    # event's, and two groups' talks a day apart at different places are two tables.
    "colombia-2025": {
        "identity": (1.0, 0.813),
        "identity_detected": (1.0, 0.897),
        "identity_labeled": (1.0, 0.973),
    },
}

# Sets where event identity does not beat today's stories yet, held to their floors only
# (none now: Colombia 2025's identity, 1.000 / 0.733 end to end, beats its stories' 0.964 /
# 0.720 since the identity changes its README lists).
NOT_YET_ABOVE_STORIES: frozenset[str] = frozenset()


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_pairwise_same_event_floors(name: str) -> None:
    config_path, paths = SETS[name]
    config = load_config(ROOT / config_path, env={})
    rules = identity_rules(config.topic, config.events, Gazetteer.from_topic(config.topic))
    result = score(load(paths), config, rules)
    figures = result.as_dict()
    for figure, (precision, recall) in FLOORS[name].items():
        got = figures[figure]
        assert got["precision"] >= precision, (name, figure, got)
        assert got["recall"] >= recall, (name, figure, got)
        if name in NOT_YET_ABOVE_STORIES:
            continue
        # Event identity beats today's stories (the "before") on precision and recall.
        assert got["precision"] > figures["stories"]["precision"], (name, figure, got, figures["stories"])
        assert got["recall"] > figures["stories"]["recall"], (name, figure, got, figures["stories"])
