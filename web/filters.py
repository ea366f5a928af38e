"""How values look on the dashboard and in the feed (Jinja2 filters and the like)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from core.units import format_duration


def when(value: datetime | None) -> str:
    """``2025-11-07 09:00 UTC``; a dash for an unknown time."""
    if value is None:
        return "–"
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def safe_href(url: str | None) -> str:
    """``url`` when it is http(s), else ``#``.

    Why: autoescaping stops markup, not a ``javascript:`` URL in an href, and article URLs
    come from third-party feeds.
    """
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return url
    return "#"


def event_label(alert: dict[str, Any]) -> str:
    """``talks_outcome/agreement``: an alert's kind and subtype."""
    return f"{alert['kind']}/{alert['subtype']}" if alert.get("subtype") else str(alert["kind"])


def field_text(value: Any) -> str:
    """An event field for people: lists joined, casualties as ``side: n``."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def marked(snippet: str | None) -> Markup:
    """A search snippet, escaped, with its ``«match»`` markers turned into ``<mark>``."""
    from storage.search import MARK_END, MARK_START

    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def duration(value: timedelta | None) -> str:
    """``12m30s`` for a time span, an en dash for none."""
    return format_duration(value) if value is not None else "–"


FILTERS = {
    "when": when,
    "safe_href": safe_href,
    "event_label": event_label,
    "field_text": field_text,
    "duration": duration,
    "marked": marked,
}
