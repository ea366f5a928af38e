"""The digest and the alert e-mail name the first outlet, list a story once and mark copies."""

from __future__ import annotations

from datetime import UTC, timedelta

from core.config import Config
from notify.deliver import deliver_due
from notify.digest import build_digest, render_digest
from storage.db import transaction, utcnow
from tests.coveragedata import COVERAGE, FIRST, T0, make_covered_story


def test_the_digest_lists_a_story_once_under_its_kind_and_its_counts_agree(sessions):
    with transaction(sessions) as session:
        story_id, _alert = make_covered_story(session)
        content = build_digest(session, T0 - timedelta(days=1), utcnow() + timedelta(seconds=1), UTC)
    listed = {key: [s.id for s in stories] for key, stories in content.sections.items() if stories}
    assert listed == {"new_clash": [story_id]}  # its first event's kind, not both
    assert content.story_count == sum(len(stories) for stories in content.sections.values()) == 1
    text = render_digest(content).text
    assert "1 story from" in text and "== New clashes (1) ==" in text and "Talks outcomes" not in text
    assert f"First reported by {FIRST}" in text
    assert "- geo (en) (copy):" in text and "- dawn (en):" in text


def test_the_alert_mail_names_the_first_outlet(sessions, smtp_server):
    with transaction(sessions) as session:
        make_covered_story(session, channels=["email"])
    config = Config.model_validate(
        {
            "alerts": {"channels": {"email": {"to": ["desk@example.org"]}}},
            "smtp": {"host": smtp_server.host, "port": smtp_server.port, "sender": "newswatch@example.org"},
        }
    )
    assert deliver_due(config, sessions, env={})["sent"] == 1
    ((_, message),) = smtp_server.received
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"First reported by {FIRST}, published" in text and f"First reported by {FIRST}" in html
    assert f"Coverage so far ({COVERAGE}):" in text and COVERAGE in html
