"""What the dashboard's frame tells on every page: source health, what is new, times.

Real HTTP against the real server (the ``client`` fixtures), sources made to fail the way
the crawler records a failed poll (``storage.sources.record_fetch``).
"""

from __future__ import annotations

import re

import pytest

from storage.db import transaction
from storage.sources import FetchOutcome, SourceSpec, record_fetch, sync_sources

PAGES = ["/", "/stories", "/search", "/sources", "/search?q=ceasefire"]
BANNER = re.compile(r'class="health-banner".*?(\d+) of (\d+) sources? (?:is|are) failing.*?href="/sources"', re.S)


def poll(sessions, **statuses: str) -> None:
    """Record one poll per source: ``dawn="error"`` fails dawn's last poll, ``geo="ok"`` succeeds."""
    with transaction(sessions) as session:
        synced = sync_sources(
            session,
            [
                SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home"),
                SourceSpec("geo", "feed", "https://geo.tv/rss"),
            ],
        )
        for name, status in statuses.items():
            error = "connection refused" if status == "error" else None
            record_fetch(session, synced[name].id, FetchOutcome(status=status, error=error))


def banner(html: str) -> tuple[int, int] | None:
    found = BANNER.search(html)
    return (int(found[1]), int(found[2])) if found else None


def test_failing_sources_show_a_banner_on_every_page(client, sessions, archive):
    poll(sessions, dawn="error", geo="ok")
    for path in [*PAGES, f"/stories/{archive.agreement_story}"]:
        response = client.get(path)
        assert response.status_code == 200, path
        # tolo is disabled: 1 of the 2 watched sources.
        assert banner(response.text) == (1, 2), path
    # Error pages too (but never the 401 page: see test_auth).
    assert banner(client.get("/stories/424242").text) == (1, 2)


def test_healthy_sources_show_no_banner(client, sessions):
    poll(sessions, dawn="ok", geo="not_modified")
    for path in PAGES:
        assert banner(client.get(path).text) is None, path


def test_no_alerts_because_nothing_works_is_not_no_alerts(client_empty, sessions):
    poll(sessions, dawn="error", geo="error")
    html = client_empty.get("/").text
    assert banner(html) == (2, 2)
    assert "No alerts yet" not in html
    assert "No alerts, but 2 of 2 sources are failing" in html


def test_no_alerts_before_the_first_crawl(client_empty):
    html = client_empty.get("/").text
    assert banner(html) is None
    assert "No alerts yet" not in html
    assert "no source has been fetched yet" in html


def test_no_alerts_on_a_quiet_day(client_empty, sessions):
    poll(sessions, dawn="ok", geo="empty")
    html = client_empty.get("/").text
    assert banner(html) is None
    assert "No alerts yet." in html


@pytest.mark.parametrize("status", ["blocked", "rate_limited"])
def test_every_failed_poll_status_counts(client_empty, sessions, status):
    poll(sessions, dawn="ok", geo=status)
    assert banner(client_empty.get("/sources").text) == (1, 2)


def test_the_401_page_tells_nothing_about_the_sources(web_config, sessions, archive):
    import httpx

    from tests.web.conftest import running_api

    poll(sessions, dawn="error", geo="error")
    with running_api(web_config, env={"NEWSWATCH_API_TOKEN": "t0ken"}) as server:
        refused = httpx.get(server.url + "/", timeout=30)
    assert refused.status_code == 401
    assert "failing" not in refused.text and "health-banner" not in refused.text
