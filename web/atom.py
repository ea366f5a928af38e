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
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

from jinja2 import Environment

from core.jsonable import aware
from core.times import absolute
from storage.content import xml_safe
from storage.coverage import CoverageLine, counted
from storage.labels import event_fields, event_label, kind_label
from web.filters import FILTERS, safe_href

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# The feed's own words (titles of sections, labels) are English; headlines carry their own language.
FEED_LANG = "en"
# Unicode isolates (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE): a headline takes its
# direction from its own first letter and cannot reorder the label next to it, so an Urdu
# headline and "New clash: air strike" each read in their own direction in one title.
FSI, PDI = "\u2068", "\u2069"
# Entry and feed ids must never change (readers use them to know what they have shown), so
# they are derived from what never changes about an alert: its id and creation time, under
# the topic's name (two installations watching different topics do not collide).
_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/newswatch/newswatch/alerts")

ET.register_namespace("", ATOM_NS)

_ENV = Environment(autoescape=True)
_ENV.filters.update(FILTERS)
_CONTENT = _ENV.from_string(
    "<p><strong>{{ event }}</strong>{% if first %} · first reported by {{ first }}"
    "{% if published %}, published {{ published }}{% endif %}{% endif %}</p>"
    '{% if alert.evidence %}<blockquote{% if lang %} lang="{{ lang }}" dir="auto"{% endif %}>'
    "{{ alert.evidence }}</blockquote>{% endif %}"
    "{% if fields %}<ul>{% for key, value in fields %}<li>{{ key }}: {{ value }}</li>{% endfor %}</ul>{% endif %}"
    "{% if alert.updates %}<p>Updates:</p><ul>{% for update in alert.updates %}"
    "<li>{{ update.created_at | when }}: {{ update.text }}</li>{% endfor %}</ul>{% endif %}"
    "<p>Coverage: {{ counted }}:</p>"
    "<ul>{% for line in coverage %}<li>{% if line.source %}{{ line.source }} — {% endif %}"
    '<a href="{{ line.url | safe_href }}"{% if line.language %} lang="{{ line.language }}"{% endif %}'
    ' dir="auto">{{ line.title or line.url }}</a>{% if line.copy %} (copy){% endif %}</li>{% endfor %}</ul>'
    '<p><a href="{{ story_url | safe_href }}">The story in the dashboard</a></p>'
)


def _tag(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _tag(name), {key: xml_safe(value) for key, value in attrs.items()})
    if text is not None:
        element.text = xml_safe(text)
    return element


def _stamp(value: datetime, zone: tzinfo = UTC) -> str:
    # RFC 3339 date-time with the offset of the display zone (a reader that shows the raw
    # stamp shows local time; every reader converts it the same): 2025-11-07T23:30:00+05:00.
    return aware(value).astimezone(zone).isoformat(timespec="seconds").replace("+00:00", "Z")


def _coverage(alert: dict[str, Any], lines: Sequence[CoverageLine] | None) -> list[CoverageLine]:
    # Without the stored coverage (a caller that did not read it) the URLs still make a list.
    if lines:
        return list(lines)
    return [CoverageLine(url, "", None, None) for url in alert.get("articles") or []]


def _counted(coverage: list[CoverageLine]) -> str:
    # Outlets of the independent reports; copies counted apart (storage.coverage).
    outlets = sorted({line.source for line in coverage if line.source and not line.copy})
    copies = sum(line.copy for line in coverage)
    text = counted(len(coverage) - copies, len(outlets), copies)
    return f"{text} ({', '.join(outlets)})" if outlets else text


def _language(value: object) -> str | None:
    # xml:lang takes a BCP 47 tag; a stored language is a code such as "ur" (or None).
    text = str(value or "").strip()
    return text if text and all(part.isalnum() for part in text.split("-")) else None


def _updated(alert: dict[str, Any]) -> datetime:
    """When the alert last changed: its last update, or its creation."""
    updated: datetime | None = alert.get("updated_at")
    return updated if updated is not None else alert["created_at"]


