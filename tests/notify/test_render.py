"""Rendering an alert: subject, text and HTML parts, webhook body; hostile headlines stay inert."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

from notify.render import (
    MAX_ARTICLES,
    MAX_SUBJECT,
    clip,
    email_message,
    one_line,
    render_alert,
    signature,
    subject,
    webhook_body,
)


def _view(**overrides):
    view = {
        "id": 3,
        "kind": "talks_outcome",
        "subtype": "agreement",
        "story_id": 7,
        "title": "Pakistan, Afghanistan agree to extend ceasefire",
        "url": "https://www.dawn.com/news/1",
        "source": "dawn",
        "published": datetime(2025, 11, 7, 10, 0, tzinfo=UTC),
        "created_at": datetime(2025, 11, 7, 11, 0, tzinfo=UTC),
        "articles": ["https://www.dawn.com/news/1", "https://www.geo.tv/2"],
        "outlets": ["dawn", "geo"],
        "evidence": "Both sides agreed to extend the ceasefire, Qatar said.",
        "fields": {"event_date": "2025-11-07", "places": ["Istanbul"], "casualties": None, "mediators": ["Qatar"]},
        "deliveries": [{"channel": "webhook", "status": "sending", "attempts": 1}],
    }
    view.update(overrides)
    return view


def test_subject_names_what_happened_in_words_and_the_headline():
    # storage.labels' words, not the stored identifiers (talks_outcome/agreement).
    assert subject(_view()) == (
        "[newswatch] Talks outcome: agreement reached — Pakistan, Afghanistan agree to extend ceasefire"
    )
    assert subject(_view(subtype=None, kind="new_clash")).startswith("[newswatch] New clash — Pakistan")
    assert subject(_view(kind="new_clash", subtype="cross_border_attack", title="")) == (
        "[newswatch] New clash: cross-border attack — story 7"
    )


def test_subject_has_no_line_breaks_and_is_capped():
    hostile = "Talks end\r\nBcc: victim@example.org\nX-Evil: 1\u2028and more"
    text = subject(_view(title=hostile))
    assert "\r" not in text and "\n" not in text and "\u2028" not in text
    assert text.endswith("Talks end Bcc: victim@example.org X-Evil: 1 and more")
    long = subject(_view(title="word " * 200))
    assert len(long) <= MAX_SUBJECT and long.endswith("…")


def test_text_and_html_parts():
    rendered = render_alert(_view())
    for part in (rendered.text, rendered.html):
        assert "Pakistan, Afghanistan agree to extend ceasefire" in part
        assert "Both sides agreed to extend the ceasefire" in part
        assert "https://www.geo.tv/2" in part
        assert "Istanbul" in part and "Qatar" in part
        assert "2025-11-07 10:00 UTC" in part
        assert "Casualties" not in part  # empty fields are left out
    assert '<a href="https://www.dawn.com/news/1">' in rendered.html


def test_text_labels_the_event_and_its_fields_in_words():
    view = _view(
        kind="new_clash", subtype="air_strike", fields={"casualties": {"pakistan_killed": 3}, "places": ["Khost"]}
    )
    text = render_alert(view).text
    assert text.startswith("New clash: air strike — ")
    assert "Casualties: Pakistan: 3 killed" in text and "Places: Khost" in text
    assert "air_strike" not in text and "pakistan_killed" not in text


def test_html_in_a_headline_is_escaped_in_the_html_part_only():
    rendered = render_alert(
        _view(
            title='<script>alert("x")</script> & <b>talks</b>',
            evidence="<img src=x onerror=alert(1)>",
            url='javascript:alert("x")',
        )
    )
    assert "<script>" not in rendered.html and "<img" not in rendered.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;talks&lt;/b&gt;" in rendered.html
    assert 'href="javascript' not in rendered.html  # only http(s) links are clickable
    assert '<script>alert("x")</script> & <b>talks</b>' in rendered.text  # plain text is shown as is


def test_long_text_is_cut_and_long_coverage_listed_with_a_count():
    urls = [f"https://news.example/{i}" for i in range(MAX_ARTICLES + 7)]
    rendered = render_alert(_view(evidence="claim " * 1000, articles=urls))
    assert "… and 7 more" in rendered.html and "... and 7 more" in rendered.text
    assert urls[MAX_ARTICLES - 1] in rendered.text and urls[MAX_ARTICLES] not in rendered.text
    assert len(rendered.text) < 5000


def test_email_message_is_multipart_text_then_html():
    message = email_message(
        _view(title="Talks collapse\r\nBcc: x@example.org"), sender="nw@example.org", recipients=["a@example.org"]
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Bcc"] is None
    assert "\n" not in str(message["Subject"])
    assert message["To"] == "a@example.org"


def test_non_latin_headline_survives_encoding():
    message = email_message(
        _view(title="پاکستان اور افغانستان کا معاہدہ"), sender="nw@example.org", recipients=["a@b.c"]
    )
    assert str(message["Subject"]).endswith("پاکستان اور افغانستان کا معاہدہ")
    assert "پاکستان" in message.get_body(("plain",)).get_content()


def test_webhook_body_is_the_alert_view_and_signed():
    body = webhook_body(_view())
    payload = json.loads(body)
    assert payload["id"] == 3 and payload["published"] == "2025-11-07T10:00:00+00:00"
    assert payload["fields"]["places"] == ["Istanbul"]
    assert "deliveries" not in payload
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert signature(body, "s3cret") == f"sha256={expected}"


def test_helpers():
    assert one_line(" a\tb\r\n c\x00d ") == "a b c d"
    assert one_line("می\u200cخواهم") == "می\u200cخواهم"  # the Persian non-joiner is spelling, not noise
    assert clip("short", 10) == "short"
    assert clip("alpha beta gamma delta epsilon", 20) == "alpha beta gamma…"  # at a word boundary
    assert clip("x" * 50, 10) == "x" * 9 + "…"
