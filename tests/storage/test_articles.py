"""Storing articles once (URL, alias, GUID, content hash), sightings, known URLs, search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage.articles import (
    ArticleRecord,
    SearchFilters,
    StoreResult,
    content_hash,
    count_articles,
    known_urls,
    search,
    store_article,
)
from storage.db import transaction
from storage.models import Article, ArticleSighting, Event, Story
from storage.search.query import QueryError
from storage.sources import SourceSpec, sync_sources

BODY = (
    "ISTANBUL: Pakistan and Afghanistan agreed to extend the ceasefire after a third round of talks "
    "mediated by Türkiye and Qatar, officials said on Friday, adding that a monitoring mechanism "
    "would be worked out at the next meeting later this month."
)
URDU_BODY = (
    "استنبول: پاکستان اور افغانستان کے درمیان مذاکرات کا تیسرا دور شروع ہو گیا، ترکیہ اور قطر ثالثی کر "
    "رہے ہیں۔ طالبان حکومت کے وفد نے جنگ بندی میں توسیع پر آمادگی ظاہر کی ہے۔"
)
T0 = datetime(2025, 11, 6, 12, 0, tzinfo=UTC)


def _record(url: str, *, source_id: int | None = None, **kwargs) -> ArticleRecord:
    kwargs.setdefault("title", "Pakistan, Afghanistan extend ceasefire")
    kwargs.setdefault("text", BODY)
    return ArticleRecord(url=url, source_id=source_id, **kwargs)


@pytest.fixture
def source_ids(sessions) -> dict[str, int]:
    with transaction(sessions) as session:
        rows = sync_sources(
            session,
            [
                SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home"),
                SourceSpec("tribune", "feed", "https://tribune.com.pk/feed/home"),
                SourceSpec("bbcurdu", "feed", "https://feeds.bbci.co.uk/urdu/rss.xml"),
            ],
        )
        return {name: row.id for name, row in rows.items()}


def _sightings(sessions, article_id: int) -> set[int]:
    with transaction(sessions) as session:
        return set(session.scalars(select(ArticleSighting.source_id).where(ArticleSighting.article_id == article_id)))


def test_new_article_is_created_with_its_urls(sessions, source_ids):
    with transaction(sessions) as session:
        result = store_article(
            session,
            _record("https://dawn.com/news/1", source_id=source_ids["dawn"], aliases=["https://dawn.com/?p=1"]),
        )
    assert result.created and result.matched_by is None
    with transaction(sessions) as session:
        article = session.get_one(Article, result.article_id)
        assert article.url == "https://dawn.com/news/1"
        assert article.content_hash == content_hash(article.title, BODY)
        assert article.fetched_at.tzinfo is not None
        assert known_urls(session, ["https://dawn.com/news/1", "https://dawn.com/?p=1", "https://other"]) == {
            "https://dawn.com/news/1",
            "https://dawn.com/?p=1",
        }
    assert _sightings(sessions, result.article_id) == {source_ids["dawn"]}


def test_every_field_of_the_record_is_stored(sessions, source_ids):
    with transaction(sessions) as session:
        original = store_article(session, _record("https://dawn.com/news/0", source_id=source_ids["dawn"])).article_id
        copy = store_article(
            session,
            _record(
                "https://dawn.com/news/copy", source_id=source_ids["dawn"], duplicate_of=original, text=BODY + " x"
            ),
        ).article_id
    record = _record(
        "https://tribune.com.pk/story/1",
        source_id=source_ids["tribune"],
        fetched_at=T0,
        guid="tribune-1",
        summary="Ceasefire extended.",
        author="Staff Reporter",
        language="en",
        published_at=T0 - timedelta(hours=2),
        published_source="page",
        extraction="feed",
        aliases=["https://tribune.com.pk/?p=1", "https://tribune.com.pk/?p=1"],
        signature=b"\x01\x02\x03\x04",
        shingle_count=42,
        short_text=False,
        duplicate_of=copy,  # a copy of a copy points at the first
        duplicate_score=0.91,
        duplicate_method="minhash-jaccard",
        relevant=True,
        relevance_score=0.75,
        text=BODY + " More.",
    )
    with transaction(sessions) as session:
        result = store_article(session, record)
    with transaction(sessions) as session:
        article = session.get_one(Article, result.article_id)
        stored = {
            name: getattr(article, name)
            for name in (
                "url", "guid", "title", "text", "summary", "author", "language", "published_at",
                "published_source", "fetched_at", "source_id", "extraction", "content_hash", "is_seed",
                "signature", "shingle_count", "short_text", "duplicate_of", "duplicate_score",
                "duplicate_method", "relevant", "relevance_score", "story_id",
            )
        }  # fmt: skip
        assert stored == {
            "url": record.url, "guid": "tribune-1", "title": record.title, "text": BODY + " More.",
            "summary": "Ceasefire extended.", "author": "Staff Reporter", "language": "en",
            "published_at": T0 - timedelta(hours=2), "published_source": "page", "fetched_at": T0,
            "source_id": source_ids["tribune"], "extraction": "feed",
            "content_hash": content_hash(record.title, BODY + " More."), "is_seed": False,
            "signature": b"\x01\x02\x03\x04", "shingle_count": 42, "short_text": False,
            "duplicate_of": original, "duplicate_score": 0.91, "duplicate_method": "minhash-jaccard",
            "relevant": True, "relevance_score": 0.75, "story_id": None,
        }  # fmt: skip
        assert known_urls(session, ["https://tribune.com.pk/story/1", "https://tribune.com.pk/?p=1"]) == {
            "https://tribune.com.pk/story/1",
            "https://tribune.com.pk/?p=1",
        }
        sighting = session.scalars(select(ArticleSighting).where(ArticleSighting.article_id == result.article_id)).one()
        assert (sighting.source_id, sighting.seen_at) == (source_ids["tribune"], T0)


def test_an_article_the_caller_has_not_flushed_yet_counts_as_stored(sessions, source_ids):
    # store_article's lookups are Core statements: the session must still autoflush first.
    with transaction(sessions) as session:
        session.add(
            Article(
                url="https://dawn.com/news/8",
                title="Pending",
                text=BODY,
                content_hash=content_hash("Pending", BODY),
                fetched_at=T0,
            )
        )
        result = store_article(session, _record("https://dawn.com/news/9", source_id=source_ids["dawn"]))
    assert not result.created and result.matched_by == "content_hash"


def test_content_hash_is_unchanged_for_every_kind_of_whitespace():
    # Hashes are stored: the key must stay what re.sub(r"\s+", " ", ...).strip() gave.
    import hashlib
    import re
    import sys
    import unicodedata

    spaces = "".join(chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace())
    assert len(spaces) == 29
    text = f"{spaces} Talks\u00a0END\u2028in\u3000Istanbul\x1c\x85 ﬁnal {spaces}" + BODY + spaces
    key = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()
    assert content_hash("T", text) == hashlib.sha256(key.encode("utf-8")).hexdigest()


def test_same_url_is_stored_once(sessions, source_ids):
    with transaction(sessions) as session:
        first = store_article(session, _record("https://dawn.com/news/1", source_id=source_ids["dawn"]))
        again = store_article(
            session, _record("https://dawn.com/news/1", source_id=source_ids["dawn"], text="changed body " * 30)
        )
    assert not again.created
    assert (again.article_id, again.matched_by) == (first.article_id, "url")
    with transaction(sessions) as session:
        assert count_articles(session) == 1


def test_alias_url_matches_stored_article(sessions, source_ids):
    with transaction(sessions) as session:
        first = store_article(
            session, _record("https://dawn.com/news/1", source_id=source_ids["dawn"], aliases=["https://feeds/x/1"])
        )
        # Another feed links the redirecting URL; its canonical URL is new to us.
        again = store_article(
            session,
            _record(
                "https://dawn.com/news/1/", source_id=source_ids["tribune"], aliases=["https://feeds/x/1"], text="x"
            ),
        )
    assert (again.created, again.article_id, again.matched_by) == (False, first.article_id, "url")
    with transaction(sessions) as session:
        # The new spelling is remembered too, so it is never fetched again.
        assert "https://dawn.com/news/1/" in known_urls(session, ["https://dawn.com/news/1/"])


def test_guid_matches_stored_article(sessions, source_ids):
    with transaction(sessions) as session:
        first = store_article(session, _record("https://dawn.com/news/1", guid="dawn-1"))
        again = store_article(session, _record("https://m.dawn.com/news/1", guid="dawn-1", text="other text"))
    assert (again.created, again.article_id, again.matched_by) == (False, first.article_id, "guid")


def test_exact_keys_are_tried_url_then_guid_then_content(sessions, source_ids):
    # One statement looks up all three keys: when they point at different stored articles,
    # the URL wins over the GUID, and the GUID over the text.
    with transaction(sessions) as session:
        by_url = store_article(session, _record("https://dawn.com/news/1", guid="dawn-1", text="first body " * 30))
        by_guid = store_article(session, _record("https://dawn.com/news/2", guid="dawn-2", text="second body " * 30))
        by_text = store_article(session, _record("https://dawn.com/news/3", guid="dawn-3", text="third body " * 30))
        all_three = store_article(session, _record("https://dawn.com/news/1", guid="dawn-2", text="third body " * 30))
        guid_and_text = store_article(
            session, _record("https://m.dawn.com/news/9", guid="dawn-2", text="third body " * 30)
        )
        empty_guid = store_article(session, _record("https://m.dawn.com/news/8", guid="", text="third body " * 30))
    assert (all_three.created, all_three.article_id, all_three.matched_by) == (False, by_url.article_id, "url")
    assert (guid_and_text.article_id, guid_and_text.matched_by) == (by_guid.article_id, "guid")
    assert (empty_guid.article_id, empty_guid.matched_by) == (by_text.article_id, "content_hash")


def test_same_content_under_another_url_is_a_duplicate(sessions, source_ids):
    with transaction(sessions) as session:
        first = store_article(session, _record("https://dawn.com/news/1", source_id=source_ids["dawn"]))
        # Syndicated copy: different headline and URL, same body (modulo case and whitespace).
        again = store_article(
            session,
            _record(
                "https://tribune.com.pk/story/9",
                source_id=source_ids["tribune"],
                title="Ceasefire extended",
                text="  " + BODY.upper().replace(" ", "\n  "),
            ),
        )
    assert (again.created, again.article_id, again.matched_by) == (False, first.article_id, "content_hash")
    with transaction(sessions) as session:
        assert count_articles(session) == 1
        assert known_urls(session, ["https://tribune.com.pk/story/9"]) == {"https://tribune.com.pk/story/9"}


def test_short_items_with_same_body_but_different_titles_are_different(sessions):
    with transaction(sessions) as session:
        a = store_article(session, _record("https://a/1", title="Torkham reopens", text=""))
        b = store_article(session, _record("https://a/2", title="Chaman closed", text=""))
    assert a.created and b.created and a.article_id != b.article_id


def test_sightings_are_recorded_once_per_source(sessions, source_ids):
    with transaction(sessions) as session:
        first = store_article(session, _record("https://dawn.com/news/1", source_id=source_ids["dawn"]))
        store_article(session, _record("https://dawn.com/news/1", source_id=source_ids["dawn"]))
        store_article(session, _record("https://dawn.com/news/1", source_id=source_ids["tribune"]))
        store_article(session, _record("https://elsewhere/1", source_id=source_ids["bbcurdu"]))  # by content
        store_article(session, _record("https://dawn.com/news/1", source_id=None))
    assert _sightings(sessions, first.article_id) == {source_ids["dawn"], source_ids["tribune"], source_ids["bbcurdu"]}
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(ArticleSighting)) == 3


def test_known_urls_handles_more_urls_than_one_query_chunk(sessions):
    aliases = [f"https://example.org/a/{i}" for i in range(1200)]
    with transaction(sessions) as session:
        store_article(session, _record("https://example.org/canonical", aliases=aliases))
    unknown = [f"https://example.org/new/{i}" for i in range(300)]
    probe = [*unknown[:150], "https://example.org/canonical", *aliases, *unknown[150:]]
    with transaction(sessions) as session:
        found = known_urls(session, probe + probe[:50])  # duplicates in the input are fine
    assert found == {"https://example.org/canonical", *aliases}


def test_known_urls_of_nothing(sessions):
    with transaction(sessions) as session:
        assert known_urls(session, []) == set()


# --- search ------------------------------------------------------------------------


@pytest.fixture
def archive(sessions, source_ids) -> dict[str, int]:
    """Five articles across sources, languages, relevance and one story with an event."""
    ids: dict[str, int] = {}
    with transaction(sessions) as session:
        story = Story(title="ceasefire extended", first_seen_at=T0, updated_at=T0)
        session.add(story)
        session.flush()
        session.add(
            Event(
                story_id=story.id,
                kind="talks_outcome",
                subtype="ceasefire_extended",
                fields={},
                created_at=T0,
                updated_at=T0,
            )
        )
        specs = [
            ("oldest", "dawn", "en", T0 - timedelta(days=3), "Talks preview: delegation departs for Istanbul"),
            ("middle", "tribune", "en", T0, "Ceasefire extended after Istanbul talks"),
            ("urdu", "bbcurdu", "ur", T0 + timedelta(days=1), "پاکستان اور افغانستان کے مذاکرات"),
            ("newest", "dawn", "en", T0 + timedelta(days=2), "Cricket: Pakistan beat Afghanistan"),
        ]
        for key, source, language, published, title in specs:
            text = URDU_BODY if language == "ur" else f"{title}. {BODY} Unique marker {key}."
            record = _record(f"https://{source}.example/{key}", source_id=source_ids[source], title=title, text=text)
            record.language, record.published_at = language, published
            result = store_article(session, record)
            ids[key] = result.article_id
        # No published date: sorted by the time it was fetched.
        record = _record("https://dawn.example/undated", source_id=source_ids["dawn"], title="Undated Torkham report")
        record.text, record.fetched_at = "Torkham border crossing reopened for trade.", T0 + timedelta(hours=12)
        undated = store_article(session, record)
        ids["undated"] = undated.article_id
        session.get_one(Article, ids["middle"]).story_id = story.id
        session.get_one(Article, ids["middle"]).relevant = True
        session.get_one(Article, ids["newest"]).relevant = False
        ids["story"] = story.id
    return ids


def _search(sessions, **kwargs) -> list[int]:
    with transaction(sessions) as session:
        return [row.id for row in search(session, SearchFilters(**kwargs))]


def test_search_lists_everything_relevant_newest_first(sessions, archive):
    assert _search(sessions) == [archive["urdu"], archive["undated"], archive["middle"], archive["oldest"]]


def test_search_include_irrelevant(sessions, archive):
    assert _search(sessions, include_irrelevant=True)[0] == archive["newest"]
    assert archive["newest"] not in _search(sessions)


def test_search_query_needs_every_word_case_insensitively(sessions, archive):
    assert _search(sessions, query="ISTANBUL ceasefire") == [archive["middle"], archive["oldest"]]
    assert _search(sessions, query="istanbul preview") == [archive["oldest"]]
    assert _search(sessions, query="torkham") == [archive["undated"]]
    assert _search(sessions, query="nothing-like-this") == []


def test_search_query_of_punctuation_only_is_an_error(sessions, archive):
    # Once LIKE wildcards to escape; now there is no word in it to look for.
    for query in ("%", "_", "* ", "--"):
        with pytest.raises(QueryError, match=r"no word|needs a word"):
            _search(sessions, query=query)
    assert _search(sessions, query="100%") == []  # a word and punctuation: the word counts


def test_search_urdu_text(sessions, archive):
    assert _search(sessions, query="مذاکرات") == [archive["urdu"]]
    assert _search(sessions, query="جنگ بندی") == [archive["urdu"]]  # both words, from the body
    rows = search_rows(sessions, query="طالبان")
    assert [r.id for r in rows] == [archive["urdu"]]
    assert "طالبان" in rows[0].snippet
    assert rows[0].language == "ur"


def search_rows(sessions, **kwargs):
    with transaction(sessions) as session:
        return search(session, SearchFilters(**kwargs))


def test_search_since_until(sessions, archive):
    assert _search(sessions, since=T0) == [archive["urdu"], archive["undated"], archive["middle"]]
    assert _search(sessions, until=T0) == [archive["oldest"]]  # until is exclusive
    assert _search(sessions, since=T0, until=T0 + timedelta(hours=13)) == [archive["undated"], archive["middle"]]


def test_search_source_language_story_kind(sessions, archive):
    assert _search(sessions, source="dawn") == [archive["undated"], archive["oldest"]]
    assert _search(sessions, source="dawn", include_irrelevant=True)[0] == archive["newest"]
    assert _search(sessions, language="ur") == [archive["urdu"]]
    assert _search(sessions, story_id=archive["story"]) == [archive["middle"]]
    assert _search(sessions, kind="talks_outcome") == [archive["middle"]]
    assert _search(sessions, kind="new_clash") == []
    assert _search(sessions, source="no-such-source") == []


def test_search_limit(sessions, archive):
    assert _search(sessions, limit=2) == [archive["urdu"], archive["undated"]]


def test_search_row_fields(sessions, archive):
    (row,) = search_rows(sessions, story_id=archive["story"])
    assert row.source == "tribune"
    assert row.published == T0
    assert row.published.tzinfo is not None and row.fetched.tzinfo is not None
    assert row.relevant is True
    assert row.story_id == archive["story"]
    assert row.event_kind == "talks_outcome"
    assert row.duplicate_of is None
    assert row.snippet and len(row.snippet) <= 170


def test_search_is_case_insensitive_beyond_ascii(sessions):
    # Once an xfail on SQLite, whose lower() folds ASCII only; FTS5's unicode61 folds all.
    with transaction(sessions) as session:
        store_article(session, _record("https://tr.example/1", title="MÜZAKERE ΕΙΡΗΝΗ", text="x"))
    assert len(_search(sessions, query="müzakere")) == 1
    assert len(_search(sessions, query="MÜZAKERE")) == 1
    assert len(_search(sessions, query="ειρηνη")) == 1


def test_a_copy_published_before_its_original_becomes_the_original(sessions, source_ids):
    """Syndicated copies: the one published first is the original, not the one stored first."""
    day = datetime(2025, 11, 7, 14, 30, tzinfo=UTC)
    with transaction(sessions) as session:
        stored_first = store_article(
            session, _record("https://dawn.com/a", source_id=source_ids["dawn"], published_at=day)
        ).article_id
        # A date alone (midnight) on the same day does not order the two: the first stored stays.
        same_day = store_article(
            session,
            _record(
                "https://tribune.com.pk/a",
                source_id=source_ids["tribune"],
                published_at=day.replace(hour=0, minute=0),
                duplicate_of=stored_first,
                text=BODY + " Same day.",
            ),
        ).article_id
        earlier = store_article(
            session,
            _record(
                "https://geo.tv/a",
                published_at=day - timedelta(hours=5),
                duplicate_of=same_day,  # a copy of a copy: compared with the original
                duplicate_score=0.8,
                duplicate_method="minhash",
                text=BODY + " Earlier.",
            ),
        ).article_id
    with transaction(sessions) as session:
        rows = {a.id: a for a in session.scalars(select(Article))}
        assert rows[earlier].duplicate_of is None and rows[earlier].duplicate_method is None
        assert rows[stored_first].duplicate_of == earlier
        assert (rows[stored_first].duplicate_score, rows[stored_first].duplicate_method) == (0.8, "minhash")
        assert rows[same_day].duplicate_of == earlier


def test_the_seed_stays_the_original_of_its_copies(sessions, source_ids):
    with transaction(sessions) as session:
        seed = store_article(
            session, _record("seed:x.txt", published_at=datetime(2025, 11, 7, 9, 0, tzinfo=UTC), is_seed=True)
        ).article_id
        copy = store_article(
            session,
            _record(
                "https://dawn.com/b",
                source_id=source_ids["dawn"],
                published_at=datetime(2025, 11, 6, 9, 0, tzinfo=UTC),
                duplicate_of=seed,
                text=BODY + " Copy.",
            ),
        ).article_id
    with transaction(sessions) as session:
        assert session.get_one(Article, copy).duplicate_of == seed
        assert session.get_one(Article, seed).duplicate_of is None


@pytest.mark.parametrize("count", [0, 1, 500, 501, 1200])
def test_in_chunks_covers_every_value_once_in_bounded_slices(count):
    from storage.chunks import PARAMETERS_PER_QUERY, in_chunks

    values = list(range(count))
    slices = list(in_chunks(values))
    assert [v for s in slices for v in s] == values
    assert all(0 < len(s) <= PARAMETERS_PER_QUERY for s in slices)
    assert len(slices) == -(-count // PARAMETERS_PER_QUERY)


def test_a_url_another_writer_stores_first_is_found_not_stored_twice(sessions, source_ids, engine):
    """Two writers store the same URL at once (two cluster workers): the second meets the unique index.

    The first writer's transaction holds the new URL's row uncommitted; the second one's
    insert waits on that row's unique index, then fails when the first commits, and
    store_article answers with the stored article instead of an error. SQLite serialises
    writers on the file's lock, so the race exists only on PostgreSQL.
    """
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time in: no two writers race")
    import threading
    import time

    from sqlalchemy import text

    first = sessions()
    first.begin()
    mine = store_article(first, _record("https://www.dawn.com/news/race", source_id=source_ids["dawn"]))
    assert mine.created
    outcome: list[object] = []

    def second_writer() -> None:
        try:
            with transaction(sessions) as session:
                outcome.append(
                    store_article(session, _record("https://www.dawn.com/news/race", source_id=source_ids["tribune"]))
                )
        except Exception as exc:  # reported by the assertion below
            outcome.append(exc)

    racer = threading.Thread(target=second_writer)
    racer.start()
    # Commit only once the second writer waits on the first one's row lock: it has then
    # looked for the URL, found nothing committed, and inserted.
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    deadline = time.monotonic() + 60
    with engine.connect() as watcher:
        while not watcher.execute(waiting).scalar_one() and racer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
    assert racer.is_alive(), f"the second writer did not wait on the first one's uncommitted URL: {outcome}"
    first.commit()
    first.close()
    racer.join(timeout=30)
    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
    theirs = outcome[0]
    assert isinstance(theirs, StoreResult)
    assert (theirs.article_id, theirs.created, theirs.matched_by) == (mine.article_id, False, "url")
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
    assert _sightings(sessions, mine.article_id) == {source_ids["dawn"], source_ids["tribune"]}
