"""The write path's alerting rules, on both databases: background, age, seed, min_sources, updates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from crawler.analysis.events.classifier import EventResult
from crawler.ingest import AlertPolicy, IngestPlan, write
from storage import stories
from storage.articles import ArticleRecord
from storage.db import transaction, utcnow
from storage.models import Alert, Article, Delivery, Event
from storage.sources import SourceSpec, sync_sources

NOW = utcnow()
CLASH = EventResult(
    kind="new_clash",
    subtype="border_clash",
    evidence="Troops exchanged fire at the crossing overnight.",
    score=1.0,
    event_date=NOW.date(),
    fields={"places": ["Chaman"], "casualties": {"pakistan_killed": 2}},
)


def _sources(sessions) -> dict[str, int]:
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec(n, "feed", f"http://{n}.example/feed") for n in ("a", "b", "c")])
        return {name: row.id for name, row in rows.items()}


def _record(
    url: str, source_id: int | None, *, published: datetime | None = None, text: str = "", **kw
) -> ArticleRecord:
    return ArticleRecord(
        url=url,
        title=f"Clash at the crossing {url}",
        text=text or f"Report {url}: troops exchanged fire at the crossing. " * 10,
        source_id=source_id,
        published_at=published or NOW - timedelta(hours=1),
        **kw,
    )


def _ingest(sessions, plan: IngestPlan):
    with transaction(sessions) as session:
        return write(session, plan)


def _policy(**kw) -> AlertPolicy:
    return AlertPolicy(channels=["email", "webhook"], **kw)


def test_an_event_alerts_once_with_one_delivery_per_channel(sessions) -> None:
    ids = _sources(sessions)
    first = _ingest(sessions, IngestPlan(_record("http://a.example/1", ids["a"]), event=CLASH, policy=_policy()))
    assert first.created and first.story_id is not None and len(first.alert_ids) == 1
    # A later report of the same event: the story's event is updated, no second alert.
    higher = EventResult(**{**CLASH.__dict__, "fields": {"casualties": {"pakistan_killed": 5}, "places": ["Kurram"]}})
    second = _ingest(
        sessions,
        IngestPlan(_record("http://b.example/2", ids["b"]), event=higher, story_hint=first.story_id, policy=_policy()),
    )
    assert second.story_id == first.story_id and second.alert_ids == ()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 1
        assert session.scalar(select(func.count()).select_from(Delivery)) == 2
        event = session.scalar(select(Event))
        assert event.fields["casualties"]["pakistan_killed"] == 5, "the higher figure wins"
        assert set(event.fields["places"]) == {"Chaman", "Kurram"}


def test_background_old_news_and_the_seed_story_never_alert(sessions) -> None:
    ids = _sources(sessions)
    seed_day = date(2025, 11, 6)
    before_seed = datetime(2025, 10, 12, 9, 0, tzinfo=UTC)
    background = _ingest(
        sessions,
        IngestPlan(
            _record("http://a.example/old", ids["a"], published=before_seed),
            event=CLASH,
            policy=_policy(max_age=None, seed_published=seed_day),
        ),
    )
    assert background.event_id is not None and background.alert_ids == ()
    stale = _ingest(
        sessions,
        IngestPlan(
            _record("http://a.example/stale", ids["a"], published=NOW - timedelta(days=3)),
            event=CLASH,
            policy=_policy(max_age=timedelta(days=2)),
        ),
    )
    assert stale.event_id is not None and stale.alert_ids == ()
    seed = _ingest(sessions, IngestPlan(_record("seed:x.txt", None, is_seed=True), policy=_policy()))
    joined = _ingest(
        sessions,
        IngestPlan(_record("http://b.example/x", ids["b"]), event=CLASH, story_hint=seed.story_id, policy=_policy()),
    )
    assert joined.story_id == seed.story_id and joined.alert_ids == (), "the seed's story is known to the user"


def test_min_sources_counts_syndicated_copies_once(sessions) -> None:
    ids = _sources(sessions)
    policy = _policy(min_sources=2)
    first = _ingest(sessions, IngestPlan(_record("http://a.example/1", ids["a"]), event=CLASH, policy=policy))
    assert first.alert_ids == ()
    copy = _record("http://b.example/copy", ids["b"], text="A different body so the hash differs. " * 10)
    copy.duplicate_of = first.article_id
    syndicated = _ingest(sessions, IngestPlan(copy, event=CLASH, policy=policy))
    assert syndicated.story_id == first.story_id and syndicated.alert_ids == (), "a copy is not a second outlet"
    own = _ingest(
        sessions,
        IngestPlan(_record("http://c.example/own", ids["c"]), event=CLASH, story_hint=first.story_id, policy=policy),
    )
    assert len(own.alert_ids) == 1, "two independent outlets: the alert goes out"


def test_off_topic_articles_are_remembered_but_join_no_story(sessions) -> None:
    ids = _sources(sessions)
    result = _ingest(
        sessions,
        IngestPlan(_record("http://a.example/cricket", ids["a"]), relevant=False, event=CLASH, policy=_policy()),
    )
    assert result.created and result.story_id is None and result.alert_ids == ()
    with sessions() as session:
        article = session.get(Article, result.article_id)
        assert article is not None and article.relevant is False and article.story_id is None
        assert session.scalar(select(func.count()).select_from(Event)) == 0


def test_a_hint_to_a_story_merged_since_joins_the_story_it_became(sessions) -> None:
    """A cluster worker's clusterer may hint a story another worker has merged away since.

    The report joins the surviving story, never the merged one (which lists, feeds and the
    clusterer rebuild all skip).
    """
    ids = _sources(sessions)
    older = _ingest(sessions, IngestPlan(_record("http://a.example/p1", ids["a"]), policy=_policy()))
    newer = _ingest(sessions, IngestPlan(_record("http://b.example/p2", ids["b"]), policy=_policy()))
    assert older.story_id is not None and newer.story_id is not None and older.story_id != newer.story_id
    with transaction(sessions) as session:
        stories.merge_stories(session, older.story_id, newer.story_id)
    late = _ingest(
        sessions,
        IngestPlan(_record("http://c.example/p3", ids["c"]), story_hint=newer.story_id, policy=_policy()),
    )
    assert late.story_id == older.story_id
    with sessions() as session:
        article = session.get(Article, late.article_id)
        assert article is not None and article.story_id == older.story_id


def test_the_copy_published_first_is_the_original_whatever_the_arrival_order(sessions) -> None:
    """The crawl found the republished copy first; the outlet that published first is the original."""
    ids = _sources(sessions)
    republished = _ingest(
        sessions, IngestPlan(_record("http://a.example/1", ids["a"], published=NOW - timedelta(hours=1)), event=CLASH)
    )
    first_published = _record(
        "http://b.example/wire", ids["b"], published=NOW - timedelta(hours=3), text="The wire's body. " * 10
    )
    first_published.duplicate_of, first_published.duplicate_score = republished.article_id, 0.9
    first_published.duplicate_method = "minhash"
    wire = _ingest(sessions, IngestPlan(first_published, event=CLASH))
    late = _record("http://c.example/2", ids["c"], published=NOW, text="A third copy of the wire. " * 10)
    late.duplicate_of = republished.article_id  # the index may match any copy: it points at the original
    third = _ingest(sessions, IngestPlan(late, event=CLASH))
    assert wire.story_id == third.story_id == republished.story_id, "copies share their original's story"
    with sessions() as session:
        rows = {a.id: a for a in session.scalars(select(Article))}
        assert rows[wire.article_id].duplicate_of is None and rows[wire.article_id].duplicate_score is None
        assert rows[republished.article_id].duplicate_of == wire.article_id
        assert (rows[republished.article_id].duplicate_score, rows[republished.article_id].duplicate_method) == (
            0.9,
            "minhash",
        )
        assert rows[third.article_id].duplicate_of == wire.article_id
        [story] = stories.list_stories(session, story_id=wire.story_id)
        assert story.outlets == ["b"] and story.copies == 2
