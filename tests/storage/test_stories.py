"""Stories: attaching articles, finding an article's story, rebuilding and listing stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import NoResultFound

from storage.articles import ArticleRecord, add_sightings, store_article
from storage.cluster import members_after
from storage.db import transaction, utcnow
from storage.models import Article, Story
from storage.sources import SourceSpec, sync_sources
from storage.stories import Member, attach, list_stories, recent_members, story_of

T0 = datetime(2025, 11, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def source_ids(sessions) -> dict[str, int]:
    with transaction(sessions) as session:
        rows = sync_sources(
            session,
            [
                SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home"),
                SourceSpec("tribune", "feed", "https://tribune.com.pk/feed/home"),
                SourceSpec("geo", "listing", "https://www.geo.tv/latest-news"),
            ],
        )
        return {name: row.id for name, row in rows.items()}


def _store(session, name: str, *, source_id: int | None = None, **kwargs) -> int:
    kwargs.setdefault("title", f"Headline {name}")
    kwargs.setdefault("text", f"Body of article {name}, long enough to be its own content. " * 5)
    record = ArticleRecord(url=f"https://example.com/{name}", source_id=source_id, **kwargs)
    return store_article(session, record).article_id


def test_attach_creates_a_story_then_joins_it(sessions):
    before = utcnow()
    with transaction(sessions) as session:
        first, second, loose = (_store(session, n) for n in ("a", "b", "c"))
        story_id = attach(session, first, None, title="Talks end without deal", when=T0)
        assert attach(session, second, story_id, title="Ignored headline", when=T0) == story_id
    with transaction(sessions) as session:
        story = session.get_one(Story, story_id)
        assert story.title == "Talks end without deal"  # the first article's headline
        assert before <= story.first_seen_at <= story.updated_at
        assert story_of(session, first) == story_of(session, second) == story_id
        assert story_of(session, loose) is None
        assert story_of(session, 999_999) is None
        # Another new story gets another id.
        assert attach(session, loose, None, title="x" * 600, when=T0) != story_id
        assert len(session.get_one(Story, story_of(session, loose)).title) == 500


def test_attach_touches_the_story(sessions):
    with transaction(sessions) as session:
        first, second = _store(session, "a"), _store(session, "b")
        story_id = attach(session, first, None, title="Talks", when=T0)
        story = session.get_one(Story, story_id)
        story.updated_at = story.first_seen_at = T0
    before = utcnow()
    with transaction(sessions) as session:
        attach(session, second, story_id, title="Talks", when=T0)
    with transaction(sessions) as session:
        story = session.get_one(Story, story_id)
        assert story.first_seen_at == T0
        assert story.updated_at >= before


def test_attach_updates_rows_the_session_already_holds(sessions):
    with transaction(sessions) as session:
        first, second = _store(session, "a"), _store(session, "b")
        story_id = attach(session, first, None, title="Talks", when=T0)
        story = session.get_one(Story, story_id)
        story.updated_at = T0
        session.flush()
        article = session.get_one(Article, second)
        before = utcnow()
        attach(session, second, story_id, title="Talks", when=T0)
        # The objects loaded before see the new values without a refresh.
        assert article.story_id == story_id
        assert story.updated_at >= before


def test_attach_to_a_missing_story_raises(sessions):
    with transaction(sessions) as session:
        article_id = _store(session, "a")
        with pytest.raises(NoResultFound):
            attach(session, article_id, 999_999, title="Talks", when=T0)
        assert story_of(session, article_id) is None


def test_recent_members_lists_active_stories_in_time_order(sessions):
    with transaction(sessions) as session:
        late = _store(session, "late", published_at=T0 + timedelta(hours=2), language="en")
        # No published time: its fetch time counts.
        unpublished = _store(session, "unpublished", fetched_at=T0 + timedelta(hours=1), language="ur")
        early = _store(session, "early", published_at=T0, title="Early", text="Early body")
        old = _store(session, "old", published_at=T0 - timedelta(days=30))
        active = attach(session, late, None, title="Active", when=T0)
        attach(session, unpublished, active, title="Active", when=T0)
        attach(session, early, active, title="Active", when=T0)
        idle = attach(session, old, None, title="Idle", when=T0)
        session.get_one(Story, idle).updated_at = T0 - timedelta(days=20)
        session.get_one(Story, active).updated_at = T0
        _store(session, "loose", published_at=T0)  # in no story

    with transaction(sessions) as session:
        members = recent_members(session, T0 - timedelta(days=1))
        assert [m.article_id for m in members] == [early, unpublished, late]
        assert {m.story_id for m in members} == {active}
        assert members[0].title == "Early" and members[0].text == "Early body"
        assert members[0].when == T0
        assert members[1].when == T0 + timedelta(hours=1)
        assert [m.language for m in members] == [None, "ur", "en"]

        everything = recent_members(session, T0 - timedelta(days=21))
        assert [m.article_id for m in everything] == [old, early, unpublished, late]
        assert recent_members(session, T0 + timedelta(seconds=1)) == []


def test_cluster_catch_up_reads_the_same_members_as_the_clusterer_start(sessions):
    """One member query: a cluster worker catching up learns what a restart learns, as one row type."""
    with transaction(sessions) as session:
        seed = _store(session, "seed", published_at=T0, is_seed=True, language="en")
        report = _store(session, "report", fetched_at=T0 + timedelta(hours=1), language="ps")
        _store(session, "loose", published_at=T0)  # in no story: no member
        story = attach(session, seed, None, title="Seed", when=T0)
        attach(session, report, story, title="Seed", when=T0)
    with transaction(sessions) as session:
        caught_up = members_after(session, 0)
        restarted = recent_members(session, T0 - timedelta(days=1))
        assert [type(m) for m in caught_up] == [Member, Member]
        assert caught_up == sorted(restarted, key=lambda m: m.article_id)
        assert [(m.article_id, m.is_seed, m.language) for m in caught_up] == [(seed, True, "en"), (report, False, "ps")]
        assert members_after(session, seed) == caught_up[1:]
        assert members_after(session, 0, upto=seed) == caught_up[:1]


def test_list_stories_newest_first_with_articles_in_time_order_and_outlets(sessions, source_ids):
    with transaction(sessions) as session:
        dawn_piece = _store(
            session, "dawn", source_id=source_ids["dawn"], published_at=T0 + timedelta(hours=1), language="en"
        )
        tribune_piece = _store(session, "tribune", source_id=source_ids["tribune"], published_at=T0, language="ur")
        older = attach(session, dawn_piece, None, title="Ceasefire extended", when=T0)
        attach(session, tribune_piece, older, title="Ceasefire extended", when=T0)
        # Geo's feed carries the Dawn article too: neither a second article nor an outlet of
        # the story (outlets are of independent reports; "2 articles from 3 outlets" misleads).
        add_sightings(session, ["https://example.com/dawn"], source_ids["geo"])
        session.get_one(Story, older).first_seen_at = session.get_one(Story, older).updated_at = T0

        clash = _store(session, "clash", source_id=source_ids["geo"], published_at=T0 + timedelta(days=1))
        newer = attach(session, clash, None, title="Clash at Chaman", when=T0)
        session.get_one(Story, newer).first_seen_at = T0 + timedelta(days=1)

    with transaction(sessions) as session:
        rows = list_stories(session)
        assert [r.id for r in rows] == [newer, older]
        listed = rows[1]
        assert listed.title == "Ceasefire extended"
        assert [a.id for a in listed.articles] == [tribune_piece, dawn_piece]
        assert [a.source for a in listed.articles] == ["tribune", "dawn"]
        assert listed.articles[0].published == T0
        assert listed.outlets == ["dawn", "tribune"] and listed.copies == 0
        assert listed.languages == ["ur", "en"]
        assert (listed.event_kind, listed.event_subtype) == (None, None)
        assert rows[0].outlets == ["geo"] and [a.id for a in rows[0].articles] == [clash]

        assert [r.id for r in list_stories(session, limit=1)] == [newer]
        assert [r.id for r in list_stories(session, story_id=older)] == [older]
        assert [r.id for r in list_stories(session, since=T0 + timedelta(hours=1))] == [newer]
        assert list_stories(session, since=utcnow() + timedelta(days=1)) == []
