"""The JSON API against a real database and a real server: filters, shapes, paging, errors."""

from __future__ import annotations

import json

import pytest

from scheduler.cli.alerts import ALERT_FIELDS
from scheduler.cli.search import ARTICLE_FIELDS
from scheduler.cli.sources import SOURCE_FIELDS
from scheduler.cli.stories import STORY_FIELDS
from tests.boundary import BOUNDARY_VALUES
from tests.conftest import run_cli
from tests.web.conftest import AGREEMENT, HOSTILE, MARKET_REPORTS, URDU


def _titles(response):
    assert response.status_code == 200, response.text
    return [row["title"] for row in response.json()]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_articles_found_by_words_date_source_language_and_kind(client, archive):
    assert _titles(client.get("/api/articles", params={"q": "extend CEASEFIRE"})) == [AGREEMENT]
    assert _titles(client.get("/api/articles", params={"q": "جنگ بندی"})) == [URDU]
    # Date window: only the trade reports are from five days before T0.
    window = _titles(client.get("/api/articles", params={"since": "2025-11-01", "until": "2025-11-03"}))
    assert len(window) == MARKET_REPORTS and all(t.startswith("Border trade report") for t in window)
    by_source = client.get("/api/articles", params={"source": "dawn"}).json()
    assert by_source and {row["source"] for row in by_source} == {"dawn"}
    assert _titles(client.get("/api/articles", params={"language": "ur"})) == [URDU]
    clash = client.get("/api/articles", params={"kind": "new_clash"}).json()
    assert clash and {row["story_id"] for row in clash} == {archive.clash_story}
    assert {row["event_kind"] for row in clash} == {"new_clash"}
    in_story = client.get("/api/articles", params={"story": archive.agreement_story}).json()
    assert archive.urdu_article in {row["id"] for row in in_story}


def test_off_topic_articles_only_on_request(client, archive):
    ids = {row["id"] for row in client.get("/api/articles", params={"limit": 200}).json()}
    assert archive.irrelevant_article not in ids
    everything = client.get("/api/articles", params={"limit": 200, "include_irrelevant": "true"}).json()
    assert archive.irrelevant_article in {row["id"] for row in everything}


def test_json_has_the_cli_fields(client):
    """Every list carries exactly the fields ``--format json`` documents (and the OpenAPI schema)."""
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    for path, fields, model in [
        ("/api/articles", ARTICLE_FIELDS, "ArticleOut"),
        ("/api/stories", STORY_FIELDS, "StoryOut"),
        ("/api/alerts", ALERT_FIELDS, "AlertOut"),
        ("/api/sources", SOURCE_FIELDS, "SourceOut"),
    ]:
        rows = client.get(path).json()
        assert rows, path
        for row in rows:
            assert set(row) == set(fields), path
        assert set(schema[model]["properties"]) == set(fields), model


def test_same_json_as_the_cli(client, config_path, archive):
    """The API and ``newswatch ... --format json`` print the same objects for the same query."""
    pairs = [
        (["search", "Torkham", "--limit", "5"], "/api/articles?q=Torkham&limit=5"),
        (["stories"], "/api/stories"),
        (["alerts", "--kind", "new_clash"], "/api/alerts?kind=new_clash"),
    ]
    for command, path in pairs:
        result = run_cli(*command, "--format", "json", config=config_path)
        assert result.returncode == 0, result.stderr
        assert client.get(path).json() == json.loads(result.stdout), path


def test_story_detail_and_missing_story(client, archive):
    story = client.get(f"/api/stories/{archive.agreement_story}").json()
    assert story["title"] == AGREEMENT
    assert story["event_kind"] == "talks_outcome"
    assert story["outlets"] == ["dawn", "geo"]
    assert set(story["languages"]) == {"ur"}
    times = [a["published"] for a in story["articles"]]
    assert times == sorted(times) and story["article_count"] == 4
    [event] = story["events"]
    assert event["kind"] == "talks_outcome" and "extend the ceasefire" in event["evidence"]
    missing = client.get("/api/stories/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no story with id 999999"}


def test_alerts_and_kind_filter(client, archive):
    alerts = client.get("/api/alerts").json()
    assert [a["id"] for a in alerts] == [archive.clash_alert, archive.agreement_alert]
    clash = client.get("/api/alerts", params={"kind": "new_clash"}).json()
    assert [a["title"] for a in clash] == [HOSTILE]
    assert clash[0]["fields"]["casualties"] == {"pakistan": 2}


def test_sources_in_config_order_with_health(client):
    rows = client.get("/api/sources").json()
    assert [r["name"] for r in rows] == ["dawn", "geo", "tolo"]
    assert [r["enabled"] for r in rows] == [True, True, False]
    assert rows[1]["interval"] == "15m"
    # tolo was never synced or crawled: shown as new, not an error.
    assert rows[2]["status"] == "new" and rows[2]["articles_total"] == 0
    assert rows[0]["articles_total"] >= 1


