"""A story merged into an older one (one event found in both) keeps resolving: API, dashboard, CLI."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from storage.articles import ArticleRecord, store_article
from storage.db import transaction
from storage.models import Article, Event, Source, Story
from storage.stories import attach, merge_stories, resolve
from tests.alertdata import T0
from tests.conftest import run_cli
from tests.eventrows import folded_event


def _second_story(sessions, archive) -> int:
    """A second story of the agreement (another outlet's report), merged into the first."""
    with transaction(sessions) as session:
        source = session.scalar(select(Source.id).where(Source.name == "dawn"))
        article = store_article(
            session,
            ArticleRecord(
                url="https://dawn.example/truce-extended",
                title="Truce extended after Istanbul talks",
                text="Both sides said the truce stays in place after the talks in Istanbul. " * 5,
                source_id=source,
                language="en",
                published_at=T0 + timedelta(hours=3),
            ),
        ).article_id
        story = attach(session, article, None, title="Truce extended after Istanbul talks", when=T0)
    with transaction(sessions) as session:
        merge_stories(session, archive.agreement_story, story)
    return story


def test_merge_moves_articles_and_keeps_the_old_id_resolving(sessions, archive):
    old = _second_story(sessions, archive)
    with sessions() as session:
        assert resolve(session, old) == archive.agreement_story
        assert resolve(session, archive.agreement_story) == archive.agreement_story
        assert session.get(Story, old).merged_into == archive.agreement_story
        moved = session.scalar(select(Article.story_id).where(Article.url == "https://dawn.example/truce-extended"))
        assert moved == archive.agreement_story
        assert resolve(session, 999_999) is None


def test_api_and_dashboard_redirect_a_merged_story(client, sessions, archive):
    old = _second_story(sessions, archive)
    api = client.get(f"/api/stories/{old}")
    assert api.status_code == 308
    assert api.headers["location"].endswith(f"/api/stories/{archive.agreement_story}")
    followed = client.get(f"/api/stories/{old}", follow_redirects=True).json()
    assert followed["id"] == archive.agreement_story
    assert "https://dawn.example/truce-extended" in [a["url"] for a in followed["articles"]]
    page = client.get(f"/stories/{old}")
    assert page.status_code == 308 and page.headers["location"].endswith(f"/stories/{archive.agreement_story}")
    listed = [s["id"] for s in client.get("/api/stories").json()]
    assert old not in listed and archive.agreement_story in listed


def test_cli_stories_finds_the_surviving_story(config_path, sessions, archive):
    old = _second_story(sessions, archive)
    result = run_cli("stories", "--story", str(old), "--format", "json", config=config_path)
    assert result.returncode == 0, result.stderr
    [row] = json.loads(result.stdout)
    assert row["id"] == archive.agreement_story


def test_search_by_a_merged_story_finds_the_surviving_storys_articles(config_path, client, sessions, archive):
    old = _second_story(sessions, archive)
    moved = "https://dawn.example/truce-extended"
    # The CLI: the old id is known (not "story not found") and finds the articles it had and the survivor's.
    result = run_cli("search", "--story", str(old), "--format", "json", config=config_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert moved in [r["url"] for r in rows]
    assert {r["story_id"] for r in rows} == {archive.agreement_story}
    assert len(rows) == len(client.get(f"/api/articles?story={archive.agreement_story}").json())
    # The API and the dashboard's search take the same filter.
    api = client.get(f"/api/articles?story={old}")
    assert api.status_code == 200
    assert moved in [a["url"] for a in api.json()]
    assert moved in client.get(f"/search?story={old}").text
    # With words too (the full-text path).
    worded = run_cli("search", "truce", "--story", str(old), "--format", "json", config=config_path)
    assert worded.returncode == 0, worded.stderr
    assert [r["url"] for r in json.loads(worded.stdout)] == [moved]


def test_a_story_shows_the_event_its_folded_event_became(client, sessions, archive):
    """A story whose report of the clash was folded into the clash story's event reports that clash."""
    with transaction(sessions) as session:
        clash = session.scalars(select(Event).where(Event.story_id == archive.clash_story)).one()
        article = session.scalar(select(Article.id).where(Article.story_id == archive.agreement_story).limit(1))
        session.add(
            folded_event(
                clash, story_id=archive.agreement_story, article_id=article, evidence="A folded report of the clash."
            )
        )
    story = client.get(f"/api/stories/{archive.agreement_story}").json()
    assert [(e["kind"], e["subtype"]) for e in story["events"]] == [
        ("talks_outcome", "agreement"),
        ("new_clash", "border_clash"),
    ]
    assert "A folded report" not in client.get(f"/stories/{archive.agreement_story}").text
