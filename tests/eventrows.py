"""Test helper: an event row folded into another, as :func:`storage.events.fold_event` leaves it."""

from __future__ import annotations

from storage.models import Event


def folded_event(survivor: Event, *, story_id: int, article_id: int, evidence: str) -> Event:
    """An event of ``article_id`` in ``story_id`` folded into ``survivor``: same kind and date, another subtype."""
    return Event(
        story_id=story_id,
        article_id=article_id,
        kind=survivor.kind,
        subtype="armed_clash",
        event_date=survivor.event_date,
        evidence=evidence,
        fields={},
        created_at=survivor.created_at,
        updated_at=survivor.updated_at,
        merged_into=survivor.id,
    )
