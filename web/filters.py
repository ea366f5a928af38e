"""How values look on the dashboard and in the feed (Jinja2 filters and the like)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jinja2 import pass_context
from markupsafe import Markup, escape

from core.jsonable import aware as _aware
from core.times import absolute, relative
from core.units import format_duration
from storage.labels import event_fields, event_label, kind_label, subtype_label
from storage.search import MARK_END, MARK_START

if TYPE_CHECKING:
    from jinja2.runtime import Context


def when(value: datetime | None) -> str:
    """``2025-11-07 09:00 UTC``; a dash for an unknown time."""
    if value is None:
        return "–"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@pass_context
def moment(context: Context, value: datetime | None) -> Markup:
    """A time for people: relative (``2 h ago``) in a ``<time>`` whose title is the absolute
    time in the display zone and whose ``datetime`` is the exact instant; an en dash for none.

    Reads ``display_zone`` and ``now`` from the page's context (see ``web.pages.render``),
    so one page shows every time against the same instant.
    """
    if value is None:
        return Markup("–")
    zone = context.get("display_zone") or UTC
    now = context.get("now") or datetime.now(UTC)
    aware = _aware(value)
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        aware.isoformat(), absolute(aware, zone), relative(aware, now, zone)
    )


def title_lang(story: dict[str, Any]) -> str | None:
    """The language of a story's title: that of its article whose headline it is, if known.

    Why: a title needs ``lang`` for the right font and line height (Nastaliq needs more).
    """
    title = story.get("title")
    for article in story.get("articles") or ():
        entry = article if isinstance(article, dict) else vars(article)
        if entry.get("title") == title and entry.get("language"):
            return str(entry["language"])
    return None


def safe_href(url: str | None) -> str:
    """``url`` when it is http(s), else ``#``.

    Why: autoescaping stops markup, not a ``javascript:`` URL in an href, and article URLs
    come from third-party feeds.
    """
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return "#"


def marked(snippet: str | None) -> Markup:
    """A search snippet, escaped, with its ``«match»`` markers turned into ``<mark>``."""
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def duration(value: timedelta | None) -> str:
    """``12m30s`` for a time span, an en dash for none."""
    return format_duration(value) if value is not None else "–"


FILTERS = {
    "when": when,
    "moment": moment,
    "title_lang": title_lang,
    "safe_href": safe_href,
    # Words for stored identifiers: the one mapping every surface uses (storage.labels).
    "kind_label": kind_label,
    "subtype_label": subtype_label,
    "event_label": event_label,
    "event_fields": event_fields,
    "duration": duration,
    "marked": marked,
}
