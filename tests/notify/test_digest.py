"""Rendering a digest: sections by kind, links, timeline, source health, escaping."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from notify.digest import build_digest, digest_message, render_digest, timeline_svg
from storage.db import utcnow
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
    assert rendered.subject == (f"[newswatch] digest {day}: 1 talks outcome, 1 new clash, 1 other relevant story")
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


def test_html_part_has_a_timeline_and_escapes_scraped_text(sessions):
    content = _digest(sessions, clash_title=HOSTILE)
    html = render_digest(content).html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    parser = _Collector()
    parser.feed(html)
    assert "svg" in parser.tags and parser.tags.count("circle") == 2  # one outcome, one clash
    assert "script" not in parser.tags
    assert 'href="https://news.example/clash/0"' in html


def test_timeline_places_events_inside_the_period(sessions):
    content = _digest(sessions)
    svg = str(timeline_svg(content, width=500))
    xs = [float(part.split('"')[1]) for part in svg.split("cx=")[1:]]
    assert len(xs) == 2 and all(10 <= x <= 490 for x in xs)


def test_empty_period_says_nothing_new(sessions):
    with sessions() as session:
        now = utcnow()
        content = build_digest(session, now - timedelta(days=1), now, KARACHI)
    rendered = render_digest(content)
    assert content.empty
    assert rendered.subject.endswith("nothing new")
    assert "Nothing new in this period" in rendered.text and "Nothing new in this period" in rendered.html


def test_message_is_multipart_text_and_html(sessions):
    content = _digest(sessions)
    message = digest_message(render_digest(content), sender="nw@example.org", recipients=["a@example.org"], key="k")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "a@example.org"