def test_pages_are_disjoint_and_linked(client):
    seen: list[int] = []
    url = "/api/articles?limit=5"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        seen += [row["id"] for row in response.json()]
        pages += 1
        url = response.links.get("next", {}).get("url")
    everything = [row["id"] for row in client.get("/api/articles", params={"limit": 200}).json()]
    assert seen == everything and len(seen) == len(set(seen))
    assert pages == -(-len(everything) // 5)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=10001", "offset"),
        ("since=last+tuesday", "since"),
        ("until=2025-13-45", "until"),
        ("kind=earthquake", "kind"),
        ("story=abc", "story"),
        ("include_irrelevant=perhaps", "include_irrelevant"),
        # Out of range: these reached SQL or datetime arithmetic and answered 500.
        ("since=9999999d", "since"),
        ("until=999999999999d", "until"),
        ("since=0001-01-01T00:00%2B05:00", "since"),
        ("until=9999-12-31T23:00-05:00", "until"),
        ("story=99999999999999999999", "story"),
        ("story=9223372036854775808", "story"),
        ("story=2147483648", "story"),  # beyond PostgreSQL's INTEGER
    ],
)
def test_malformed_parameters_are_422_naming_the_parameter(client, query, named):
    response = client.get(f"/api/articles?{query}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", named]
    assert error["msg"]


@pytest.mark.parametrize("story_id", ["0", "2147483648", "9223372036854775808", "99999999999999999999"])
def test_story_id_out_of_range_is_422_naming_it(client, story_id):
    response = client.get(f"/api/stories/{story_id}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "story_id"]


# Every numeric, age and date parameter of every JSON route.
API_PARAMETERS = [
    ("/api/articles", ["since", "until", "story", "limit", "offset"]),
    ("/api/stories", ["since", "limit", "offset"]),
    ("/api/alerts", ["since", "limit", "offset"]),
    ("/alerts.atom", ["limit"]),
]


def test_boundary_values_never_answer_500(client):
    """Fuzz: every boundary value in every parameter is a result or a 422 naming that parameter."""
    wrong = []
    for path, names in API_PARAMETERS:
        for name in names:
            for value in BOUNDARY_VALUES:
                response = client.get(path, params={name: value})
                if response.status_code == 422:
                    if not any(e["loc"][-1] == name for e in response.json()["detail"]):
                        wrong.append((path, name, value[:20], response.text[:200]))
                elif response.status_code != 200:
                    wrong.append((path, name, value[:20], response.status_code))
    for value in BOUNDARY_VALUES:
        if value.strip():
            response = client.get(f"/api/stories/{value}")
            named = response.status_code == 422 and response.json()["detail"][0]["loc"] == ["path", "story_id"]
            if not (named or response.status_code in (200, 404)):
                wrong.append(("/api/stories/{id}", "story_id", value[:20], response.status_code))
    assert wrong == []


@pytest.mark.parametrize("q", ['"third round', "talks AND ceasefire", "(talks)", "-only"])
def test_unreadable_search_queries_are_422_naming_q(client, q):
    response = client.get("/api/articles", params={"q": q})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("q: invalid query")
    page = client.get("/search", params={"q": q})
    assert page.status_code == 422 and "invalid query" in page.text


def test_relevance_order_and_highlighted_snippets(client, archive):
    ranked = client.get("/api/articles", params={"q": "crossing", "order": "relevance"}).json()
    assert ranked and all(row["rank"] is not None for row in ranked)
    assert [row["rank"] for row in ranked] == sorted((row["rank"] for row in ranked), reverse=True)
    assert any("«" in (row["snippet"] or "") for row in ranked)
    page = client.get("/search", params={"q": "crossing"})
    assert page.status_code == 200 and "<mark>" in page.text and "«" not in page.text
    assert client.get("/api/articles", params={"order": "oldest"}).status_code == 422


def test_other_malformed_requests(client):
    reversed_range = client.get("/api/articles", params={"since": "2025-11-09", "until": "2025-11-01"})
    assert reversed_range.status_code == 422
    assert reversed_range.json() == {"detail": "since must be earlier than until"}
    assert client.get("/api/stories/not-a-number").status_code == 422
    assert client.get("/api/alerts", params={"since": "soon"}).status_code == 422
    assert client.get("/api/nothing-here").status_code == 404


def test_read_only(client):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert client.request(method, "/api/articles").status_code == 405


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/stories", "/api/stories/{story_id}", "/api/alerts", "/api/sources"):
        assert "get" in paths[path], path
    assert "/alerts.atom" in paths and "/healthz" in paths
    parameters = {p["name"] for p in paths["/api/articles"]["get"]["parameters"]}
    assert {"q", "since", "until", "source", "language", "kind", "story", "limit", "offset"} <= parameters