def entry_title(alert: dict[str, Any]) -> str:
    """``⁨headline⁩ — New clash: border clash``: the headline, isolated, then what happened.

    The label follows the headline so that an RTL headline does not start with an LTR
    label glued to it; the isolates keep each part's direction to itself.
    """
    headline = " ".join(str(alert.get("title") or "").split()) or f"Story {alert['story_id']}"
    label = event_label(alert.get("kind"), alert.get("subtype"))
    if alert.get("merged_into") is not None:
        # Found to tell an earlier alert's event: a reader should not take it for news again.
        label += f" (merged into alert {alert['merged_into']})"
    return f"{FSI}{headline}{PDI} — {label}"


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
    coverage: Mapping[int, Sequence[CoverageLine]] | None = None,
    zone: tzinfo = UTC,
) -> bytes:
    """The Atom document of ``alerts`` (newest first), UTF-8 with an XML declaration.

    ``story_url`` is a template with ``{id}`` for the dashboard page of a story.
    ``coverage`` (:func:`storage.alerts.alert_coverage` of the alerts' stories) gives each
    coverage line its outlet and headline, and the entry the language of its headline;
    without it the coverage is a list of links. Times are in ``zone`` (``display.timezone``).
    """
    feed = ET.Element(_tag("feed"), {XML_LANG: FEED_LANG})
    _sub(feed, "id", uuid.uuid5(_ID_NAMESPACE, f"{topic}\x00feed").urn)
    _sub(feed, "title", f"newswatch alerts: {topic}" if topic else "newswatch alerts")
    _sub(feed, "subtitle", "Talks outcomes and new clashes, once per story, newest first.")
    # A feed's updated is its newest entry's; an empty feed has not changed since... now.
    newest = max((_updated(a) for a in alerts), default=now or datetime.now(UTC))
    _sub(feed, "updated", _stamp(newest, zone))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=dashboard_url)
    author = _sub(feed, "author")
    _sub(author, "name", "newswatch")
    _sub(feed, "generator", "newswatch")
    for alert in alerts:
        entry = _sub(feed, "entry")
        lines = _coverage(alert, (coverage or {}).get(alert["story_id"]))
        trigger = next((line for line in lines if line.url == alert.get("url")), None)
        language = _language(trigger.language) if trigger else None
        _sub(entry, "id", entry_id(topic, alert))
        title = _sub(entry, "title", entry_title(alert), type="text")
        if language:
            title.set(XML_LANG, language)
        # published is when newswatch raised the alert, not when the outlet published the
        # report: a reader sorts by it, and an alert raised now is news now. The report's own
        # time is in the content. updated is when a later report last changed it (its
        # updates are listed in the content), so a reader shows the entry again.
        _sub(entry, "published", _stamp(alert["created_at"], zone))
        _sub(entry, "updated", _stamp(_updated(alert), zone))
        entry_author = _sub(entry, "author")
        _sub(entry_author, "name", alert.get("source") or "newswatch")
        page = story_url.format(id=alert["story_id"])
        original = safe_href(alert.get("url"))
        _sub(entry, "link", rel="alternate", type="text/html", href=page if original == "#" else original)
        _sub(entry, "link", rel="related", type="text/html", href=page)
        label = event_label(alert.get("kind"), alert.get("subtype"))
        _sub(entry, "category", term=alert["kind"], label=kind_label(alert.get("kind")))
        summary = _sub(entry, "summary", alert.get("evidence") or label, type="text")
        if language and alert.get("evidence"):
            summary.set(XML_LANG, language)
        # First reported by: the outlet that published first, not the one that triggered it.
        first = alert.get("first_report") or {}
        published = first.get("published") if first else alert.get("published")
        content = _CONTENT.render(
            alert=alert,
            event=label,
            lang=language,
            first=first.get("source") or alert.get("source"),
            published=absolute(published, zone) if published else None,
            fields=event_fields(alert.get("fields")),
            coverage=lines,
            counted=_counted(lines),
            story_url=page,
        )
        _sub(entry, "content", content, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
