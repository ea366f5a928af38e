"""The Atom feed of alerts: well-formed, valid RFC 4287 as a feed reader reads it, escaped."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import feedparser
from sqlalchemy import select

from storage.db import transaction
from storage.models import Event
from tests.alertdata import make_alert
from tests.web.conftest import AGREEMENT, HOSTILE

ATOM = "{http://www.w3.org/2005/Atom}"


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
    assert agreement.title == f"[talks_outcome/agreement] {AGREEMENT}"
    assert agreement.link == "https://news.example/a/0"
    assert agreement.author == "dawn"
    assert agreement.summary == "Both sides agreed to extend the ceasefire, the Qatari mediator said."
    assert agreement.updated_parsed is not None and agreement.published_parsed is not None
    related = [link.href for link in agreement.links if link.rel == "related"]
    assert related == [f"{api.url}/stories/{archive.agreement_story}"]
    assert agreement.tags[0].term == "talks_outcome"
    assert "https://news.example/a/1" in agreement.content[0].value
    assert clash.title.startswith("[new_clash/border_clash] Border clash at Torkham")


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
    assert f"[new_clash/border_clash] {HOSTILE}" in titles
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
    assert entry.find(f"{ATOM}title").text == "[talks_outcome/agreement] Ceasefire extended in Doha"
    assert entry.find(f"{ATOM}summary").text == "Both sides agreed to extend the ceasefire."
    assert "places: Doha<" in entry.find(f"{ATOM}content").text
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
