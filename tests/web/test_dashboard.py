"""What the dashboard's frame tells on every page: source health, what is new, times.

Real HTTP against the real server (the ``client`` fixtures), sources made to fail the way
the crawler records a failed poll (``storage.sources.record_fetch``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from core.configfile import load_config
from core.times import absolute, relative
from storage import labels
from storage.db import transaction
from storage.models import Alert, Story
from storage.sources import FetchOutcome, SourceSpec, record_fetch, sync_sources
from tests.alertdata import T0
from tests.conftest import loopback_config, write_config
from tests.web.conftest import AGREEMENT as AGREEMENT_TEXT
from tests.web.conftest import running_api
from web import filters
from web.filters import FILTERS
from web.visits import COOKIE, EPOCH, MICROSECOND, to_cookie_time

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
    poll(sessions, dawn="error", geo="error")
    with running_api(web_config, env={"NEWSWATCH_API_TOKEN": "t0ken"}) as server:
        refused = httpx.get(server.url + "/", timeout=30)
    assert refused.status_code == 401
    assert "failing" not in refused.text and "health-banner" not in refused.text


# --- new since the last visit -------------------------------------------------------------


def visit_cookie(since: datetime, last: datetime) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={to_cookie_time(since)}_{to_cookie_time(last)}"}


def new_marks(html: str) -> int:
    return html.count('<span class="new-mark">new</span>')


def nav_count(html: str) -> int:
    found = re.search(r'<a href="/">Alerts <span class="count"[^>]*>(\d+) new</span></a>', html)
    return int(found[1]) if found else 0


def set_visit(response) -> tuple[datetime, datetime]:
    header = response.headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=lax" in header and "Max-Age=31536000" in header
    since, last = response.cookies[COOKIE].split("_")
    return EPOCH + int(since) * MICROSECOND, EPOCH + int(last) * MICROSECOND


@pytest.fixture
def dated(archive, sessions):
    """The agreement alert raised 5 hours ago, the clash now; the clash story first seen 3 days before T0."""
    with transaction(sessions) as session:
        session.get(Alert, archive.agreement_alert).created_at = datetime.now(UTC) - timedelta(hours=5)
        session.get(Story, archive.clash_story).first_seen_at = T0 - timedelta(days=3)
    return archive


def test_first_visit_marks_nothing_and_starts_the_visit(client, dated):
    before = datetime.now(UTC)
    response = client.get("/")
    assert new_marks(response.text) == 0 and nav_count(response.text) == 0
    since, last = set_visit(response)
    assert since == last and before <= last <= datetime.now(UTC)


def test_a_new_visit_marks_what_arrived_since_the_previous_one(client, dated):
    now = datetime.now(UTC)
    # The previous visit ended 2 hours ago: the clash alert (now) is new, the agreement (5 h ago) is not.
    response = client.get("/", headers=visit_cookie(now - timedelta(hours=3), now - timedelta(hours=2)))
    html = response.text
    assert new_marks(html) == 1 and nav_count(html) == 1
    assert html.index("new-mark") < html.index("Border clash at Torkham") < html.index(AGREEMENT_TEXT)
    since, last = set_visit(response)
    assert since == now - timedelta(hours=2)  # the previous visit's end
    assert last >= now

    # Within the visit (a reload, a story opened and back): the same marks, the same mark time.
    again = client.get("/", headers={"Cookie": f"{COOKIE}={response.cookies[COOKIE]}"})
    assert new_marks(again.text) == 1 and nav_count(again.text) == 1
    assert set_visit(again)[0] == since
    # The count is in the nav of every page.
    stories = client.get("/stories", headers={"Cookie": f"{COOKIE}={response.cookies[COOKIE]}"})
    assert nav_count(stories.text) == 1


def test_stories_first_seen_since_the_last_visit_are_marked(client, dated):
    cookie = visit_cookie(T0 - timedelta(days=2), T0 - timedelta(days=1))
    html = client.get("/stories", headers=cookie).text
    assert new_marks(html) == 1
    row = re.search(r'<tr class="is-new">.*?</tr>', html, re.S)
    assert row and AGREEMENT_TEXT in row[0]
    assert nav_count(html) == 2  # both alerts were raised after T0


def test_a_browser_keeps_its_visit_across_requests(client, dated):
    """The cookie as a browser keeps it: the jar of one client, nothing crafted."""
    client.get("/")
    assert COOKIE in client.cookies
    assert new_marks(client.get("/").text) == 0  # same visit, and nothing arrived since it began


@pytest.mark.parametrize(
    "value",
    ["", "garbage", "1_", "_1", "2_1", "99999999999999999_99999999999999999", "9" * 400 + "_1", "-1_-1", "1e3_1e4"],
)
def test_an_unreadable_cookie_is_a_first_visit(client, dated, value):
    response = client.get("/", headers={"Cookie": f"{COOKIE}={value}"})
    assert response.status_code == 200
    assert new_marks(response.text) == 0
    since, last = set_visit(response)
    assert since == last


def test_only_pages_shown_move_the_visit(client, dated):
    cookie = visit_cookie(T0, T0 + timedelta(hours=1))
    for path in ("/api/alerts", "/alerts.atom", "/healthz", "/stories/424242", "/search?since=nonsense"):
        response = client.get(path, headers=cookie)
        assert "set-cookie" not in response.headers, path


# --- times: published first, relative, absolute in the display zone ------------------------


def test_relative_and_absolute_times():
    now = datetime(2025, 11, 7, 12, 0, tzinfo=UTC)
    karachi = ZoneInfo("Asia/Karachi")
    assert relative(now - timedelta(seconds=20), now) == "just now"
    assert relative(now - timedelta(minutes=5, seconds=59), now) == "5 min ago"
    assert relative(now - timedelta(hours=2, minutes=59), now) == "2 h ago"
    assert relative(now - timedelta(days=3, hours=1), now) == "3 d ago"
    assert relative(now + timedelta(minutes=15), now) == "in 15 min"
    # Past a week, the date, in the zone: 21:30 UTC on 29 Oct is already 30 Oct in Karachi.
    assert relative(datetime(2025, 10, 29, 21, 30, tzinfo=UTC), now, karachi) == "30 Oct 2025"
    assert relative(datetime(2025, 10, 29, 21, 30), now) == "29 Oct 2025"  # naive = UTC
    assert absolute(datetime(2025, 11, 7, 9, 0, tzinfo=UTC), karachi) == "2025-11-07 14:00 PKT"
    assert absolute(datetime(2025, 11, 7, 9, 0, tzinfo=UTC)) == "2025-11-07 09:00 UTC"


def zoned_client(db_url, tmp_path, **sections):
    sources = [{"name": "dawn", "type": "feed", "url": "https://www.dawn.com/feeds/home"}]
    config = load_config(write_config(tmp_path / "zoned", loopback_config(db_url, sources, **sections)), env={})
    return running_api(config)


T0_KARACHI = '<time datetime="2025-11-07T09:00:00+00:00" title="2025-11-07 14:00 PKT">7 Nov 2025</time>'


@pytest.mark.parametrize(
    "sections",
    [
        {"display": {"timezone": "Asia/Karachi"}},
        # display.timezone unset: the digest's zone, so the dashboard and the digest agree.
        {"digest": {"timezone": "Asia/Karachi"}},
        {"digest": {"timezone": "Europe/London"}, "display": {"timezone": "Asia/Karachi"}},
    ],
)
def test_times_are_published_first_relative_and_zoned_on_every_page(db_url, tmp_path, archive, sections):
    with zoned_client(db_url, tmp_path, **sections) as server, httpx.Client(base_url=server.url) as http:
        alerts = http.get("/").text
        # The card leads with the report's published time (T0 + 0 min), then when the alert was raised.
        card = alerts[alerts.index('<li class="alert') : alerts.index("</li>")]
        assert card.index("published " + T0_KARACHI) < card.index("alert raised <time")
        assert re.search(r'alert raised <time datetime="[^"]+" title="[^"]+ PKT">just now</time>', card)
        assert T0_KARACHI in http.get("/stories").text  # a story's first published article
        story = http.get(f"/stories/{archive.agreement_story}").text
        assert "<dt>First published</dt><dd>" + T0_KARACHI in story
        assert T0_KARACHI in story[story.index("Coverage") :]
        search = http.get("/search", params={"q": "ceasefire"}).text
        assert T0_KARACHI in search
        assert " UTC" not in alerts + story + search


def test_times_default_to_utc(client, archive):
    story = client.get(f"/stories/{archive.agreement_story}").text
    assert '<time datetime="2025-11-07T09:00:00+00:00" title="2025-11-07 09:00 UTC">7 Nov 2025</time>' in story


def test_events_read_as_words_from_the_labels_module(client, archive):
    story = client.get(f"/stories/{archive.clash_story}").text
    # storage.labels, as in the digest and the feed: not the stored identifiers.
    assert '<span class="badge new_clash">New clash · border clash</span>' in story
    assert "<dt>Casualties</dt><dd>Pakistan: 2</dd>" in story
    assert "<dt>Places</dt><dd>Torkham</dd>" in story
    assert "pakistan: 2" not in story
    alerts = client.get("/", params={"kind": "new_clash"}).text
    assert "New clash · border clash" in alerts


def test_web_filters_have_no_labels_of_their_own():
    # One definition of every label: web.filters registers storage.labels' functions.
    assert FILTERS["event_label"] is labels.event_label
    assert FILTERS["kind_label"] is labels.kind_label
    assert FILTERS["event_fields"] is labels.event_fields
    assert not hasattr(filters, "field_text")


def test_api_docs_assets_are_served_here(client):
    html = client.get("/api/docs").text
    assets = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)
    assert {"/api/docs/assets/swagger-ui-bundle.js", "/api/docs/assets/swagger-ui.css"} <= set(assets)
    assert all(asset.startswith("/") for asset in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
