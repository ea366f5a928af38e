"""What an alert looks like: the e-mail (subject, text and HTML parts) and the webhook body.

Everything here works from the :func:`storage.alerts.alert_view` dict, and treats every
string in it as hostile: headlines and evidence come from third-party pages. So the HTML
part is rendered with autoescaping on, only http(s) links become ``href``s, control
characters (CR/LF above all) never reach a header, and long text is cut to a size a person
reads in a notification.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any, Protocol

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from core.times import absolute
from storage.labels import event_fields, event_label

if TYPE_CHECKING:
    from collections.abc import Sequence

SUBJECT_PREFIX = "[newswatch]"
# Mail clients show ~60-80 characters of a subject; RFC 5322 asks for lines under 78,
# which the encoder folds for us. 160 keeps a long headline readable without a wall of text.
MAX_SUBJECT = 160
MAX_HEADLINE = 300
MAX_EVIDENCE = 1000
MAX_FIELD = 300
# A story can gather hundreds of reprints; an alert lists the first ones and a count.
MAX_ARTICLES = 25

_SPACE = re.compile(r"\s+")

templates = Environment(
    loader=PackageLoader("notify", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)
templates.filters["is_web_url"] = lambda value: (
    isinstance(value, str) and value.lower().startswith(("http://", "https://"))
)


def one_line(text: object) -> str:
    """``text`` as one line: control and line/paragraph separator characters become spaces.

    Why: CR/LF in a headline must never reach an e-mail header (header injection), and a
    subject or chat title with a tab or U+2028 in it renders badly everywhere.
    """
    # Format characters (Cf) stay: the zero-width non-joiner is part of Persian and Urdu spelling.
    chars = [" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(text)]
    return _SPACE.sub(" ", "".join(chars)).strip()


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space >= limit * 3 // 4:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def label(view: dict[str, Any]) -> str:
    """``New clash: cross-border attack``: what happened, in words (storage.labels), as shown in subjects and titles."""
    return one_line(event_label(view.get("kind"), view.get("subtype")))


def headline(view: dict[str, Any]) -> str:
    """The triggering article's headline on one line, or a stand-in when it has none."""
    return one_line(view.get("title") or "") or f"story {view.get('story_id')}"


def subject(view: dict[str, Any]) -> str:
    """``[newswatch] New clash: air strike — headline``, one line, at most :data:`MAX_SUBJECT` characters.

    A dash, not a colon, before the headline: the label has a colon of its own. A delivered
    update starts ``[newswatch] Update:``.
    """
    start = f"{SUBJECT_PREFIX} {'Update: ' if view.get('update') else ''}{label(view)} — "
    return start + clip(headline(view), max(MAX_SUBJECT - len(start), 20))


def _when(value: object, zone: tzinfo) -> str | None:
    if isinstance(value, datetime):
        return absolute(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    return one_line(value) if value else None


def _fields(fields: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Event fields as (label, value) pairs for people (storage.labels: ``Casualties``, ``Pakistan: 3 killed``)."""
    return [(one_line(name), clip(one_line(text), MAX_FIELD)) for name, text in event_fields(fields)]


def _context(view: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    articles = [one_line(u) for u in view.get("articles") or []]
    # "First reported by" is the outlet that published first, not the one that triggered the alert.
    first = view.get("first_report") or {}
    return {
        "id": view.get("id"),
        "story_id": view.get("story_id"),
        "label": label(view),
        "headline": clip(headline(view), MAX_HEADLINE),
        "url": one_line(view.get("url") or "") or None,
        "source": one_line(first.get("source") or view.get("source") or "") or None,
        "published": _when(first.get("published") if first else view.get("published"), zone),
        "created_at": _when(view.get("created_at"), zone),
        "evidence": clip(one_line(view.get("evidence") or ""), MAX_EVIDENCE) or None,
        "fields": _fields(view.get("fields")),
        "outlets": [one_line(o) for o in view.get("outlets") or []],
        "articles": articles[:MAX_ARTICLES],
        "article_count": len(articles),
        # "3 articles from 2 outlets, +1 copy" (storage.coverage); a view without it counts links.
        "counted": one_line(view.get("coverage") or "")
        or f"{len(articles)} article{'' if len(articles) == 1 else 's'}",
        "more_articles": max(len(articles) - MAX_ARTICLES, 0),
        # A delivered update (storage.alert_history.delivered_update): what changed, first.
        "update": clip(one_line((view.get("update") or {}).get("text") or ""), MAX_EVIDENCE) or None,
    }


@dataclass(frozen=True)
class RenderedAlert:
    """An alert rendered for people: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def render_alert(view: dict[str, Any], zone: tzinfo = UTC) -> RenderedAlert:
    """Render ``view`` (an :func:`storage.alerts.alert_view` dict) with the packaged templates.

    Times are shown in ``zone`` (``display.timezone``: core.times.display_zone).
    """
    context = _context(view, zone)
    return RenderedAlert(
        subject=subject(view),
        text=templates.get_template("alert.txt").render(context),
        html=templates.get_template("alert.html").render(context),
    )


def email_message(view: dict[str, Any], *, sender: str, recipients: Sequence[str], zone: tzinfo = UTC) -> EmailMessage:
    """A multipart/alternative message (text, then HTML) for one alert.

    The default policy of :class:`EmailMessage` also refuses CR/LF in header values, a
    second guard behind :func:`one_line`.
    """
    rendered = render_alert(view, zone)
    return multipart_message(rendered, sender=sender, recipients=recipients, idstring=f"alert{view.get('id')}")


class Rendered(Protocol):
    """Anything rendered for people: an alert or a digest."""

    @property
    def subject(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def html(self) -> str: ...


def multipart_message(rendered: Rendered, *, sender: str, recipients: Sequence[str], idstring: str) -> EmailMessage:
    """A multipart/alternative e-mail (text, then HTML) from anything with subject, text and html."""
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(idstring=idstring, domain=domain)
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def webhook_payload(view: dict[str, Any]) -> dict[str, Any]:
    """The webhook's JSON object: the alert view without its delivery bookkeeping, plus ``label``
    and ``summary`` for people (what a chat message shows: ``New clash: air strike``, and
    the e-mail's subject), beside ``kind`` and ``subtype`` for programs.

    Why without ``deliveries``: at send time the receiver's own delivery is always
    "sending", and other channels' states are nobody's business but the operator's.
    """
    payload = {key: value for key, value in view.items() if key != "deliveries"}
    payload["label"] = label(view)
    payload["summary"] = subject(view)
    return payload


def webhook_body(view: dict[str, Any]) -> bytes:
    """The exact bytes POSTed (and signed): compact UTF-8 JSON, keys sorted, times ISO 8601."""
    payload = webhook_payload(view)
    return json.dumps(payload, default=_json_default, ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(body: bytes, secret: str) -> str:
    """The ``X-Newswatch-Signature`` value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
