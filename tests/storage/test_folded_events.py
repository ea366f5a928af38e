"""An event folded into another (events.merged_into) counts as that one wherever a story's events are read.

The archive below holds the states a fold can leave, whichever event survives and wherever it
lives: a story whose older event was folded into a newer one of the same story, and a story
whose clash was folded into a clash told by another story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from storage import digests
from storage.articles import ArticleRecord, store_article
from storage.db import transaction, utcnow
from storage.models import Event
from storage.search import SearchFilters, search
from storage.sources import SourceSpec, sync_sources
from storage.stories import attach, list_stories, reported_events
from tests.alertdata import T0


@dataclass(frozen=True)
class Folded:
    """Stories and events of the archive."""

    talks: int  # story: "stalled" (E1) folded into "collapsed" (E2)
    mixed: int  # story: a clash folded into the clash story's (E3 -> E5) and its own talks event (E4)
    clash: int  # story: the clash (E5)
    stalled: int
    collapsed: int
    mixed_talks: int
    clash_event: int


def _event(session, story_id: int, article_id: int, kind: str, subtype: str, evidence: str) -> Event:
    event = Event(
        story_id=story_id,
        article_id=article_id,
        kind=kind,
        subtype=subtype,
        event_date=T0,
        evidence=evidence,
        fields={"parties": ["Pakistan", "Afghanistan"]},
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def _fill(sessions) -> Folded:
    with transaction(sessions) as session:
        sources = sync_sources(session, [SourceSpec(n, "feed", f"https://{n}.example/feed") for n in ("dawn", "geo")])
        stories = {}
        articles = {}
        for slug, source in (("talks", "dawn"), ("talks-2", "geo"), ("mixed", "dawn"), ("clash", "geo")):
            articles[slug] = store_article(
                session,
                ArticleRecord(
                    url=f"https://news.example/{slug}",
                    title=f"Report {slug}",
                    text=f"Report {slug} on the talks and the border. " * 5,
                    source_id=sources[source].id,
                    published_at=T0,
                ),
            ).article_id
            story = stories.get(slug.split("-")[0])
            stories[slug.split("-")[0]] = attach(session, articles[slug], story, title=f"Report {slug}", when=T0)
        e1 = _event(session, stories["talks"], articles["talks"], "talks_outcome", "stalled", "The talks stalled.")
        e2 = _event(session, stories["talks"], articles["talks-2"], "talks_outcome", "collapsed", "Talks collapsed.")
        e3 = _event(session, stories["mixed"], articles["mixed"], "new_clash", "border_clash", "Forces traded fire.")
        e4 = _event(session, stories["mixed"], articles["mixed"], "talks_outcome", "agreement", "They agreed.")
        e5 = _event(session, stories["clash"], articles["clash"], "new_clash", "border_clash", "Fire at Chaman.")
        e1.merged_into = e2.id
        e3.merged_into = e5.id
        session.flush()
        return Folded(stories["talks"], stories["mixed"], stories["clash"], e1.id, e2.id, e4.id, e5.id)


def test_a_story_reports_the_events_its_folded_events_became(sessions):
    folded = _fill(sessions)
    with sessions() as session:
        reported = reported_events(session, [folded.talks, folded.mixed, folded.clash])
        ids = {story: [e.id for e in events] for story, events in reported.items()}
        assert ids == {
            folded.talks: [folded.collapsed],
            folded.mixed: [folded.mixed_talks, folded.clash_event],
            folded.clash: [folded.clash_event],
        }


def test_stories_and_search_show_one_kind_per_story(sessions):
    folded = _fill(sessions)
    with sessions() as session:
        listed = {s.id: s for s in list_stories(session)}
        assert (listed[folded.talks].event_kind, listed[folded.talks].event_subtype) == ("talks_outcome", "collapsed")
        found = search(session, SearchFilters(limit=50))
        kinds = {row.story_id: row.event_kind for row in found}
        assert kinds == {story_id: row.event_kind for story_id, row in listed.items()}
        assert kinds[folded.mixed] == "talks_outcome"

        def stories_of(kind: str) -> set[int | None]:
            return {row.story_id for row in search(session, SearchFilters(kind=kind, limit=50))}

        # The mixed story reports the clash its folded event became; the talks story one talks event.
        assert stories_of("new_clash") == {folded.mixed, folded.clash}
        assert stories_of("talks_outcome") == {folded.talks, folded.mixed}


def test_the_digest_reads_a_storys_surviving_events(sessions):
    folded = _fill(sessions)
    with sessions() as session:
        period = {
            s.id: s
            for s in digests.period_stories(session, utcnow() - timedelta(hours=1), utcnow() + timedelta(seconds=1))
        }
        talks = period[folded.talks]
        assert talks.kinds == ["talks_outcome"]
        # The event as it stands after the fold, not the report folded into it.
        assert (talks.subtype, talks.evidence) == ("collapsed", "Talks collapsed.")
        mixed = period[folded.mixed]
        assert mixed.kinds == ["talks_outcome", "new_clash"] and mixed.kind == "talks_outcome"
        assert mixed.subtype == "agreement"
