"""The identity rules of a config: :class:`IdentityRules` from ``events`` and ``topic``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.analysis.events.identity import IdentityRules
from crawler.analysis.events.places import PlaceModel
from crawler.analysis.names import derive_names
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
        place_sides=place_sides(topic, model, sides),
        places=model,
        sides=sides,
        date_window=events.match.date_window.days,
        place_window=events.match.place_window.days,
        group_by=frozenset(events.match.group_by),
    )


def place_sides(topic: TopicConfig, model: PlaceModel, sides: tuple[frozenset[str], ...]) -> dict[str, int]:
    """Each place's side (an index into ``sides``): whose ground a strike on it fell on.

    A place listed in ``topic.home_places`` is its side's; else the country of its GeoNames
    town, when ``topic.countries`` names that country and a side holds it; else its region's
    side. Places of neither side (a crossing, a mediator's city) are left out.
    """
    out: dict[str, int] = {}
    for index, home in enumerate(topic.home_places):
        for place in home:
            out.setdefault(place, index)
    derived = derive_names(topic)
    for place, code in derived.place_countries.items():
        country = topic.countries.get(code)
        side = next((i for i, members in enumerate(sides) if country in members), None)
        if side is not None:
            out.setdefault(place, side)
    for place in topic.places:
        if place not in out:
            side = next((out[r] for r in model.ancestors(place) if r in out), None)
            if side is not None:
                out[place] = side
    # Twins (the two ends of a crossing) are one place: of both sides when their sides differ.
    folded: dict[str, int | None] = {}
    for place, side in out.items():
        key = model.canonical(place)
        folded[key] = side if folded.get(key, side) == side else None
    return {place: side for place, side in folded.items() if side is not None}
