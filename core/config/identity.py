"""The ``events`` section of config.yaml: when two reports are one event (event identity).

Not ``topic.events`` (the topic's own talks bodies and operations, for the classifier):
this section decides which reports of events are one event.

In the spirit of Alertmanager's ``group_by``: ``events.match.group_by`` names the fields two
reports must agree on to be one event, ``events.match.date_window`` how far apart their
event dates may be. ``events.places`` says how the topic's places relate, so that a town and
its province, or the two ends of a border crossing, are known to be one place and two towns
to be two. Every name in it must be one of ``topic.places`` (checked by :class:`Config`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, field_validator

from core.config.base import Duration, Section

Field_ = Literal["kind", "parties", "place", "date"]
GROUP_BY_FIELDS: tuple[Field_, ...] = ("kind", "parties", "place", "date")


class EventMatchConfig(Section):
    """What makes two reports one event."""

    # Event dates at most this far apart (filing days, time zones, "late Thursday").
    date_window: Duration = timedelta(days=2)
    # Clash reports at one precise place at most this far apart are one event by the place
    # alone; further apart (within date_window) they need a casualty figure in common: a
    # city struck twice in three days is two attacks.
    place_window: Duration = timedelta(days=1)
    # Fields two reports must agree on; leaving one out stops it from splitting events.
    group_by: list[Field_] = Field(default_factory=lambda: list(GROUP_BY_FIELDS))

    @field_validator("date_window", "place_window")
    @classmethod
    def _whole_days(cls, value: timedelta) -> timedelta:
        if value < timedelta(0) or value > timedelta(days=14) or value % timedelta(days=1):
            raise ValueError("must be a whole number of days from 0d to 14d (event dates are days)")
        return value

    @field_validator("group_by")
    @classmethod
    def _kind_first(cls, value: list[Field_]) -> list[Field_]:
        if "kind" not in value:
            raise ValueError("must include kind: a talks outcome and a clash are never one event")
        if len(set(value)) != len(value):
            raise ValueError("lists a field twice")
        return value


class EventPlacesConfig(Section):
    """How the topic's places relate (names from ``topic.places``)."""

    # Region -> places inside it (a province and its districts, a district and its towns).
    regions: dict[str, list[str]] = Field(default_factory=dict)
    # Names of one place: the two ends of a border crossing.
    same: list[list[str]] = Field(default_factory=list)
    # Where talks are held: the venue of a talks outcome, never the place of a clash.
    venues: list[str] = Field(default_factory=list)
    # Names that do not locate an event: capitals standing for their governments, the border.
    ignore: list[str] = Field(default_factory=list)

    def names(self) -> set[str]:
        """Every place named in this section."""
        found = set(self.regions) | {p for inside in self.regions.values() for p in inside}
        return found | {p for group in self.same for p in group} | set(self.venues) | set(self.ignore)


class EventsConfig(Section):
    """Event identity: ``events.match`` and ``events.places``."""

    match: EventMatchConfig = Field(default_factory=EventMatchConfig)
    places: EventPlacesConfig = Field(default_factory=EventPlacesConfig)
