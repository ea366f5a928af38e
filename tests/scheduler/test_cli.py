"""The ``newswatch`` command line, run as a subprocess: exit codes, formats, filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from typer.testing import CliRunner

from core.logs import NOISY_LOGGERS
from scheduler.cli import app
from scheduler.cli.search import ARTICLE_FIELDS
from scheduler.cli.sources import SOURCE_FIELDS
from storage.articles import ArticleRecord, store_article
from storage.db import alembic_config, current_revision, head_revision, make_engine, transaction, upgrade
from storage.models import Article
from storage.sources import FetchOutcome, SourceSpec, record_fetch, sync_sources
from storage.stories import attach
from tests.boundary import BOUNDARY_VALUES
from tests.conftest import run_cli, write_config

SOURCES = [
    {"name": "dawn", "type": "feed", "url": "https://www.dawn.com/feeds/home"},
    {"name": "bbcurdu", "type": "feed", "url": "https://feeds.bbci.co.uk/urdu/rss.xml", "interval": "10m"},
]
NOW = datetime.now(UTC).replace(microsecond=0)


def _config(tmp_path, db_url: str, sources: list[dict] | None = None):
    return write_config(
        tmp_path,
        {
            "database": {"url": db_url},
            "topic": {"seed": "seeds/istanbul-third-round.txt"},
            "sources": SOURCES if sources is None else sources,
        },
    )


def _assert_clean_failure(result, code: int) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    return result.stderr


# --- configuration and argument errors (exit 2) ------------------------------------------


def test_invalid_config_exits_2_naming_the_key(tmp_path):
    config = _config(tmp_path, "sqlite:///x.db")
    config.write_text(config.read_text() + "crawl:\n  user_agnet: me\n", encoding="utf-8")
    for command in (["search"], ["sources", "--format", "json"], ["db", "upgrade"], ["crawl"], ["run"]):
        stderr = _assert_clean_failure(run_cli(*command, config=config), 2)
        assert "crawl.user_agnet" in stderr
        assert "unknown key" in stderr
        assert f"{config}:" in stderr


def test_missing_config_file_exits_2(tmp_path):
    stderr = _assert_clean_failure(run_cli("sources", config=tmp_path / "absent.yaml"), 2)
    assert "absent.yaml" in stderr and "not found" in stderr
    assert "(pass --config PATH or set NEWSWATCH_CONFIG)" in stderr


@pytest.mark.parametrize("command", [["sources"], ["crawl"], ["run"], ["db", "upgrade"], ["stories"]])
def test_missing_config_from_environment_says_how_to_point_at_one(tmp_path, command):
    result = run_cli(*command, env={"NEWSWATCH_CONFIG": str(tmp_path / "elsewhere" / "config.yaml")})
    stderr = _assert_clean_failure(result, 2)
    assert stderr.strip() == (
        f"Error: {tmp_path / 'elsewhere' / 'config.yaml'}: config file not found "
        "(pass --config PATH or set NEWSWATCH_CONFIG)"
    )


def test_config_from_environment(tmp_path, db_url):
    config = _config(tmp_path, db_url)
    result = run_cli("sources", "--format", "json", env={"NEWSWATCH_CONFIG": str(config)})
    assert result.returncode == 0, result.stderr
    assert [s["name"] for s in json.loads(result.stdout)] == ["dawn", "bbcurdu"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--since", "last tuesday"], "--since"),
        (["--until", "2025-13-45"], "--until"),
        (["--since", "12"], "--since"),  # a bare number is neither a date nor an age
        (["--limit", "0"], "--limit"),
        (["--kind", "riot"], "--kind"),
        (["--format", "xml"], "--format"),
    ],
)
def test_bad_search_option_exits_2_naming_it(tmp_path, args, option):
    config = _config(tmp_path, "sqlite:///never-created.db")
    stderr = _assert_clean_failure(run_cli("search", *args, config=config), 2)
    assert option in stderr
    assert not (tmp_path / "never-created.db").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["search", "--since", "9999999d"],
        ["search", "--until", "999999999999d"],
        ["search", "--since", "0001-01-01T00:00+05:00"],
        ["search", "--until", "9999-12-31T23:00-05:00"],
        ["search", "--story", "99999999999999999999"],
        ["search", "--story", "2147483648"],  # beyond PostgreSQL's INTEGER
        ["search", "--story", "0"],
        ["search", "--limit", "9223372036854775808"],
        ["search", "--offset", "9223372036854775808"],
        ["stories", "--story", "9223372036854775808"],
        ["stories", "--since", "9999999d"],
        ["stories", "--limit", "99999999999999999999"],
        ["alerts", "--since", "9999999d"],
        ["alerts", "--limit", "99999999999999999999"],
    ],
)
def test_out_of_range_option_exits_2_naming_it(tmp_path, args):
    config = _config(tmp_path, "sqlite:///never-created.db")
    stderr = _assert_clean_failure(run_cli(*args, config=config), 2)
    assert f"'{args[1]}'" in stderr
    assert not (tmp_path / "never-created.db").exists()


def test_since_after_until_exits_2(tmp_path):
    config = _config(tmp_path, "sqlite:///x.db")
    stderr = _assert_clean_failure(run_cli("search", "--since", "1d", "--until", "2d", config=config), 2)
    assert "--since" in stderr and "--until" in stderr


def test_crawl_unknown_source_exits_2_naming_it(tmp_path):
    config = _config(tmp_path, "sqlite:///never-created.db")
    stderr = _assert_clean_failure(run_cli("crawl", "--source", "dawn", "--source", "nosuch", config=config), 2)
    assert "nosuch" in stderr
    assert "--source" in stderr
    assert "dawn, bbcurdu" in stderr  # what the user could have meant
    assert not (tmp_path / "never-created.db").exists()


def test_crawl_has_no_csv_format(tmp_path):
    config = _config(tmp_path, "sqlite:///never-created.db")
    stderr = _assert_clean_failure(run_cli("crawl", "--format", "csv", config=config), 2)
    assert "--format" in stderr


def test_unknown_command_exits_2(tmp_path):
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# --- other failures (exit 1) -------------------------------------------------------------


def test_unreachable_database_exits_1_with_one_line(tmp_path):
    config = _config(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    stderr = _assert_clean_failure(run_cli("search", "--format", "json", config=config), 1)
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, stderr
    assert "OperationalError" in errors[0]


def test_verbose_failure_logs_the_traceback(tmp_path):
    config = _config(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/nothing")
    result = run_cli("sources", "--verbose", config=config)
    assert result.returncode == 1
    assert "Traceback" in result.stderr  # in the DEBUG log, for whoever asked for it
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error:")


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("newswatch ")


# --- db upgrade --------------------------------------------------------------------------


def test_db_upgrade_creates_schema(tmp_path, empty_db_url):
    config = _config(tmp_path, empty_db_url)
    result = run_cli("db", "upgrade", config=config)
    assert result.returncode == 0, result.stderr
    engine = make_engine(empty_db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"articles", "sources", "article_urls", "crawl_runs", "alerts", "alembic_version"} <= tables
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()
    assert str(head_revision()) in result.stdout
    again = run_cli("db", "upgrade", config=config)
    assert again.returncode == 0, again.stderr


def test_database_url_from_environment_wins(tmp_path, empty_db_url):
    config = _config(tmp_path, "sqlite:///from-file.db")
    result = run_cli("db", "upgrade", config=config, env={"NEWSWATCH_DATABASE_URL": empty_db_url})
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "from-file.db").exists()
    engine = make_engine(empty_db_url)
    try:
        assert "articles" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_relative_sqlite_path_is_beside_the_config(tmp_path):
    config = _config(tmp_path / "conf", "sqlite:///data/archive.db")
    result = run_cli("db", "upgrade", config=config)  # run_cli works in the repository root
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "conf" / "data" / "archive.db").is_file()


def test_search_upgrades_an_empty_database_first(tmp_path, empty_db_url):
    result = run_cli("search", "--format", "json", config=_config(tmp_path, empty_db_url))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_search_applies_pending_migrations_first(tmp_path, empty_db_url):
    """An archive one revision behind: search migrates it to the head, then answers."""
    previous = ScriptDirectory.from_config(alembic_config(empty_db_url)).get_revision(head_revision()).down_revision
    upgrade(empty_db_url, previous)
    engine = make_engine(empty_db_url)
    try:
        assert current_revision(engine) == previous
        result = run_cli("search", "ceasefire", "--format", "json", config=_config(tmp_path, empty_db_url))
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout) == []
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_unknown_story_exits_1_saying_so(tmp_path, db_url, archive):
    config = _config(tmp_path, db_url)
    for command in (["stories"], ["search"], ["search", "ceasefire"]):
        for fmt in ("table", "json"):
            result = run_cli(*command, "--story", "99", "--format", fmt, config=config)
            stderr = _assert_clean_failure(result, 1)
            assert "story 99 not found" in stderr


# --- search ------------------------------------------------------------------------------


@pytest.fixture
def archive(sessions) -> dict[str, int]:
    """Three articles: English relevant, Urdu unjudged, English off-topic; one undated."""
    ids = {}
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec(s["name"], s["type"], s["url"]) for s in SOURCES])
        items = [
            ("en", "dawn", "https://dawn.example/talks", "Pakistan, Afghanistan extend ceasefire", "en", 3),
            ("ur", "bbcurdu", "https://bbc.example/urdu/1", "پاکستان اور افغانستان کے مذاکرات", "ur", 1),
            ("off", "dawn", "https://dawn.example/cricket", "Pakistan beat Afghanistan at cricket", "en", 0),
        ]
        for key, source, url, title, language, days_ago in items:
            result = store_article(
                session,
                ArticleRecord(
                    url=url,
                    title=title,
                    text=f"{title}. " + "Talks in Istanbul continued. " * 10,
                    source_id=rows[source].id,
                    language=language,
                    published_at=NOW - timedelta(days=days_ago),
                ),
            )
            ids[key] = result.article_id
        session.get_one(Article, ids["en"]).relevant = True
        session.get_one(Article, ids["off"]).relevant = False
    return ids


def _search_json(tmp_path, db_url, *args):
    result = run_cli("search", *args, "--format", "json", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)  # the whole of stdout is one JSON document
    assert isinstance(rows, list)
    return rows


def test_search_json(tmp_path, db_url, archive):
    rows = _search_json(tmp_path, db_url)
    assert [r["id"] for r in rows] == [archive["ur"], archive["en"]]  # newest first, off-topic hidden
    for row in rows:
        assert set(ARTICLE_FIELDS) <= set(row)
        for key in ("published", "fetched"):
            assert datetime.fromisoformat(row[key]).tzinfo is not None, row[key]
    urdu = rows[0]
    assert urdu["source"] == "bbcurdu"
    assert urdu["language"] == "ur"
    assert urdu["title"] == "پاکستان اور افغانستان کے مذاکرات"
    assert urdu["relevant"] is None and urdu["duplicate_of"] is None and urdu["story_id"] is None
    assert datetime.fromisoformat(urdu["published"]) == NOW - timedelta(days=1)
    assert rows[1]["relevant"] is True


def test_search_json_empty_result_is_an_empty_array(tmp_path, db_url, archive):
    assert _search_json(tmp_path, db_url, "no-such-words-anywhere") == []


def test_search_filters(tmp_path, db_url, archive):
    assert [r["id"] for r in _search_json(tmp_path, db_url, "--include-irrelevant")] == [
        archive["off"],
        archive["ur"],
        archive["en"],
    ]
    assert [r["id"] for r in _search_json(tmp_path, db_url, "--source", "dawn")] == [archive["en"]]
    assert [r["id"] for r in _search_json(tmp_path, db_url, "--language", "ur")] == [archive["ur"]]
    assert [r["id"] for r in _search_json(tmp_path, db_url, "--since", "2d")] == [archive["ur"]]
    assert [r["id"] for r in _search_json(tmp_path, db_url, "--until", "2d")] == [archive["en"]]
    since = (NOW - timedelta(days=4)).strftime("%Y-%m-%dT%H:%M:%S")  # naive: UTC
    until = (NOW - timedelta(days=2)).isoformat()
    assert [r["id"] for r in _search_json(tmp_path, db_url, "--since", since, "--until", until)] == [archive["en"]]
    assert [r["id"] for r in _search_json(tmp_path, db_url, "مذاکرات")] == [archive["ur"]]
    assert [r["id"] for r in _search_json(tmp_path, db_url, "CEASEFIRE", "--limit", "1")] == [archive["en"]]


def test_search_csv(tmp_path, db_url, archive):
    result = run_cli("search", "--include-irrelevant", "--format", "csv", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == ARTICLE_FIELDS
    rows = list(reader)
    assert [int(r["id"]) for r in rows] == [archive["off"], archive["ur"], archive["en"]]
    assert rows[0]["relevant"] == "false" and rows[1]["relevant"] == "" and rows[2]["relevant"] == "true"
    assert datetime.fromisoformat(rows[1]["published"]).tzinfo is not None


def test_search_csv_without_rows_still_has_header(tmp_path, db_url):
    result = run_cli("search", "--format", "csv", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [",".join(ARTICLE_FIELDS)]


def test_search_table(tmp_path, db_url, archive):
    result = run_cli("search", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    assert "Pakistan, Afghanistan extend ceasefire" in result.stdout
    assert "https://dawn.example/talks" in result.stdout
    assert "cricket" not in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes into a pipe


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"third round', "unbalanced quote"),
        ("NEAR(talks istanbul)", "parentheses"),
        ("talks AND istanbul", "AND is not an operator"),
        ("talks OR", "OR needs a word on each side"),
        ("-cricket", "only excludes"),
        ("ne*go", "goes at the end of a word"),
    ],
)
def test_malformed_query_exits_2_naming_the_problem(tmp_path, query, problem):
    config = _config(tmp_path, "sqlite:///never-created.db")
    # After "--", so that "-cricket" is the query, not an option.
    stderr = _assert_clean_failure(run_cli("search", "--format", "json", "--config", str(config), "--", query), 2)
    assert "invalid query" in stderr and problem in stderr
    assert not (tmp_path / "never-created.db").exists()


def test_search_bad_order_exits_2(tmp_path):
    config = _config(tmp_path, "sqlite:///never-created.db")
    stderr = _assert_clean_failure(run_cli("search", "x", "--order", "random", config=config), 2)
    assert "--order" in stderr


def test_search_query_syntax_order_and_snippets(tmp_path, db_url, archive):
    rows = _search_json(tmp_path, db_url, '"extend ceasefire"', "--include-irrelevant")
    assert [r["id"] for r in rows] == [archive["en"]]
    assert rows[0]["rank"] is None  # newest first: nothing was ranked
    rows = _search_json(tmp_path, db_url, "istanbul -cricket", "--include-irrelevant", "--order", "relevance")
    assert {r["id"] for r in rows} == {archive["en"], archive["ur"]}
    assert all("«Istanbul»" in r["snippet"] and r["rank"] > 0 for r in rows)
    assert [r["id"] for r in _search_json(tmp_path, db_url, "istan*", "--offset", "1")] == [archive["en"]]
    assert _search_json(tmp_path, db_url)[0]["rank"] is None  # no query, no rank


def test_search_csv_with_query_has_snippets(tmp_path, db_url, archive):
    config = _config(tmp_path, db_url)
    result = run_cli("search", "مذاکرات OR talks", "--format", "csv", config=config)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["id"]) for r in rows] == [archive["ur"], archive["en"]]
    assert "«" in rows[1]["snippet"] and rows[1]["rank"] == ""
    result = run_cli("search", "talks", "--order", "relevance", "--format", "csv", config=config)
    assert result.returncode == 0, result.stderr
    ranked = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(ranked) == 2 and all(float(r["rank"]) > 0 for r in ranked)


def test_search_table_with_query_shows_the_match(tmp_path, db_url, archive):
    result = run_cli("search", "continued", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    assert "«continued»" in result.stdout
    assert "Match" in result.stdout


# --- sources -----------------------------------------------------------------------------


def test_sources_json_shows_failures(tmp_path, db_url, sessions):
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec(s["name"], s["type"], s["url"]) for s in SOURCES[:1]])
        record_fetch(session, rows["dawn"].id, FetchOutcome("ok", 200, items_found=20), now=NOW - timedelta(hours=1))
        record_fetch(
            session,
            rows["dawn"].id,
            FetchOutcome("error", 503, error="HTTP 503 Service Unavailable"),
            now=NOW,
        )
    result = run_cli("sources", "--format", "json", config=_config(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["name"] for s in report] == ["dawn", "bbcurdu"]  # config order
    dawn, urdu = report
    assert set(SOURCE_FIELDS) <= set(dawn)
    assert dawn["status"] == "error"
    assert dawn["http_status"] == 503
    assert dawn["last_error"] == "HTTP 503 Service Unavailable"
    assert dawn["consecutive_errors"] == 1
    assert dawn["items_last_fetch"] == 20
    assert datetime.fromisoformat(dawn["last_error_at"]) == NOW
    assert datetime.fromisoformat(dawn["last_success"]) == NOW - timedelta(hours=1)
    assert dawn["interval"] == "30m" and urdu["interval"] == "10m"
    # Configured but never polled: listed all the same.
    assert urdu["status"] == "new" and urdu["last_fetch"] is None and urdu["articles_total"] == 0


def test_sources_table_truncates_long_errors_only_there(tmp_path, db_url, sessions):
    long_error = "connection refused " * 20
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec("dawn", "feed", SOURCES[0]["url"])])
        record_fetch(session, rows["dawn"].id, FetchOutcome("error", None, error=long_error), now=NOW)
    config = _config(tmp_path, db_url)
    table = run_cli("sources", config=config)
    assert table.returncode == 0, table.stderr
    assert "dawn" in table.stdout and "…" in table.stdout
    assert long_error.strip() not in table.stdout
    as_csv = run_cli("sources", "--format", "csv", config=config)
    assert as_csv.returncode == 0, as_csv.stderr
    row = next(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert row["last_error"] == long_error


def test_sources_table_at_100_columns_breaks_no_word(tmp_path, db_url, sessions):
    sources = [
        {"name": "dawn", "type": "feed", "url": "https://www.dawn.com/feeds/home"},
        {"name": "geo-sitemap", "type": "sitemap", "url": "https://www.geo.tv/sitemap.xml"},
        {"name": "aljazeera", "type": "listing", "url": "https://www.aljazeera.com/where/pakistan/"},
        {"name": "limited", "type": "feed", "url": "https://limited.example/feed"},
    ]
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec(s["name"], s["type"], s["url"]) for s in sources])
        record_fetch(session, rows["dawn"].id, FetchOutcome("ok", 200, items_found=20), now=NOW)
        record_fetch(
            session,
            rows["geo-sitemap"].id,
            FetchOutcome("error", 503, error="HTTP 503 Service Unavailable " + "x" * 90),
            now=NOW,
        )
        record_fetch(session, rows["limited"].id, FetchOutcome("rate_limited", 429, error="HTTP 429"), now=NOW)
    result = run_cli("sources", config=_config(tmp_path, db_url, sources), env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    header = next(line for line in lines if "Source" in line)
    for word in ("Source", "Status", "HTTP", "Errors", "Last fetch (UTC)"):
        assert word in header, header
    cells = [line.split("│") for line in lines if line.startswith("│")]
    statuses = {cell.strip() for row in cells for cell in row}
    assert {"ok", "error", "rate_limited", "new"} <= statuses, result.stdout
    assert "200" in statuses and "503" in statuses
    assert "\x1b" not in result.stdout  # no colour codes or links into a pipe


def test_search_table_urls_whole_and_plain_in_a_pipe(tmp_path, db_url, archive):
    result = run_cli("search", config=_config(tmp_path, db_url), env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    flat = "".join(line.split("│")[-2].strip() for line in result.stdout.splitlines() if line.startswith("│"))
    assert "https://dawn.example/talks" in flat and "https://bbc.example/urdu/1" in flat
    # On a terminal (FORCE_COLOR makes rich treat the pipe as one), each URL is a hyperlink.
    terminal = run_cli("search", config=_config(tmp_path, db_url), env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert terminal.returncode == 0, terminal.stderr
    assert ";https://dawn.example/talks\x1b\\" in terminal.stdout  # OSC 8 with the whole URL


def test_tables_show_published_time_relative_in_the_display_zone(tmp_path, db_url, archive, sessions):
    with transaction(sessions) as session:
        session.get_one(Article, archive["ur"]).published_at = None  # undated: when it was seen stands in
        attach(session, archive["en"], None, title="Ceasefire extended", when=NOW)
        rows = sync_sources(session, [SourceSpec(s["name"], s["type"], s["url"]) for s in SOURCES])
        record_fetch(session, rows["dawn"].id, FetchOutcome("ok", 200, items_found=20), now=NOW)
    config = _config(tmp_path, db_url)
    config.write_text(config.read_text() + "display:\n  timezone: Asia/Karachi\n", encoding="utf-8")
    env = {"COLUMNS": "200"}
    karachi = ZoneInfo("Asia/Karachi")
    published = (NOW - timedelta(days=3)).astimezone(karachi)
    search = run_cli("search", config=config, env=env)
    assert search.returncode == 0, search.stderr
    assert "Published (PKT)" in search.stdout
    assert f"3 d ago, {published.day} {published:%b %H:%M}" in search.stdout
    assert "seen " in search.stdout and "(UTC)" not in search.stdout
    stories = run_cli("stories", config=config, env=env)
    assert "Published (PKT)" in stories.stdout, stories.stderr
    assert f"3 d ago, {published.day} {published:%b %H:%M}" in stories.stdout
    fetched = NOW.astimezone(karachi)
    sources = run_cli("sources", config=config, env=env)
    assert "Last fetch (PKT)" in sources.stdout, sources.stderr
    assert f"{fetched.day} {fetched:%b %H:%M}" in sources.stdout
    # JSON keeps the exact instant, in UTC.
    rows = json.loads(run_cli("search", "--format", "json", config=config).stdout)
    assert (NOW - timedelta(days=3)).isoformat() in {row["published"] for row in rows}


def test_sources_statuses_coloured_on_a_terminal(tmp_path, db_url, sessions):
    with transaction(sessions) as session:
        rows = sync_sources(session, [SourceSpec(s["name"], s["type"], s["url"]) for s in SOURCES])
        record_fetch(session, rows["dawn"].id, FetchOutcome("ok", 200, items_found=20), now=NOW)
        record_fetch(session, rows["bbcurdu"].id, FetchOutcome("error", 404, error="HTTP 404"), now=NOW)
    result = run_cli("sources", config=_config(tmp_path, db_url), env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "\x1b[32mok" in result.stdout  # green
    assert "\x1b[1;31merror" in result.stdout  # bold red


# Every numeric, age and date option of every command.
CLI_OPTIONS = [
    ("search", ["--since", "--until", "--story", "--limit", "--offset"]),
    ("stories", ["--since", "--story", "--limit"]),
    ("alerts", ["--since", "--limit"]),
]


@pytest.fixture
def logging_restored():
    """The CLI sets up the root logger; put it back for the tests that follow."""
    import logging

    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in NOISY_LOGGERS)]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, level, handlers in saved:
        logger.setLevel(level)
        logger.handlers[:] = handlers


def test_boundary_values_exit_0_or_2_never_a_traceback(tmp_path, db_url, archive, logging_restored):
    """Fuzz: every boundary value in every option is a result (0) or exit 2 naming the option.

    In-process through Click's runner, as hundreds of subprocesses would take minutes; an
    exception escaping the command is what a subprocess would print as a traceback.
    """
    config = str(_config(tmp_path, db_url))
    runner = CliRunner()
    wrong = []
    for command, options in CLI_OPTIONS:
        for option in options:
            for value in BOUNDARY_VALUES:
                result = runner.invoke(app, [command, option, value, "--format", "json", "--config", config])
                if result.exit_code == 0:
                    ok = isinstance(json.loads(result.stdout), list)
                elif result.exit_code == 1 and option == "--story":
                    ok = "not found" in result.stderr  # well-formed, but no such story
                else:
                    ok = result.exit_code == 2 and f"'{option}'" in result.stderr
                if not ok or not isinstance(result.exception, SystemExit | None):
                    wrong.append((command, option, value[:20], result.exit_code, repr(result.exception)))
    assert wrong == []


@pytest.mark.parametrize(
    "command", [["crawl"], ["search"], ["stories"], ["alerts"], ["sources"], ["digest"], ["run"], ["db", "upgrade"]]
)
def test_help_shows_no_type_on_flags(command):
    result = run_cli(*command, "--help", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "--verbose" in result.stdout
    assert "<bool>" not in result.stdout
