"""The regrouping pass reads the window cheaply: ids after every poll, texts only for new articles.

The merge pass runs after every poll; a window as the previous pass left it must cost one
query that reads no title or text, and a window with one new article must read that
article's text alone, with the same features (so the same merges) as a pass that read all.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import event, update

from core.configfile import load_config
from crawler.events.identity_eval import ROOT
from crawler.events.replay import FILES, _when, analyse, load, replay
from crawler.stories.assigner import StoryAssigner
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
