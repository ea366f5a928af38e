"""Where an event happened, as event identity compares it: precise places, regions, venues.

The gazetteer knows names; this module knows how the configured names relate
(``events.places`` in config.yaml): which places lie inside which region (a town in its
district, a district in its province), which names are one place seen from two sides
(the two ends of a border crossing), which places are talks venues, and which names stand
for a government more often than for a place ("Kabul said", "Islamabad rejected") or
name no place at all (the border itself): those (``ignore``) say nothing about where an
event happened and are left out of its places.

Precision follows ACLED's and UCDP's place levels: a place with a parent (a district, a
town) or without configured children is precise; a region with children and no parent (a
province) is broad. Two precise places that neither contains are two events; a broad
place and a precise one inside it are one place told at two precisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence


@dataclass(frozen=True)
class PlaceModel:
    """How the configured places relate; built once from config (:meth:`build`)."""

    # place -> its parent region (one level up)
    parent: Mapping[str, str] = field(default_factory=dict)
    # place -> the name that stands for it and its twins (the first of each ``same`` group)
    twin: Mapping[str, str] = field(default_factory=dict)
    venues: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    # regions: the keys of ``regions`` (a region listed with no places inside is still broad)
    regions: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls,
        regions: Mapping[str, Sequence[str]] | None = None,
        same: Iterable[Sequence[str]] = (),
        venues: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> PlaceModel:
        """From ``events.places``: ``regions`` (region -> places inside), ``same``, ``venues``, ``ignore``."""
        parent: dict[str, str] = {}
        listed: dict[str, list[str]] = {}
        for region, children in (regions or {}).items():
            for child in children:
                parent.setdefault(child, region)
                listed.setdefault(child, []).append(region)
        for child, candidates in listed.items():
            # A town listed in its province and in a subregion of that province ("Tibú" in
            # both, the subregion inside the province) lies in the subregion: the nearest.
            inner = [r for r in candidates if all(o == r or o in _chain(parent, r) for o in candidates)]
            if inner:
                parent[child] = inner[0]
        twin: dict[str, str] = {}
        for group in same:
            if group:
                for name in group:
                    twin.setdefault(name, group[0])
        return cls(
            parent=parent,
            twin=twin,
            venues=frozenset(venues),
            ignore=frozenset(ignore),
            regions=frozenset(regions or {}),
        )

    def canonical(self, place: str) -> str:
        """The name a place is compared under (one name for both ends of a crossing)."""
        return self.twin.get(place, place)

    def ancestors(self, place: str) -> list[str]:
        """The regions that contain ``place`` or a twin of it, nearest first (cycles are cut)."""
        folded = self.canonical(place)
        members = [place, *(name for name, canonical in self.twin.items() if canonical == folded and name != place)]
        out: list[str] = []
        for member in members:
            current = self.parent.get(member)
            while current is not None and current not in out and current not in members:
                out.append(current)
                current = self.parent.get(current)
        return out

    def precise(self, place: str) -> bool:
        """A town, district or crossing; not a province (a listed region without a parent)."""
        return not (place in self.regions and place not in self.parent)

    def tops(self, place: str) -> frozenset[str]:
        """The outermost configured regions of a place (empty when its position is unknown)."""
        chain = [place, *self.ancestors(place)]
        return frozenset(p for p in chain if p not in self.parent and (p in self.regions or p != place))

    def event_places(self, places: Iterable[str]) -> frozenset[str]:
        """The places that can locate an event: ignored names and venues left out, twins folded."""
        return frozenset(self.canonical(p) for p in places if p not in self.ignore and p not in self.venues)

    def contains(self, outer: str, inner: str) -> bool:
        """Whether ``outer`` is ``inner`` or one of its regions (twins folded)."""
        outer = self.canonical(outer)
        return outer == self.canonical(inner) or outer in {self.canonical(a) for a in self.ancestors(inner)}


def _chain(parent: Mapping[str, str], place: str) -> list[str]:
    """The regions above ``place`` by ``parent``, nearest first (cycles are cut)."""
    out: list[str] = []
    current = parent.get(place)
    while current is not None and current not in out and current != place:
        out.append(current)
        current = parent.get(current)
    return out
