"""Coverage counted once for every surface: first reported by, outlets of independent reports, copies;
and one kind per story for /stories and search alike. Both databases."""

from __future__ import annotations

from storage.alerts import alert_view
from storage.coverage import counted
from storage.db import transaction
from storage.search import search
from storage.search.base import SearchFilters
from storage.stories import list_stories
from tests.coveragedata import COVERAGE, FIRST, make_covered_story


def test_counted_never_has_more_outlets_than_articles():
    assert counted(4, 4, 1) == "4 articles from 4 outlets, +1 copy"
    assert counted(1, 1, 0) == "1 article from 1 outlet"
    assert counted(2, 0, 3) == "2 articles, +3 copies"


def test_the_alert_names_the_first_outlet_and_counts_copies_apart(sessions):
    with transaction(sessions) as session:
        _story, alert_id = make_covered_story(session)
    with transaction(sessions) as session:
        view = alert_view(session, alert_id)
    assert view["source"] == "dawn"  # the triggering report (the documented field)
    assert view["first_report"]["source"] == FIRST
    assert view["first_report"]["url"] == "https://tolo.example/clash"
    assert (view["outlets"], view["copies"], view["coverage"]) == (["dawn", "tolo"], 1, COVERAGE)


def test_stories_and_search_show_the_same_kind_for_a_story(sessions):
    with transaction(sessions) as session:
        story_id, _alert = make_covered_story(session)
    with transaction(sessions) as session:
        (story,) = list_stories(session, story_id=story_id)
        hits = search(session, SearchFilters(story_id=story_id))
    assert story.event_kind == "new_clash"  # its first event's kind
    assert {hit.event_kind for hit in hits} == {"new_clash"}
    assert (story.outlets, story.copies) == (["dawn", "tolo"], 1)
