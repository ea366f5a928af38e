"""The alerts as an Atom feed (RFC 4287), for feed readers.

Built with ElementTree, which escapes every text node and attribute: headlines and
evidence sentences are scraped text and may contain markup. HTML content goes in as
escaped text with ``type="html"``, as RFC 4287 §3.1.1.2 asks. ElementTree does not check
characters, though: the ones XML forbids (a control character in a scraped headline) are
stripped from every text and attribute, or one stored row would make the whole feed
ill-formed (the crawler strips them before storing; rows stored by older versions may
still have them).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from jinja2 import Environment

from storage.content import xml_safe
from web.filters import FILTERS, event_label, field_text, safe_href

if TYPE_CHECKING:
    from collections.abc import Sequence

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
# Entry and feed ids must never change (readers use them to know what they have shown), so
# they are derived from what never changes about an alert: its id and creation time, under
# the topic's name (two installations watching different topics do not collide).
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/newswatch/newswatch/alerts")

ET.register_namespace("", ATOM_NS)

_ENV = Environment(autoescape=True)
_ENV.filters.update(FILTERS)
_CONTENT = _ENV.from_string(
    "<p><strong>{{ event }}</strong>{% if alert.source %} · first reported by {{ alert.source }}{% endif %}</p>"
    "{% if alert.evidence %}<blockquote>{{ alert.evidence }}</blockquote>{% endif %}"
    "{% if fields %}<ul>{% for key, value in fields %}<li>{{ key }}: {{ value }}</li>{% endfor %}</ul>{% endif %}"
    "<p>Coverage ({{ alert.articles | length }} articles from {{ alert.outlets | join(', ') or 'one outlet' }}):</p>"
    '<ul>{% for url in alert.articles %}<li><a href="{{ url | safe_href }}">{{ url }}</a></li>{% endfor %}</ul>'
    '<p><a href="{{ story_url | safe_href }}">The story in the dashboard</a></p>'
)


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), {key: xml_safe(value) for key, value in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _stamp(value: datetime) -> str:
    # RFC 3339 date-time, always with the zone (stored times are aware UTC).
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _field_items(fields: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, field_text(value)) for key, value in sorted(fields.items()) if value not in (None, "", [], {})]


def entry_id(topic: str, alert: dict[str, Any]) -> str:
    """The permanent ``urn:uuid:`` of an alert's entry."""
    created = _stamp(alert["created_at"])
    return uuid.uuid5(_ID_NAMESPACE, f"{topic}\x00alert\x00{alert['id']}\x00{created}").urn


def render_feed(
    alerts: Sequence[dict[str, Any]],
    *,
    topic: str,
    self_url: str,
    dashboard_url: str,
    story_url: str,
    now: datetime | None = None,
) -> bytes:
    """The Atom document of ``alerts`` (newest first), UTF-8 with an XML declaration.

    ``story_url`` is a template with ``{id}`` for the dashboard page of a story.
    """
    feed = ET.Element(_tag("feed"))
    _sub(feed, "id", uuid.uuid5(_ID_NAMESPACE, f"{topic}\x00feed").urn)
    _sub(feed, "title", f"newswatch alerts: {topic}" if topic else "newswatch alerts")
    _sub(feed, "subtitle", "Talks outcomes and new clashes, once per story, newest first.")
    # A feed's updated is its newest entry's; an empty feed has not changed since... now.
    newest = max((a["created_at"] for a in alerts), default=now or datetime.now(UTC))
    _sub(feed, "updated", _stamp(newest))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=dashboard_url)
    author = _sub(feed, "author")
    _sub(author, "name", "newswatch")
    _sub(feed, "generator", "newswatch")
    for alert in alerts:
        entry = _sub(feed, "entry")
        _sub(entry, "id", entry_id(topic, alert))
        label = event_label(alert)
        _sub(entry, "title", f"[{label}] {alert.get('title') or 'Story ' + str(alert['story_id'])}")
        _sub(entry, "updated", _stamp(alert["created_at"]))
        if alert.get("published"):
            _sub(entry, "published", _stamp(alert["published"]))
        entry_author = _sub(entry, "author")
        _sub(entry_author, "name", alert.get("source") or "newswatch")
        page = story_url.format(id=alert["story_id"])
        original = safe_href(alert.get("url"))
        _sub(entry, "link", rel="alternate", type="text/html", href=page if original == "#" else original)
        _sub(entry, "link", rel="related", type="text/html", href=page)
        _sub(entry, "category", term=alert["kind"], label=label)
        _sub(entry, "summary", alert.get("evidence") or label, type="text")
        fields = _field_items(alert.get("fields") or {})
        content = _CONTENT.render(alert=alert, event=label, fields=fields, story_url=page)
        _sub(entry, "content", content, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
