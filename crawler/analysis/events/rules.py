"""The identity rules of a config: :class:`IdentityRules` from ``events`` and ``topic``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.analysis.events.identity import IdentityRules
from crawler.analysis.events.places import PlaceModel
from crawler.analysis.text import words

if TYPE_CHECKING:
    from core.config import EventsConfig, TopicConfig
    from crawler.analysis.gazetteer import Gazetteer


def identity_rules(topic: TopicConfig, events: EventsConfig, gazetteer: Gazetteer) -> IdentityRules:
    """The rules :func:`~crawler.analysis.events.identity.match` applies, from the config."""
    places = events.places
    model = PlaceModel.build(places.regions, places.same, places.venues, places.ignore)
    # The sides as the canonical names the event fields carry (an alias names its entity).
    sides = tuple(
        frozenset(gazetteer.aliases.get(" ".join(words(name)), name) for name in side) for side in topic.sides
    )
    return IdentityRules(
        places=model,
        sides=sides,
        date_window=events.match.date_window.days,
        place_window=events.match.place_window.days,
        group_by=frozenset(events.match.group_by),
    )
