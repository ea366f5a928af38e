"""A story whose alert was triggered by a later report than the first one, with a syndicated copy.

Three outlets: tolo published first (two hours before), dawn's report triggered the alert,
and geo ran a copy of dawn's (``duplicate_of``) and its feed carries dawn's article too. The
story reports a clash first and then a talks outcome, so it has two events of two kinds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage.alerts import create_alert
from storage.articles import ArticleRecord, add_sightings, store_article
from storage.models import Event
from storage.sources import SourceSpec, sync_sources
from storage.stories import attach

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
FIRST = "tolo"
COVERAGE = "2 articles from 2 outlets, +1 copy"


def make_covered_story(session, *, channels: list[str] | None = None) -> tuple[int, int]:
    """Store the story; returns (story_id, alert_id)."""
    sources = sync_sources(
        session,
        [SourceSpec(name, "feed", f"https://{name}.example/rss") for name in ("tolo", "dawn", "geo")],
    )

    def article(name: str, minutes: int, duplicate_of: int | None = None) -> int:
        return store_article(
            session,
            ArticleRecord(
                url=f"https://{name}.example/clash",
                title=f"{name.capitalize()}: troops exchange fire at Chaman",
                text=f"{name} report: Pakistani and Afghan troops exchanged fire at Chaman overnight. " * 4,
                source_id=sources[name].id,
                published_at=T0 + timedelta(minutes=minutes),
                duplicate_of=duplicate_of,
                language="en",
            ),
        ).article_id

    trigger = article("dawn", 0)
    first = article("tolo", -120)
    copy = article("geo", 10, duplicate_of=trigger)
    add_sightings(session, ["https://dawn.example/clash"], sources["geo"].id)
    story_id = attach(session, trigger, None, title="Troops exchange fire at Chaman", when=T0)
    for article_id in (first, copy):
        attach(session, article_id, story_id, title="Troops exchange fire at Chaman", when=T0)
    events = []
    for kind, subtype in (("new_clash", "border_clash"), ("talks_outcome", "no_agreement")):
        event = Event(
            story_id=story_id,
            article_id=trigger,
            kind=kind,
            subtype=subtype,
            event_date=T0,
            evidence="Pakistani and Afghan troops exchanged fire at Chaman overnight.",
            fields={"places": ["Chaman"]},
            created_at=T0,
            updated_at=T0,
        )
        session.add(event)
        session.flush()
        events.append(event)
    alert = create_alert(
        session,
        story_id=story_id,
        kind="new_clash",
        subtype="border_clash",
        article_id=trigger,
        event_id=events[0].id,
        channels=channels or [],
        now=T0 + timedelta(minutes=20),
    )
    assert alert is not None
    return story_id, alert.id
