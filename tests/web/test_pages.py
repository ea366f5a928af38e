"""The dashboard pages over real HTTP: content, escaping of scraped text, errors as pages."""

from __future__ import annotations

import pytest

from tests.boundary import BOUNDARY_VALUES
from tests.web.conftest import AGREEMENT, URDU

ESCAPED = "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt; &amp; more"


def _page(client, path, **params):
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_alerts_timeline(client, archive):
    html = _page(client, "/")
    assert AGREEMENT in html
    assert f'href="/stories/{archive.agreement_story}"' in html
    assert "Both sides agreed to extend the ceasefire" in html
    assert 'type="application/atom+xml"' in html
    clash_only = _page(client, "/", kind="new_clash")
    assert AGREEMENT not in clash_only and "Border clash at Torkham" in clash_only


def test_story_page_shows_event_evidence_outlets_and_articles_in_time_order(client, archive):
    html = _page(client, f"/stories/{archive.agreement_story}")
    assert AGREEMENT in html and URDU in html
    assert "Talks outcome · agreement reached" in html
    assert "Both sides agreed to extend the ceasefire, the Qatari mediator said." in html
    assert "dawn, geo" in html
    positions = [html.index(f"https://news.example/a/{i}") for i in (0, 2, 1)]  # published +0, +10, +30 min
    assert positions == sorted(positions)
    assert html.index("https://news.example/a/1") < html.index("https://urdu.example/ceasefire")
    assert "copy of #" in html


def test_search_page_filters(client):
    html = _page(client, "/search", q="ceasefire", source="", since="", kind="")
    assert AGREEMENT in html and "Border trade report" not in html
    html = _page(client, "/search", since="2025-11-01", until="2025-11-03", source="geo")
    assert html.count("Border trade report") == 12
    assert "<option selected>geo</option>" in html
    html = _page(client, "/search", q="cricket", include_irrelevant="true")
    assert "Cricket: Pakistan beat Afghanistan" in html
    assert "Cricket" not in _page(client, "/search", q="cricket")


def test_sources_page(client):
    html = _page(client, "/sources")
    for name in ("dawn", "geo", "tolo"):
        assert f">{name}</a>" in html
    assert "(disabled)" in html


def test_scraped_text_is_escaped_everywhere(client, archive):
    for path in ("/", "/stories", f"/stories/{archive.clash_story}", "/search?q=Torkham+clash"):
        html = _page(client, path)
        assert "<script>" not in html, path
        assert ESCAPED in html, path


def test_javascript_urls_are_not_links(client, archive):
    html = _page(client, "/search", q="Chaman")
    assert "Pakistan closes Chaman crossing" in html
    assert 'href="javascript:' not in html
    assert '<a class="article-link" dir="auto" href="#"' in html


def test_errors_are_pages_not_500s(client):
    missing = client.get("/stories/424242")
    assert missing.status_code == 404 and "There is no story 424242." in missing.text
    bad = client.get("/search", params={"since": "last tuesday"})
    assert bad.status_code == 422
    assert "since: &#39;last tuesday&#39; is not an ISO date" in bad.text
    assert client.get("/search", params={"since": "2025-11-09", "until": "2025-11-01"}).status_code == 422
    assert client.get("/stories/abc").status_code == 422
    assert client.get("/", params={"limit": "9999"}).status_code == 422


def test_static_css_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/search", {"story": "99999999999999999999"}, "story"),
        ("/search", {"story": "2147483648"}, "story"),  # beyond PostgreSQL's INTEGER
        ("/search", {"since": "9999999d"}, "since"),
        ("/search", {"until": "9999-12-31T23:00-05:00"}, "until"),
    ],
)
def test_out_of_range_form_values_are_422_pages_naming_them(client, path, params, named):
    response = client.get(path, params=params)
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert f"{named}: " in response.text


@pytest.mark.parametrize("story_id", ["2147483648", "9223372036854775808", "99999999999999999999"])
def test_story_page_beyond_the_id_range_is_not_found(client, story_id):
    response = client.get(f"/stories/{story_id}")
    assert response.status_code == 404 and f"There is no story {story_id}." in response.text


# Every numeric, age and date parameter of every page.
PAGE_PARAMETERS = [
    ("/", ["limit", "offset"]),
    ("/stories", ["limit", "offset"]),
    ("/search", ["since", "until", "story", "limit", "offset"]),
]


def test_boundary_values_are_pages_never_500(client):
    """Fuzz: every boundary value in every parameter is a page or a 422 page naming that parameter."""
    wrong = []
    for path, names in PAGE_PARAMETERS:
        for name in names:
            for value in BOUNDARY_VALUES:
                response = client.get(path, params={name: value})
                ok = response.status_code == 200 or (response.status_code == 422 and f"{name}: " in response.text)
                if not ok or not response.headers["content-type"].startswith("text/html"):
                    wrong.append((path, name, value[:20], response.status_code))
    for value in BOUNDARY_VALUES:
        if value.strip():
            response = client.get(f"/stories/{value}")
            ok = response.status_code in (200, 404) or (response.status_code == 422 and "story_id: " in response.text)
            if not ok or not response.headers["content-type"].startswith("text/html"):
                wrong.append(("/stories/{id}", "story_id", value[:20], response.status_code))
    assert wrong == []
