"""An alert's history on every web surface: the API, the dashboard card and story page, the Atom feed."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from storage.alert_updates import EventChange, UpdatePolicy, record_update
from storage.db import transaction
from storage.models import Alert
from tests.coveragedata import COVERAGE, FIRST, make_covered_story

ATOM = "{http://www.w3.org/2005/Atom}"
UPDATED = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
TEXT = "casualties Pakistan 2 -> 7 killed; 1 more outlet (tolo)"


def _update(sessions, alert_id: int) -> None:
    change = EventChange(None, casualties={"pakistan_killed": (2, 7)}, outlets_added=("tolo",))
    with transaction(sessions) as session:
        record_update(session, session.get_one(Alert, alert_id), change, UpdatePolicy(updates="none"), now=UPDATED)


def test_the_api_lists_an_alerts_updates(client, archive, sessions):
    _update(sessions, archive.clash_alert)
    rows = {row["id"]: row for row in client.get("/api/alerts").json()}
    clash, agreement = rows[archive.clash_alert], rows[archive.agreement_alert]
    assert [(u["text"], u["material"], u["delivery"]) for u in clash["updates"]] == [(TEXT, True, "recorded")]
    assert clash["updates"][0]["changes"]["casualties"] == {"pakistan_killed": {"old": 2, "new": 7}}
    assert clash["updated_at"].startswith("2030-01-02T03:04:05")
    assert (agreement["updates"], agreement["updated_at"]) == ([], None)


def test_the_dashboard_shows_the_history(client, archive, sessions):
    _update(sessions, archive.clash_alert)
    timeline = client.get("/").text
    assert "updated 1×" in timeline and TEXT.replace(">", "&gt;") in timeline
    assert client.get(f"/stories/{archive.clash_story}").text.count(TEXT.replace(">", "&gt;")) == 1
    assert "history" in client.get(f"/stories/{archive.clash_story}").text
    assert TEXT.replace(">", "&gt;") not in client.get(f"/stories/{archive.agreement_story}").text


def test_the_atom_entry_is_updated_but_keeps_its_published_time(client, archive, sessions):
    before = ET.fromstring(client.get("/alerts.atom").content)
    _update(sessions, archive.clash_alert)
    root = ET.fromstring(client.get("/alerts.atom").content)
    entries = {e.findtext(f"{ATOM}id"): e for e in root.findall(f"{ATOM}entry")}
    old = {e.findtext(f"{ATOM}id"): e for e in before.findall(f"{ATOM}entry")}
    changed = [i for i in entries if entries[i].findtext(f"{ATOM}updated") != old[i].findtext(f"{ATOM}updated")]
    assert len(changed) == 1
    entry = entries[changed[0]]
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == UPDATED
    assert entry.findtext(f"{ATOM}published") == old[changed[0]].findtext(f"{ATOM}published")
    assert TEXT.replace(">", "&gt;") in entry.findtext(f"{ATOM}content")  # HTML content, escaped
    assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == UPDATED


def test_the_dashboard_names_the_first_outlet_and_marks_copies(client, sessions):
    with transaction(sessions) as session:
        story_id, alert_id = make_covered_story(session)
    timeline = client.get("/").text
    assert f"First reported by {FIRST}" in timeline and f"{COVERAGE} (dawn, tolo)" in timeline
    row = next(r for r in client.get("/api/alerts").json() if r["id"] == alert_id)
    assert (row["first_report"]["source"], row["coverage"]) == (FIRST, COVERAGE)
    page = client.get(f"/stories/{story_id}").text
    assert "dawn, tolo (+1 copy)" in page
    stories = client.get("/stories").text
    assert "2 +1 copy" in stories
