"""The regrouping pass reads the window cheaply: ids after every poll, texts only for new articles.

The merge pass runs after every poll; a window as the previous pass left it must cost one
query that reads no title or text, and a window with one new article must read that
article's text alone, with the same features (so the same merges) as a pass that read all.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, select, update

from core.configfile import load_config
from crawler.events.identity_eval import ROOT
from crawler.events.replay import FILES, _when, analyse, load, replay
from crawler.stories.assigner import StoryAssigner
from crawler.stories.merge import merge_pass
from crawler.stories.regroup import regroup
from storage import story_window
from storage.db import make_engine, make_sessionmaker, utcnow
from storage.models import Article

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Engine


@pytest.fixture(scope="module")
def labeled() -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    """The first 40 articles of the labeled Pakistan set (published order) and their analyses."""
    config = load_config(ROOT / "config.yaml", env={})
    articles = sorted(load(FILES), key=lambda a: (_when(a["published"]), a["id"]))[:40]
    return config, articles, analyse(articles, config)


@pytest.fixture
def stored(db_url: str, labeled: tuple[Any, list[dict[str, Any]], dict[str, Any]]) -> Iterator[Engine]:
    """The articles replayed through the write path (no regrouping yet); an engine on them."""
    config, articles, analyses = labeled
    replay(db_url, articles, analyses, config, regroup=False)
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _values(parameters: Any) -> list[Any]:
    """The bound values of one statement: a tuple on SQLite, a dict on PostgreSQL."""
    return list(parameters.values()) if isinstance(parameters, dict) else list(parameters)


def test_an_unchanged_window_reads_no_text_and_a_new_article_only_its_own(stored, labeled) -> None:
    config, articles, _ = labeled
    horizon = utcnow() - min(_when(a["published"]) for a in articles) + timedelta(days=1)
    executed: list[tuple[str, list[Any]]] = []
    event.listen(stored, "before_cursor_execute", lambda c, cur, s, p, ctx, many: executed.append((s, _values(p))))
    sessions = make_sessionmaker(stored)
    with sessions() as session:
        window = story_window.window_placement(session, utcnow() - horizon)
        assert len(window) >= 30
        late = window[len(window) // 2]
        # The article arrives later: out of every story until the third pass.
        session.execute(update(Article).where(Article.id == late.article_id).values(story_id=None))
        session.commit()

    def read_texts() -> list[list[Any]]:
        return [values for statement, values in executed if "articles.text" in statement]

    assigner = StoryAssigner(config.topic, config.stories, config.events)
    with sessions() as session:
        regroup(session, assigner, utcnow(), horizon)
        session.commit()
    assert sum(len(ids) for ids in read_texts()) == len(window) - 1  # the first pass reads every text once
    executed.clear()
    with sessions() as session:
        assert regroup(session, assigner, utcnow(), horizon) == []
    assert len(executed) == 1
    assert read_texts() == []
    with sessions() as session:
        session.execute(update(Article).where(Article.id == late.article_id).values(story_id=late.story_id))
        session.commit()
    executed.clear()
    # The same merges and features as a pass that reads every text (a fresh assigner).
    fresh = StoryAssigner(config.topic, config.stories, config.events)
    with sessions() as session:
        expected = regroup(session, fresh, utcnow(), horizon)
        session.rollback()
    executed.clear()
    with sessions() as session:
        assert regroup(session, assigner, utcnow(), horizon) == expected
        session.commit()
    assert read_texts() == [[late.article_id]]
    for row in window:
        assert assigner.cached_features(row.article_id) == fresh.cached_features(row.article_id)


# --- the event kind stored at ingest ---------------------------------------------------------


def test_the_write_path_stores_the_event_kind_its_story_features_carried(stored, labeled) -> None:
    _, articles, analyses = labeled
    with make_sessionmaker(stored)() as session:
        kinds = {url: kind for url, kind in session.execute(select(Article.url, Article.event_kind))}
    expected = {}
    for article in articles:
        features = analyses[article["id"]].features
        expected[f"https://example.org/{article['id']}"] = None if features is None else features.event_kind or ""
    assert kinds == expected
    assert {"talks_outcome", "new_clash", ""} <= set(kinds.values())


def test_a_fresh_assigner_classifies_only_articles_stored_without_a_kind(stored, labeled) -> None:
    config, articles, _ = labeled
    horizon = utcnow() - min(_when(a["published"]) for a in articles) + timedelta(days=1)
    sessions = make_sessionmaker(stored)
    after_restart = StoryAssigner(config.topic, config.stories, config.events)
    with sessions() as session:
        regroup(session, after_restart, utcnow(), horizon)
        session.rollback()
        window = story_window.window_placement(session, utcnow() - horizon)
        # The copies of relevant originals that were not relevant themselves have no story
        # features of their own (no stored kind): only they are read again.
        unknown = session.scalars(select(Article.id).where(Article.event_kind.is_(None), Article.story_id.is_not(None)))
        assert after_restart.classified == len(list(unknown))
        assert after_restart.classified < len(window) // 4
        # An article stored before the kind was (migration 0013): classified, with the same kind.
        told = next(r for r in window if after_restart.cached_features(r.article_id).event_kind)  # type: ignore[union-attr]
        session.execute(update(Article).where(Article.id == told.article_id).values(event_kind=None))
        older = StoryAssigner(config.topic, config.stories, config.events)
        regroup(session, older, utcnow(), horizon)
        session.rollback()
    assert older.classified == after_restart.classified + 1
    assert older.cached_features(told.article_id) == after_restart.cached_features(told.article_id)


def test_the_regrouping_keeps_the_kind_read_in_the_outlets_time_zone(db_url) -> None:
    """Early on a Saturday in Pakistan it is Friday in UTC: "on Saturday" is the day of publication.

    Read again against the stored UTC time, "Saturday" was a week before publication (a
    recap: no event), and the regrouping clustered the report as telling none.
    """
    config = load_config(ROOT / "config.yaml", env={})
    published = datetime(2025, 11, 8, 2, 30, tzinfo=timezone(timedelta(hours=5)))
    article = {
        "id": "saturday",
        "outlet": "dawn",
        "published": published,
        "language": "en",
        "title": "Islamabad reacts",
        "text": "Pakistani and Afghan negotiators failed to reach an agreement in Istanbul on Saturday, "
        "the foreign office said. Talks ended.",
    }
    analyses = analyse([article], config)
    assert analyses["saturday"].features is not None
    assert analyses["saturday"].features.event_kind == "talks_outcome"
    replay(db_url, [article], analyses, config, regroup=False)
    engine = make_engine(db_url)
    try:
        assigner = StoryAssigner(config.topic, config.stories, config.events)
        with make_sessionmaker(engine)() as session:
            regroup(session, assigner, utcnow(), utcnow() - published + timedelta(days=1))
            (row,) = story_window.window_placement(session, published - timedelta(days=1))
    finally:
        engine.dispose()
    features = assigner.cached_features(row.article_id)
    assert features is not None
    assert features.event_kind == "talks_outcome"
    assert assigner.classified == 0


# --- stories.regroup_windows -----------------------------------------------------------------


@pytest.mark.parametrize("windows", [1, 4])
def test_the_merge_pass_regroups_the_configured_number_of_story_windows(stored, labeled, windows) -> None:
    config, articles, _ = labeled
    stories = config.stories.model_copy(update={"window": timedelta(days=1), "regroup_windows": windows})
    assigner = StoryAssigner(config.topic, stories, config.events)
    now = max(_when(a["published"]) for a in articles)
    with make_sessionmaker(stored)() as session:
        merge_pass(session, assigner, now)
        session.rollback()
        expected = story_window.window_placement(session, now - timedelta(days=windows))
        default = story_window.window_placement(session, now - timedelta(days=2))
    assert expected and len(expected) != len(default)  # what the constant 2 regrouped
    assert sorted(a for a, _ in assigner.regrouped) == sorted(p.article_id for p in expected)
