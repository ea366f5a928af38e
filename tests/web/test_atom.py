"""The Atom feed of alerts: well-formed, valid RFC 4287 as a feed reader reads it, escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

import feedparser
from sqlalchemy import select

from storage.alerts import list_alerts
from storage.coverage import alert_coverage
from storage.db import transaction
from storage.models import Alert, Article, Event
from tests.alertdata import make_alert
from tests.web.conftest import AGREEMENT, HOSTILE, URDU
from web.atom import render_feed

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _children(element, name):
    return element.findall(f"{ATOM}{name}")


def test_feed_is_valid_atom(client, archive):
    response = client.get("/alerts.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # well-formed XML, or this raises
    assert root.tag == f"{ATOM}feed"
    # RFC 4287 §4.1.1: exactly one id, title and updated; an author for entries without one.
    for name in ("id", "title", "updated"):
        assert len(_children(root, name)) == 1, name
    assert [link.get("rel") for link in _children(root, "link")] == ["self", "alternate"]
    entries = _children(root, "entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "title", "updated", "author", "summary", "content"):
            assert len(_children(entry, name)) == 1, name
        assert _children(entry, "id")[0].text.startswith("urn:uuid:")
        assert any(link.get("rel") == "alternate" for link in _children(entry, "link"))


def test_feed_as_a_feed_reader_sees_it(client, archive, api):
    parsed = feedparser.parse(client.get("/alerts.atom").content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "newswatch alerts: Pakistan–Afghanistan talks"
    assert parsed.feed.id.startswith("urn:uuid:")
    assert parsed.feed.updated_parsed is not None
    clash, agreement = parsed.entries  # newest first
    assert agreement.title == f"\u2068{AGREEMENT}\u2069 — Talks outcome: agreement reached"
    assert agreement.link == "https://news.example/a/0"
    assert agreement.author == "dawn"
    assert agreement.summary == "Both sides agreed to extend the ceasefire, the Qatari mediator said."
    assert agreement.updated_parsed is not None and agreement.published_parsed is not None
    related = [link.href for link in agreement.links if link.rel == "related"]
    assert related == [f"{api.url}/stories/{archive.agreement_story}"]
    assert agreement.tags[0].term == "talks_outcome"
    assert "https://news.example/a/1" in agreement.content[0].value
    assert clash.title.startswith("\u2068Border clash at Torkham")
    assert clash.title.endswith("\u2069 — New clash: border clash")


def test_entry_ids_are_stable(client, archive):
    first = [e.id for e in feedparser.parse(client.get("/alerts.atom").content).entries]
    again = [e.id for e in feedparser.parse(client.get("/alerts.atom?kind=new_clash").content).entries]
    assert len(set(first)) == 2 and again == first[:1]


def test_hostile_headline_is_escaped(client, archive):
    body = client.get("/alerts.atom").text
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    root = ET.fromstring(body.encode("utf-8"))
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    # The text itself survives, as text: a reader shows it, never runs it.
    assert f"\u2068{HOSTILE}\u2069 — New clash: border clash" in titles
    content = next(entry.find(f"{ATOM}content").text for entry in root.iter(f"{ATOM}entry"))
    # The HTML content is escaped once more inside it (type="html"): the headline is not in it
    # as markup either.
    assert "<script>" not in content


def test_empty_feed_is_still_valid(client_empty):
    parsed = feedparser.parse(client_empty.get("/alerts.atom").content)
    assert not parsed.bozo and parsed.entries == [] and parsed.feed.updated_parsed is not None


def test_unchanged_feed_is_not_sent_again(client, archive):
    first = client.get("/alerts.atom")
    etag = first.headers["etag"]
    again = client.get("/alerts.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get("/alerts.atom", headers={"If-None-Match": '"other"'}).status_code == 200


def test_characters_xml_forbids_in_stored_rows_keep_the_feed_well_formed(client_empty, sessions):
    # Rows stored before the crawler stripped them can hold control characters, U+FFFE:
    # written as they are, one of them made the whole feed ill-formed XML.
    with transaction(sessions) as session:
        make_alert(session, title="Ceasefire\x0bextended\ufffe in Doha\x01", slug="x")
        event = session.scalars(select(Event)).one()
        event.evidence = "Both sides\x1b agreed\uffff to extend the ceasefire."
        event.fields = {"places": ["Doha\x08"]}
    body = client_empty.get("/alerts.atom").content
    root = ET.fromstring(body)  # well-formed XML, or this raises
    (entry,) = root.iter(f"{ATOM}entry")
    assert (
        entry.find(f"{ATOM}title").text == "\u2068Ceasefire extended in Doha\u2069 — Talks outcome: agreement reached"
    )
    assert entry.find(f"{ATOM}summary").text == "Both sides agreed to extend the ceasefire."
    assert "Places: Doha<" in entry.find(f"{ATOM}content").text
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")


def _urdu_clash(sessions) -> datetime:
    """An alert on an Urdu report of a cross-border attack with casualties, raised at a known time."""
    raised = datetime(2025, 11, 7, 18, 30, tzinfo=UTC)  # nine and a half hours after the report
    with transaction(sessions) as session:
        make_alert(
            session,
            title=URDU,
            kind="new_clash",
            subtype="cross_border_attack",
            slug="u",
            created_at=raised,
            fields={"event_date": "2025-11-07", "places": ["Kurram"], "casualties": {"pakistan_killed": 3}},
        )
        trigger = session.get(Article, session.scalars(select(Alert.article_id)).one())
        trigger.language = "ur"
    return raised


def _feed(sessions, zone: tzinfo = UTC) -> bytes:
    """The feed of the stored alerts with their coverage, as the API renders it."""
    with transaction(sessions) as session:
        alerts = list_alerts(session)
        coverage = alert_coverage(session, [a["story_id"] for a in alerts])
    return render_feed(
        alerts,
        topic="t",
        self_url="http://127.0.0.1:8080/alerts.atom",
        dashboard_url="http://127.0.0.1:8080/",
        story_url="http://127.0.0.1:8080/stories/{id}",
        coverage=coverage,
        zone=zone,
    )


def test_times_are_in_the_display_zone(sessions):
    raised = _urdu_clash(sessions)
    body = _feed(sessions, ZoneInfo("Asia/Karachi"))
    (entry,) = ET.fromstring(body).iter(f"{ATOM}entry")
    # RFC 3339 with the zone's offset: the same instant, local time for who reads the stamp.
    assert entry.find(f"{ATOM}published").text == "2025-11-07T23:30:00+05:00"
    assert ET.fromstring(body).find(f"{ATOM}updated").text == "2025-11-07T23:30:00+05:00"
    (item,) = feedparser.parse(body).entries
    assert datetime(*item.published_parsed[:6], tzinfo=UTC) == raised
    # The report's own time, in the content, in the same zone.
    assert "published 2025-11-07 14:00 PKT" in entry.find(f"{ATOM}content").text


def test_published_is_when_the_alert_was_raised(client_empty, sessions):
    raised = _urdu_clash(sessions)
    body = client_empty.get("/alerts.atom").content
    (entry,) = ET.fromstring(body).iter(f"{ATOM}entry")
    # Not the report's time (09:00): a reader sorts an alert raised now among today's items.
    assert entry.find(f"{ATOM}published").text == "2025-11-07T18:30:00Z"
    assert entry.find(f"{ATOM}updated").text >= entry.find(f"{ATOM}published").text
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (item,) = parsed.entries
    assert datetime(*item.published_parsed[:6], tzinfo=UTC) == raised
    assert item.updated_parsed >= item.published_parsed
    assert item.title == f"\u2068{URDU}\u2069 — New clash: cross-border attack"


def test_titles_read_as_words_and_carry_the_headline_language(sessions):
    _urdu_clash(sessions)
    body = _feed(sessions)
    root = ET.fromstring(body)
    assert root.get(XML_LANG) == "en"
    (entry,) = root.iter(f"{ATOM}entry")
    title = entry.find(f"{ATOM}title")
    # The RTL headline comes first, isolated, and the label after it: no LTR bracket glued
    # before the Urdu; and the title says which language it is in.
    assert title.text == f"\u2068{URDU}\u2069 — New clash: cross-border attack"
    assert title.get(XML_LANG) == "ur"
    assert entry.find(f"{ATOM}summary").get(XML_LANG) == "ur"
    assert entry.find(f"{ATOM}category").get("label") == "New clash"
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    (item,) = parsed.entries
    assert item.title_detail.language == "ur"
    assert item.summary_detail.language == "ur"


def test_content_lists_outlet_and_headline_per_article_in_words(sessions):
    _urdu_clash(sessions)
    body = _feed(sessions)
    (entry,) = ET.fromstring(body).iter(f"{ATOM}entry")
    raw = entry.find(f"{ATOM}content").text
    # Each coverage line: outlet — linked headline, the headline marked with its language.
    assert f'dawn — <a href="https://news.example/u/0" lang="ur" dir="auto">{URDU}</a>' in raw
    assert 'geo — <a href="https://news.example/u/1" dir="auto">Report 1 on u</a>' in raw
    # What a feed reader shows after sanitising (attributes sorted).
    (item,) = feedparser.parse(body).entries
    html = item.content[0].value
    assert f'dawn — <a dir="auto" href="https://news.example/u/0" lang="ur">{URDU}</a>' in html
    # The third article is geo's copy of another: marked, and no outlet of its own.
    assert "2 articles from 2 outlets, +1 copy (dawn, geo)" in html
    assert "(copy)" in html
    assert "Casualties: Pakistan: 3 killed" in html
    assert "Event date: 2025-11-07" in html and "Places: Kurram" in html
    assert "New clash: cross-border attack" in html
    # No identifier of the schema reaches a reader: no snake_case word anywhere in the text.
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), text


def test_one_article_is_not_articles(client_empty, sessions):
    with transaction(sessions) as session:
        make_alert(session, slug="one")
        story = session.scalars(select(Alert.story_id)).one()
        for article in session.scalars(select(Article).where(Article.story_id == story)).all()[1:]:
            article.story_id = None
    html = feedparser.parse(_feed(sessions)).entries[0].content[0].value
    assert "Coverage: 1 article from 1 outlet (dawn):" in html
    # The served feed reads the same coverage from the archive.
    served = feedparser.parse(client_empty.get("/alerts.atom").content).entries[0].content[0].value
    assert "Coverage: 1 article from 1 outlet (dawn):" in served
