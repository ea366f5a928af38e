"""Rendering a digest: sections by kind, links, timeline, source health, escaping."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from core.configfile import load_config
from core.errors import ConfigError
from notify.channels import send_message
from notify.digest import build_digest, dashboard_url, digest_message, render_digest
from storage import crawl_runs
from storage.db import utcnow
from storage.models import Article, Story
from storage.sources import FetchOutcome, SourceSpec, record_fetch, sync_sources
from tests.alertdata import make_alert
from tests.conftest import write_config
from tests.digestdata import fill_period

KARACHI = ZoneInfo("Asia/Karachi")
HOSTILE = 'Clash at Chaman <script>alert("x")</script> & more'


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _digest(sessions, **kwargs):
    with sessions.begin() as session:
        start = fill_period(session, **kwargs)
    with sessions() as session:
        return build_digest(session, start, utcnow() + timedelta(seconds=1), KARACHI)


def test_digest_groups_stories_by_kind_with_evidence_and_links(sessions):
    content = _digest(sessions)
    rendered = render_digest(content)
    text = rendered.text
    assert rendered.subject.startswith("[newswatch] digest ")
    day = content.end.astimezone(KARACHI).strftime("%Y-%m-%d")
    assert rendered.subject == (
        f"[newswatch] digest {day}: 1 talks outcome, 1 new clash, 1 other relevant story (1 of 2 sources failing)"
    )
    # Sections in reading order: outcomes, clashes, other coverage; then source health.
    order = [
        text.index(h) for h in ("== Talks outcomes (1)", "== New clashes (1)", "== Other relevant", "== Source health")
    ]
    assert order == sorted(order)
    assert "Both sides agreed to extend the ceasefire" in text
    for url in ("https://news.example/outcome/0", "https://news.example/outcome/1", "https://news.example/outcome/2"):
        assert url in text
    assert "broken: failing (1 of 1 polls failed, 1 in a row): HTTP 500" in text
    assert "quiet: nothing new in 1 poll" in text
    assert "seed:" not in text and "Third round opens" not in text
    assert "PKT" in text  # times in the digest's zone


def test_html_part_escapes_scraped_text(sessions):
    content = _digest(sessions, clash_title=HOSTILE)
    html = render_digest(content).html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    parser = _Collector()
    parser.feed(html)
    assert "script" not in parser.tags
    assert 'href="https://news.example/clash/0"' in html


def test_empty_period_says_nothing_new(sessions):
    with sessions() as session:
        now = utcnow()
        content = build_digest(session, now - timedelta(days=1), now, KARACHI)
    rendered = render_digest(content)
    assert content.empty
    assert rendered.subject.endswith(": nothing new")
    assert "Nothing new in this period" in rendered.text and "Nothing new in this period" in rendered.html


def test_message_is_multipart_text_and_html(sessions):
    content = _digest(sessions)
    message = digest_message(render_digest(content), sender="nw@example.org", recipients=["a@example.org"], key="k")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "a@example.org"


def _fail(session, names: list[str], error: str = "ConnectError: [Errno 101] Network is unreachable") -> None:
    """One failed poll of each source in ``names`` (created if new), as the service records it."""
    sources = sync_sources(session, [SourceSpec(n, "feed", f"https://{n}.example/feed") for n in names])
    for name in names:
        run = crawl_runs.start_run(session, sources[name].id)
        outcome = FetchOutcome(status="error", error=error)
        record_fetch(session, sources[name].id, outcome)
        crawl_runs.finish_run(
            session, run.id, status="error", counts=crawl_runs.RunCounts(), http_status=None, error=error
        )


def test_header_names_the_failing_sources_first(sessions):
    rendered = render_digest(_digest(sessions))
    line = "1 of 2 sources failing: broken (HTTP 500 Internal Server Error)"
    for part in (rendered.text, rendered.html):
        assert line in part
        # At the top: before the first story.
        assert part.index(line) < part.index("Top of the morning") < part.index("Talks outcomes")


def test_nothing_works_cannot_pass_for_a_quiet_day(sessions):
    # A fresh install with no network: every source fails, nothing is stored.
    names = [f"source{i:02}" for i in range(24)]
    start = utcnow() - timedelta(seconds=1)
    with sessions.begin() as session:
        _fail(session, names)
    with sessions() as session:
        content = build_digest(session, start, utcnow() + timedelta(seconds=1), KARACHI)
    rendered = render_digest(content)
    assert content.nothing_new and not content.empty  # digest.skip_empty does not skip it
    assert rendered.subject.endswith(": nothing new (24 of 24 sources failing)")
    for part in (rendered.text, rendered.html):
        assert "24 of 24 sources failing: source00 (ConnectError: [Errno 101] Network is unreachable)" in part
        assert ", and 16 more" in part
        assert "this may be silence, not a quiet day" in part


def test_header_counts_the_configured_sources(sessions):
    start = utcnow() - timedelta(seconds=1)
    with sessions.begin() as session:
        _fail(session, ["broken"], "HTTP 503")
        sync_sources(session, [SourceSpec("dawn", "feed", "https://www.dawn.com/feeds/home")])
    with sessions() as session:
        end = utcnow() + timedelta(seconds=1)
        configured = build_digest(session, start, end, KARACHI, sources=["broken", "dawn"])
        nothing_polled = build_digest(session, end, end + timedelta(days=1), KARACHI)
    assert "1 of 2 sources failing: broken (HTTP 503)" in render_digest(configured).text
    assert "No source was polled in this period: is the service running?" in render_digest(nothing_polled).text


def _two_events(sessions) -> tuple[datetime, int, int]:
    """A clash reported yesterday at 02:10 UTC and a talks outcome at 05:45 UTC, first seen now."""
    start = utcnow() - timedelta(seconds=1)
    with sessions.begin() as session:
        make_alert(
            session,
            slug="clash",
            kind="new_clash",
            subtype="cross_border_attack",
            title="Militants attack a border post in Kurram",
            fields={
                "event_date": "2025-11-07",
                "places": ["Kurram"],
                "casualties": {"pakistan_killed": 3, "pakistan_injured": 5},
            },
        )
        make_alert(session, slug="talks", subtype="no_agreement", title="Istanbul talks end without a deal")
        ids = dict(session.execute(select(Story.title, Story.id)).all())
        clash, talks = ids["Militants attack a border post in Kurram"], ids["Istanbul talks end without a deal"]
        day = utcnow() - timedelta(days=1)
        for story, reported in ((clash, day.replace(hour=2, minute=10)), (talks, day.replace(hour=5, minute=45))):
            session.execute(update(Article).where(Article.story_id == story).values(published_at=reported))
    return start, clash, talks


def test_top_of_the_morning_one_line_per_event_newest_first_in_the_digest_zone(sessions):
    start, _clash, _talks = _two_events(sessions)
    with sessions() as session:
        content = build_digest(session, start, utcnow() + timedelta(seconds=1), KARACHI)
    rendered = render_digest(content)
    day = (datetime.now(UTC) - timedelta(days=1)).strftime("%a")
    # 05:45 and 02:10 UTC are 10:45 and 07:10 in Karachi (UTC+5).
    talks = f"{day} 10:45 · Istanbul · Talks outcome: ended without agreement"
    clash = f"{day} 07:10 · Kurram · New clash: cross-border attack · Pakistan: 3 killed, 5 injured"
    top = rendered.text.split("== Top of the morning ==\n")[1].split("\n\n")[0].splitlines()
    assert top == [talks, clash]
    html = re.sub(r"<[^>]+>", "", rendered.html)
    assert html.index(talks) < html.index(clash)
    # Subtypes read as words everywhere, never as identifiers.
    for part in (rendered.text, rendered.html):
        assert "no_agreement" not in part and "cross_border_attack" not in part
        assert "— ended without agreement" in part


def test_html_fits_a_phone_without_svg(sessions):
    start, _clash, _talks = _two_events(sessions)
    with sessions() as session:
        content = build_digest(session, start, utcnow() + timedelta(seconds=1), KARACHI)
    html = render_digest(content, dashboard="http://127.0.0.1:8080/").html
    parser = _Collector()
    parser.feed(html)
    assert "svg" not in parser.tags and "table" not in parser.tags
    # No fixed width wider than a 390 px phone: widths are max-widths in em, or none.
    for prop, value, unit in re.findall(r"(?<![-\w])(width|min-width)\s*:\s*(\d+)(px|em|rem)", html):
        assert int(value) * (16 if unit != "px" else 1) <= 390, (prop, value, unit)
    assert not re.search(r"\swidth=\"\d", html)
    assert 'name="viewport"' in html


def test_every_story_links_to_its_dashboard_page(sessions, tmp_path, db_url):
    config = load_config(
        write_config(tmp_path, {"database": {"url": db_url}, "api": {"public_url": "https://desk.example/newswatch"}}),
        env={},
    )
    base = dashboard_url(config.api.host, config.api.port, config.api.public_url)
    assert base == "https://desk.example/newswatch/"
    content = _digest(sessions)
    rendered = render_digest(content, dashboard=base)
    story_ids = {s.id for stories in content.sections.values() for s in stories}
    assert len(story_ids) == 3
    for story_id in story_ids:
        url = f"https://desk.example/newswatch/stories/{story_id}"
        assert f"Dashboard: {url}\n" in rendered.text
        assert f'href="{url}"' in rendered.html
    # The top of the morning links each event to its story, too.
    top = rendered.html.split("Top of the morning")[1].split("</ul>")[0]
    assert top.count('href="https://desk.example/newswatch/stories/') == 2


def test_dashboard_address_without_public_url():
    assert dashboard_url("127.0.0.1", 8080) == "http://127.0.0.1:8080/"
    assert dashboard_url("::1", 8080) == "http://[::1]:8080/"
    assert dashboard_url("0.0.0.0", 8080).endswith(":8080/") and "0.0.0.0" not in dashboard_url("0.0.0.0", 8080)
    assert dashboard_url("127.0.0.1", 0) is None  # any free port: unknown, so no links


def test_public_url_must_be_a_web_address(tmp_path, db_url):
    path = write_config(tmp_path, {"database": {"url": db_url}, "api": {"public_url": "desk.example"}})
    with pytest.raises(ConfigError, match=r"api\.public_url"):
        load_config(path, env={})


def test_digest_arrives_by_smtp_with_health_header_and_links(sessions, smtp_server, tmp_path, db_url):
    data = {
        "database": {"url": db_url},
        "smtp": {"host": smtp_server.host, "port": smtp_server.port, "sender": "newswatch@example.org"},
    }
    config = load_config(write_config(tmp_path, data), env={})
    start, clash, _talks = _two_events(sessions)
    with sessions.begin() as session:
        _fail(session, ["dawn"], "HTTP 403 Forbidden")
    with sessions() as session:
        content = build_digest(session, start, utcnow() + timedelta(seconds=1), KARACHI)
    rendered = render_digest(content, dashboard=dashboard_url("127.0.0.1", 8080))
    message = digest_message(rendered, sender="newswatch@example.org", recipients=["desk@example.org"], key="k")
    send_message(config, message, ["desk@example.org"], env={})
    ((envelope, received),) = smtp_server.received
    assert envelope.rcpt_tos == ["desk@example.org"]
    assert str(received["Subject"]).endswith("(1 of 1 source failing)")
    text = received.get_body(("plain",)).get_content()
    html = received.get_body(("html",)).get_content()
    assert "1 of 1 source failing: dawn (HTTP 403 Forbidden)" in text
    assert f'href="http://127.0.0.1:8080/stories/{clash}"' in html
    assert "New clash: cross-border attack" in text and "New clash: cross-border attack" in html
