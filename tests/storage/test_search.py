"""Full-text search: the query language, the same articles on SQLite and PostgreSQL, orders, sync."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import text

from storage.articles import ArticleRecord, store_article
from storage.db import alembic_config, make_engine, make_sessionmaker, transaction, upgrade
from storage.models import Article
from storage.search import MARK_END, MARK_START, SearchFilters, ranking, search, sqlite
from storage.search.query import QueryError, parse_query, to_fts5, to_tsquery, tokens_of

T0 = datetime(2025, 11, 1, 9, 0, tzinfo=UTC)

# key -> (title, text). English, Urdu, Pashto, Dari, Hindi; capitals beyond ASCII; words
# that PostgreSQL's parser would glue (hyphens, hosts, decimals); phrases and near-misses.
CORPUS: dict[str, tuple[str, str]] = {
    "en_ceasefire": (
        "Pakistan and Afghanistan extend ceasefire",
        "ISTANBUL: The third round of talks ended with an agreement to extend the ceasefire, "
        "officials said. Mediators from Qatar and Türkiye will monitor the truce.",
    ),
    "en_collapse": (
        "Talks collapse in Istanbul",
        "Negotiations between the Taliban and Pakistan broke down after the third day; "
        "no agreement was reached on the TTP. A fourth round is not planned.",
    ),
    "en_clash": (
        "Border clash at Torkham",
        "Troops exchanged fire at the Torkham crossing on Sunday, the al-Qaeda threat was "
        "cited by officials; 3.5 km of the road closed. Details on dawn.com.",
    ),
    "en_cricket": (
        "Cricket: Pakistan beat Afghanistan",
        "Pakistan won the third match of the series by five wickets in Sharjah.",
    ),
    "tr_caps": ("MÜZAKERE ΕΙΡΗΝΗ ISTANBUL", "Türkiye hosts the talks; ÇAĞRI for calm."),
    "ur_talks": (
        "پاکستان اور افغانستان کے مذاکرات",
        "استنبول: پاکستان اور افغانستان کے درمیان مذاکرات کا تیسرا دور شروع ہو گیا۔ "
        "طالبان حکومت کے وفد نے جنگ بندی میں توسیع پر آمادگی ظاہر کی ہے۔",
    ),
    "ps_talks": (
        "د پاکستان او افغانستان خبرې",
        "د طالبانو استازي په استانبول کې د اوربند د غځولو په اړه خبرې وکړې.",
    ),
    "fa_talks": (
        "مذاکرات افغانستان و پاکستان در استانبول",
        "هیئت طالبان می‌گوید که آتش‌بس تمدید شد و دور بعدی مذاکرات برگزار می‌شود.",
    ),
    "hi_talks": (
        "पाकिस्तान और अफगानिस्तान के बीच वार्ता",
        "इस्तांबुल में तीसरे दौर की वार्ता के बाद संघर्ष विराम बढ़ाने पर सहमति बनी। तालिबान प्रतिनिधिमंडल ने कहा।",
    ),
    "hi_clash": (
        "तोरखम सीमा पर झड़प",
        "पाकिस्तान और अफगान बलों के बीच तोरखम में गोलीबारी हुई।",
    ),
}

# query -> the articles it must find, on every backend.
EXPECTED: dict[str, set[str]] = {
    "ceasefire": {"en_ceasefire"},
    "CEASEFIRE pakistan": {"en_ceasefire"},
    "third round": {"en_ceasefire", "en_collapse"},
    '"third round"': {"en_ceasefire"},
    '"round of talks"': {"en_ceasefire"},
    '"talks round"': set(),
    "negotiat*": {"en_collapse"},
    "negotiation": set(),  # no stemming
    "talk": set(),
    "talk*": {"en_ceasefire", "en_collapse", "tr_caps"},
    '"third rou"*': {"en_ceasefire"},
    "ceasefire OR truce": {"en_ceasefire"},
    "pakistan afghanistan -cricket": {"en_ceasefire"},
    'pakistan -"third match"': {"en_ceasefire", "en_collapse"},
    "pakistan talks OR clash OR cricket": {"en_ceasefire", "en_collapse", "en_cricket"},
    "al-Qaeda": {"en_clash"},
    "qaeda": {"en_clash"},
    "dawn.com": {"en_clash"},
    "dawn": {"en_clash"},
    "3.5 km": {"en_clash"},
    "müzakere": {"tr_caps"},
    "MÜZAKERE": {"tr_caps"},
    "ειρηνη": {"tr_caps"},
    "türkiye": {"en_ceasefire", "tr_caps"},
    "çağri": {"tr_caps"},  # Unicode default case mapping: I is i, not Turkish ı
    "ÇAĞRI": {"tr_caps"},
    "مذاکرات": {"ur_talks", "fa_talks"},
    "جنگ بندی": {"ur_talks"},
    '"جنگ بندی"': {"ur_talks"},
    "طالبان": {"ur_talks", "fa_talks"},
    "طالبانو": {"ps_talks"},
    "طالبا*": {"ur_talks", "fa_talks", "ps_talks"},
    "اوربند": {"ps_talks"},
    "آتش‌بس": {"fa_talks"},  # with a zero-width non-joiner, as Dari writes it
    "آتش": {"fa_talks"},
    "استانبول OR استنبول": {"ur_talks", "ps_talks", "fa_talks"},
    "वार्ता": {"hi_talks"},
    "तोरखम": {"hi_clash"},
    '"संघर्ष विराम"': {"hi_talks"},
    "पाकिस्तान -झड़प": {"hi_talks"},
    "तालि*": {"hi_talks"},
    "torkham OR तोरखम OR طورخم": {"en_clash", "hi_clash"},
    # A phrase never runs from the title's last word into the text's first: FTS5 keeps
    # columns apart, and PostgreSQL's vector leaves a gap between them (migration 0006).
    '"torkham troops"': set(),
    '"istanbul negotiations"': set(),
    '"istanbul negotiat"*': set(),
    "torkham troops": {"en_clash"},
}


def _store_corpus(sessions) -> dict[str, int]:
    ids = {}
    with transaction(sessions) as session:
        for offset, (key, (title, body)) in enumerate(CORPUS.items()):
            record = ArticleRecord(
                url=f"https://example.org/{key}",
                title=title,
                text=body,
                source_id=None,
                language=key.split("_")[0],
                published_at=T0 + timedelta(hours=offset),
            )
            ids[key] = store_article(session, record).article_id
    return ids


@pytest.fixture
def corpus(sessions) -> dict[str, int]:
    return _store_corpus(sessions)


def _store_corpus_at_0005(engine) -> None:
    """The corpus in the columns revision 0005 has (store_article writes every column of head)."""
    from sqlalchemy import column, insert, table

    columns = ["url", "title", "text", "language", "published_at", "fetched_at", "extraction"]
    columns += ["content_hash", "is_seed"]
    articles = table("articles", *(column(name) for name in columns))
    rows = [
        dict(
            url=f"https://example.org/{key}",
            title=title,
            text=body,
            language=key.split("_")[0],
            published_at=T0 + timedelta(hours=offset),
            fetched_at=T0,
            extraction="trafilatura",
            content_hash=key,
            is_seed=False,
        )
        for offset, (key, (title, body)) in enumerate(CORPUS.items())
    ]
    with engine.begin() as conn:
        conn.execute(insert(articles), rows)


def _found(sessions, **kwargs) -> list[int]:
    kwargs.setdefault("limit", 100)
    with transaction(sessions) as session:
        return [row.id for row in search(session, SearchFilters(**kwargs))]


@pytest.mark.parametrize("query", list(EXPECTED))
def test_same_articles_on_every_backend(sessions, corpus, query):
    keys = {k for k, v in corpus.items() if v in set(_found(sessions, query=query))}
    assert keys == EXPECTED[query]


# --- random queries against a reference implementation ------------------------------------


def _reference(query: str, documents: dict[int, tuple[list[str], list[str]]]) -> set[int]:
    """Evaluate a parsed query on token lists in Python: what both backends must return."""
    parsed = parse_query(query)
    assert parsed is not None

    def term_in(tokens: list[str], term) -> bool:
        wanted = [t.lower() for t in term.tokens]
        for i in range(len(tokens) - len(wanted) + 1):
            window = tokens[i : i + len(wanted)]
            if window[:-1] == wanted[:-1] and (
                window[-1].startswith(wanted[-1]) if term.prefix else window[-1] == wanted[-1]
            ):
                return True
        return False

    def clause_in(doc, clause) -> bool:
        return any(term_in(column, term) for term in clause.terms for column in doc)

    return {
        doc_id
        for doc_id, doc in documents.items()
        if all(clause_in(doc, c) for c in parsed.included) and not any(clause_in(doc, c) for c in parsed.excluded)
    }


def _random_queries(documents: dict[int, tuple[list[str], list[str]]], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    columns = [column for doc in documents.values() for column in doc if column]

    def word() -> str:
        column = rng.choice(columns)
        i = rng.randrange(len(column))
        shape = rng.random()
        if shape < 0.2 and i + 1 < len(column):
            return f'"{column[i]} {column[i + 1]}"'
        if shape < 0.35 and len(column[i]) > 3:
            return column[i][: rng.randint(2, len(column[i]) - 1)] + "*"
        if shape < 0.45:
            return column[i].upper()
        return column[i]

    queries = []
    for _ in range(count):
        parts = [word() for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.insert(rng.randint(1, len(parts)), "OR")
            parts.append(word())
        if rng.random() < 0.2:
            parts.append("-" + word())
        queries.append(" ".join(parts))
    return queries


def test_random_queries_match_the_reference_on_every_backend(sessions, corpus):
    documents = {
        corpus[key]: ([t.lower() for t in tokens_of(title)], [t.lower() for t in tokens_of(body)])
        for key, (title, body) in CORPUS.items()
    }
    for query in _random_queries(documents, 150, seed=6):
        assert set(_found(sessions, query=query)) == _reference(query, documents), query


# --- the query language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fts5", "tsquery"),
    [
        ("Talks istanbul", '"Talks" AND "istanbul"', "'Talks' & 'istanbul'"),
        ('"third round"', '"third round"', "('third' <-> 'round')"),
        ("negotiat*", '"negotiat" *', "'negotiat':*"),
        ('"third rou"*', '"third rou" *', "('third' <-> 'rou':*)"),
        ("a OR b c", '("a" OR "b") AND "c"', "('a' | 'b') & 'c'"),
        ("talks -cricket", '("talks") NOT ("cricket")', "'talks' & !'cricket'"),
        ("al-Qaeda", '"al Qaeda"', "('al' <-> 'Qaeda')"),
        ('near"x" col:umn', '"near" AND "x" AND "col umn"', "'near' & 'x' & ('col' <-> 'umn')"),
        ("Pakistan - Afghanistan", '"Pakistan" AND "Afghanistan"', "'Pakistan' & 'Afghanistan'"),
        ("o'brien", '"o brien"', "('o' <-> 'brien')"),
    ],
)
def test_query_compiles_to_quoted_fts5_and_tsquery(query, fts5, tsquery):
    parsed = parse_query(query)
    assert parsed is not None
    assert to_fts5(parsed) == fts5
    assert to_tsquery(parsed) == tsquery


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"third round', "unbalanced quote"),
        ('talks "', "unbalanced quote"),
        ('""', "empty phrase"),
        ("NEAR(talks istanbul)", "parentheses"),
        ("(talks)", "parentheses"),
        ("talks AND istanbul", "AND is not an operator"),
        ("talks NOT cricket", "-word"),
        ("OR talks", "OR needs a word on each side"),
        ("talks OR", "OR needs a word on each side"),
        ("talks OR OR truce", "OR needs a word on each side"),
        ("talks OR -cricket", "cannot be one side of OR"),
        ("-cricket", "only excludes"),
        ("*", "needs a word before it"),
        ("t*", "at least 2 letters"),
        ("ne*go", "goes at the end of a word"),
        ("!!! ...", "no word"),
    ],
)
def test_malformed_query_is_a_query_error(query, message):
    with pytest.raises(QueryError, match=message):
        parse_query(query)


@pytest.mark.parametrize("query", ['"third round', "NEAR(a b)", "-x", "a OR"])
def test_malformed_query_never_reaches_the_database(sessions, corpus, query):
    with pytest.raises(QueryError):
        _found(sessions, query=query)


def test_no_query_lists_everything():
    assert parse_query(None) is None
    assert parse_query("   ") is None


# --- orders, snippets, ranks ------------------------------------------------------------


def test_newest_first_with_offset(sessions, corpus):
    everything = _found(sessions, query="pakistan OR पाकिस्तान")
    published = [list(corpus.values()).index(i) for i in everything]
    assert published == sorted(published, reverse=True)  # corpus order = publication order
    assert _found(sessions, query="pakistan OR पाकिस्तान", offset=2) == everything[2:]


def test_relevance_puts_title_matches_first_and_reports_a_rank(sessions, corpus):
    with transaction(sessions) as session:
        rows = search(session, SearchFilters(query="istanbul", order="relevance"))
    # Two name it in the title; the ceasefire story in its text only, and it is the newest.
    assert {r.id for r in rows[:2]} == {corpus["en_collapse"], corpus["tr_caps"]}
    assert rows[2].id == corpus["en_ceasefire"]
    assert all(r.rank is not None for r in rows)
    assert rows[0].rank is not None and rows[-1].rank is not None and rows[0].rank >= rows[-1].rank


def test_relevance_without_query_is_newest_first(sessions, corpus):
    assert _found(sessions, order="relevance") == _found(sessions)


def test_snippets_mark_the_matches(sessions, corpus):
    with transaction(sessions) as session:
        (row,) = search(session, SearchFilters(query="ceasefire extend"))
        assert f"{MARK_START}ceasefire{MARK_END}" in row.snippet
        assert f"{MARK_START}extend{MARK_END}" in row.snippet
        (urdu,) = search(session, SearchFilters(query="جنگ"))
        assert f"{MARK_START}جنگ{MARK_END}" in urdu.snippet
        (listed,) = search(session, SearchFilters(language="hi", query="वार्ता"))
        assert f"{MARK_START}वार्ता{MARK_END}" in listed.snippet
        (plain,) = search(session, SearchFilters(language="ps"))
        assert MARK_START not in plain.snippet and plain.rank is None


def test_filters_apply_to_text_search(sessions, corpus):
    assert _found(sessions, query="talks OR مذاکرات", language="ur") == [corpus["ur_talks"]]
    assert _found(sessions, query="pakistan", until=T0 + timedelta(hours=1)) == [corpus["en_ceasefire"]]
    assert _found(sessions, query="pakistan", since=T0 + timedelta(hours=2), language="en") == [corpus["en_cricket"]]
    assert _found(sessions, query="pakistan", source="no-such-source") == []


# --- the index follows the articles table ------------------------------------------------


def test_index_follows_updates_and_deletes(sessions, corpus):
    with transaction(sessions) as session:
        article = session.get_one(Article, corpus["en_cricket"])
        article.title = "Rugby: Pakistan beat Afghanistan"
        article.relevant = True  # a write that does not touch the text
    assert _found(sessions, query="rugby") == [corpus["en_cricket"]]
    assert _found(sessions, query="cricket") == []
    assert _found(sessions, query="wickets") == [corpus["en_cricket"]]
    with transaction(sessions) as session:
        session.delete(session.get_one(Article, corpus["en_cricket"]))
    assert _found(sessions, query="wickets OR rugby") == []


def test_newest_first_is_exact_across_batches_and_late_dates(sessions, monkeypatch):
    """Many matches read in small FTS5 batches; some stored early but dated late."""
    monkeypatch.setattr(sqlite, "FIRST_BATCH", 3)
    monkeypatch.setattr(sqlite, "MAX_BATCH", 5)
    expected = []
    with transaction(sessions) as session:
        for i in range(60):
            published = T0 + timedelta(hours=i)
            if i in (2, 7):
                published += timedelta(days=30)  # stored early, dated later than everything else
            if i == 11:
                published = None  # undated: sorted by the time it was fetched
            record = ArticleRecord(
                url=f"https://example.org/n/{i}",
                title=f"Border report {i}",
                text=f"Torkham crossing update number {i}." + (" cricket" if i % 3 == 0 else ""),
                source_id=None,
                language="en" if i % 4 else "ur",
                published_at=published,
                fetched_at=T0 + timedelta(hours=i, minutes=30),
            )
            article_id = store_article(session, record).article_id
            expected.append((published or record.fetched_at, article_id, i))
    newest = [a for _, a, _ in sorted(expected, reverse=True)]
    assert _found(sessions, query="torkham")[:10] == newest[:10]
    assert _found(sessions, query="torkham", offset=5)[:5] == newest[5:10]
    english = [a for _, a, i in sorted(expected, reverse=True) if i % 4 and i % 3]
    assert _found(sessions, query="torkham -cricket", language="en") == english
    monkeypatch.setattr(sqlite, "MAX_NEWER", 1)  # too many to walk: keep reading batches
    assert _found(sessions, query="torkham")[:10] == newest[:10]


def test_relevance_ranks_only_the_newest_candidates(sessions, monkeypatch):
    monkeypatch.setattr(ranking, "RELEVANCE_CANDIDATES", 3)
    with transaction(sessions) as session:
        for i in range(6):
            title = "Torkham Torkham Torkham" if i == 0 else f"Report {i}"
            record = ArticleRecord(
                url=f"https://example.org/r/{i}",
                title=title,
                text="Torkham crossing.",
                source_id=None,
                published_at=T0 + timedelta(hours=i),
            )
            store_article(session, record)
    with transaction(sessions) as session:
        capped = search(session, SearchFilters(query="torkham", order="relevance", limit=2))
        monkeypatch.setattr(ranking, "RELEVANCE_CANDIDATES", 10)
        ranked = search(session, SearchFilters(query="torkham", order="relevance", limit=2))
    # The best match (i = 0) is the oldest: outside the three newest, it is not ranked.
    assert {r.title for r in capped} <= {"Report 5", "Report 4", "Report 3"}
    assert ranked[0].title == "Torkham Torkham Torkham"


# --- migration ---------------------------------------------------------------------------


def test_migration_indexes_articles_stored_before_it_and_downgrades(empty_db_url):
    upgrade(empty_db_url, "0002")
    engine = make_engine(empty_db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO articles (url, title, text, fetched_at, extraction, content_hash, is_seed) "
                    "VALUES ('https://example.org/old', 'Old talks', 'Kurram ceasefire held', "
                    "'2025-11-01 09:00:00.000000', 't', 'h', false)"
                )
            )
        upgrade(empty_db_url)
        sessions = make_sessionmaker(engine)
        assert _found(sessions, query="kurram") != []
        command.downgrade(alembic_config(empty_db_url), "0002")
        # The downgrade drops the index, not the articles. (Search itself needs the schema
        # at head: a story's kind reads events.merged_into, added by 0007.)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 1
        upgrade(empty_db_url)
        assert _found(sessions, query="kurram ceasefire") != []
    finally:
        engine.dispose()


def test_relevance_with_a_filter_few_pass_falls_back_to_the_newest_page(sessions, monkeypatch):
    monkeypatch.setattr(ranking, "RELEVANCE_SCAN", 3)
    monkeypatch.setattr(ranking, "RELEVANCE_CANDIDATES", 2)
    ids = []
    with transaction(sessions) as session:
        for i in range(6):
            record = ArticleRecord(
                url=f"https://example.org/f/{i}",
                title="Kurram Kurram" if i == 0 else f"Kurram report {i}",
                text="Kurram district.",
                source_id=None,
                language="ps" if i < 2 else "en",
                published_at=T0 + timedelta(hours=i),
            )
            ids.append(store_article(session, record).article_id)
    # The three newest matches are English: no Pashto one in the window, so the newest
    # page of Pashto matches is ranked, whatever its age.
    assert _found(sessions, query="kurram", language="ps", order="relevance", limit=2) == [ids[0], ids[1]]
    assert _found(sessions, query="kurram", language="en", order="relevance", limit=2) == [ids[5], ids[4]]


def test_relevance_reads_the_rest_of_the_window_when_its_start_has_too_few_passing(sessions, monkeypatch):
    # The window is read in two steps (the candidates' worth first, then the rest of the
    # RELEVANCE_SCAN newest); the best passing match sits in the second step, the
    # even better one beyond the window is not ranked.
    monkeypatch.setattr(ranking, "RELEVANCE_SCAN", 8)
    monkeypatch.setattr(ranking, "RELEVANCE_CANDIDATES", 2)
    monkeypatch.setattr(sqlite, "FIRST_BATCH", 1)
    languages = ["ps", "ps", "en", "en", "ps", "en", "en", "ps", "en", "en"]  # oldest first
    titles = {0: "Kurram Kurram Kurram Kurram", 1: "Kurram Kurram Kurram Kurram", 4: "Kurram Kurram Kurram"}
    ids = []
    with transaction(sessions) as session:
        for i, language in enumerate(languages):
            record = ArticleRecord(
                url=f"https://example.org/w/{i}",
                title=titles.get(i, f"Kurram report {i}"),
                text="Kurram district.",
                source_id=None,
                language=language,
                published_at=T0 + timedelta(hours=i),
            )
            ids.append(store_article(session, record).article_id)
    assert _found(sessions, query="kurram", language="ps", order="relevance", limit=2) == [ids[4], ids[7]]


def test_postgresql_keeps_enough_lexeme_statistics_to_see_rare_words(empty_db_url):
    # Migration 0005: with PostgreSQL's default statistics a rare word was estimated at
    # thousands of matches and "newest first" walked the whole sort-key index for it.
    if not empty_db_url.startswith("postgresql"):
        pytest.skip("SQLite has no planner statistics for FTS5")
    upgrade(empty_db_url)
    engine = make_engine(empty_db_url)
    target = text(
        "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'articles'::regclass AND attname = 'search_vector'"
    )
    try:
        with engine.connect() as conn:
            assert conn.scalar(target) == 10_000
        command.downgrade(alembic_config(empty_db_url), "0004")
        with engine.connect() as conn:
            assert conn.scalar(target) in (-1, None)  # back to the default
    finally:
        engine.dispose()


def test_postgresql_title_text_gap_migrates_both_ways(empty_db_url):
    # Migration 0006 rebuilds the generated column; articles stored before it must be
    # recomputed (no phrase across title and text), and its downgrade must restore 0005's.
    if not empty_db_url.startswith("postgresql"):
        pytest.skip("SQLite's FTS5 keeps title and text apart by itself")
    command.upgrade(alembic_config(empty_db_url), "0005")
    engine = make_engine(empty_db_url)
    spans = text("SELECT count(*) FROM articles WHERE search_vector @@ to_tsquery('simple', 'torkham <-> troops')")
    statistics = text(
        "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'articles'::regclass AND attname = 'search_vector'"
    )
    try:
        _store_corpus_at_0005(engine)
        with engine.connect() as conn:
            assert conn.scalar(spans) == 1  # 0005: the title ran into the text
        upgrade(empty_db_url)
        with engine.connect() as conn:
            assert conn.scalar(spans) == 0
            assert conn.scalar(statistics) == 10_000  # 0005's target kept on the new column
        command.downgrade(alembic_config(empty_db_url), "0005")
        with engine.connect() as conn:
            assert conn.scalar(spans) == 1
    finally:
        engine.dispose()
