"""The digest e-mail: source health first, then the top of the morning, then stories by kind.

:func:`build_digest` reads the archive (one short transaction); :func:`render_digest` turns
the result into text and HTML with the packaged Jinja2 templates (HTML autoescaped: every
headline and evidence sentence comes from a third-party page); :func:`digest_message` wraps
both in a multipart/alternative e-mail.

The header says how many sources are failing, so a quiet digest because nothing works
cannot pass for a quiet day. The "top of the morning" is one line per story with an event
(time, place, what happened, casualties), newest first, in the digest's time zone: plain
text and HTML that fit a 390 px phone, where a chart would not.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from notify.render import SUBJECT_PREFIX, clip, multipart_message, one_line, templates
from storage.digests import (
    DigestStory,
    SourceTrouble,
    period_article_count,
    period_polled_sources,
    period_source_health,
    period_stories,
)
from storage.labels import casualties_text, event_label, kind_label_plural, plural, subtype_label
from storage.sources import FAILING_STATUSES, SourceHealth, health

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

    from sqlalchemy.orm import Session

OUTCOME = "talks_outcome"
CLASH = "new_clash"
# Sections in the order a reader wants them: decisions first, then violence, then the rest.
SECTIONS = (
    (OUTCOME, kind_label_plural(OUTCOME)),
    (CLASH, kind_label_plural(CLASH)),
    ("other", "Other relevant coverage"),
)
# How the subject counts each section: (one, many).
COUNTED = {
    OUTCOME: ("talks outcome", "talks outcomes"),
    CLASH: ("new clash", "new clashes"),
    "other": ("other relevant story", "other relevant stories"),
}
MAX_STORIES_PER_SECTION = 40
MAX_LINKS_PER_STORY = 15
MAX_TITLE = 200
MAX_EVIDENCE = 600
# The top of the morning is a glance, not the digest: the newest events, the rest below.
MAX_TOP = 10
# Failing sources named in the header; the source-health section lists them all.
MAX_FAILING_NAMED = 8
MAX_HEADER_ERROR = 80
MAX_PLACES = 2


@dataclass
class DigestContent:
    """Everything one digest shows, before rendering."""

    start: datetime
    end: datetime
    timezone: tzinfo
    sections: dict[str, list[DigestStory]] = field(default_factory=dict)
    troubles: list[SourceTrouble] = field(default_factory=list)
    article_count: int = 0
    # Health, at build time, of the sources the digest is about (configured, or polled in the period).
    sources: list[SourceHealth] = field(default_factory=list)

    @property
    def story_count(self) -> int:
        """Distinct stories in the digest (a story with two kinds is counted once)."""
        return len({s.id for stories in self.sections.values() for s in stories})

    @property
    def failing(self) -> list[SourceHealth]:
        """Sources whose last poll failed (error, blocked, rate limited)."""
        return [s for s in self.sources if s.status in FAILING_STATUSES]

    @property
    def nothing_new(self) -> bool:
        """No story in the period."""
        return self.story_count == 0

    @property
    def empty(self) -> bool:
        """Nothing to tell: no story and every source working.

        A failing source makes a digest worth sending (``digest.skip_empty`` does not skip
        it): with no news, it is the news.
        """
        return self.nothing_new and not self.failing


def build_digest(
    session: Session,
    start: datetime,
    end: datetime,
    timezone: tzinfo,
    *,
    sources: Sequence[str] | None = None,
) -> DigestContent:
    """Read what ``[start, end)`` brought: stories by kind, newest first; sources in trouble.

    ``sources`` names the configured (enabled) sources whose health the header reports;
    by default, the sources polled in the period.
    """
    content = DigestContent(start=start, end=end, timezone=timezone)
    sections: dict[str, list[DigestStory]] = {key: [] for key, _ in SECTIONS}
    for story in period_stories(session, start, end):
        # Once, under its event's kind: a story in two sections made the counts disagree.
        sections[story.kind if story.kind in (OUTCOME, CLASH) else "other"].append(story)
    content.sections = sections
    content.troubles = period_source_health(session, start, end)
    content.article_count = period_article_count(session, start, end)
    names = list(sources) if sources is not None else period_polled_sources(session, start, end)
    content.sources = health(session, now=end, names=names) if names else []
    return content


def dashboard_url(host: str, port: int, public_url: str | None = None) -> str | None:
    """The dashboard's base URL for links in mail, ending in ``/``; None when it cannot be known.

    ``public_url`` (``api.public_url``) wins: behind a proxy only the operator knows it.
    Otherwise the address ``newswatch serve`` listens on: an unspecified host (0.0.0.0,
    ::) is this machine's name; port 0 (any free port) gives no link.
    """
    if public_url:
        return public_url.rstrip("/") + "/"
    if not port:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and address.is_unspecified:
        name = socket.getfqdn()
    elif address is not None and address.version == 6:
        name = f"[{host}]"
    else:
        name = host
    return f"http://{name}:{port}/"


def _local(value: datetime | None, timezone: tzinfo) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(timezone).strftime("%Y-%m-%d %H:%M %Z").strip()


def period_label(content: DigestContent) -> str:
    """``2026-12-01 07:00 → 2026-12-02 07:00 PKT`` in the digest's time zone."""
    start, end = _local(content.start, content.timezone), _local(content.end, content.timezone)
    return f"{start} → {end}"


def health_line(content: DigestContent) -> str:
    """The header's one line on sources: ``3 of 24 sources failing: dawn (HTTP 500, 4 in a row), …``."""
    total, failing = len(content.sources), content.failing
    if not total:
        return "No source was polled in this period: is the service running?"
    if not failing:
        return f"All {plural(total, 'source')} working." if total > 1 else "The one source is working."
    named = []
    for source in failing[:MAX_FAILING_NAMED]:
        error = clip(one_line(source.last_error or source.status), MAX_HEADER_ERROR)
        streak = f", {source.consecutive_errors} in a row" if source.consecutive_errors > 1 else ""
        named.append(f"{one_line(source.name)} ({error}{streak})")
    more = len(failing) - MAX_FAILING_NAMED
    tail = f", and {more} more" if more > 0 else ""
    return f"{len(failing)} of {plural(total, 'source')} failing: " + "; ".join(named) + tail


def subject(content: DigestContent) -> str:
    """The digest's subject line: counts first, so the inbox shows whether it matters."""
    day = content.end.astimezone(content.timezone).strftime("%Y-%m-%d")
    counts = []
    for key, _ in SECTIONS:
        if content.sections.get(key):
            n = len(content.sections[key])
            one, many = COUNTED[key]
            counts.append(f"{n} {one if n == 1 else many}")
    news = ", ".join(counts) or "nothing new"
    # A quiet digest with failing sources must not read like a quiet day, even in the inbox.
    if content.failing:
        news += f" ({len(content.failing)} of {plural(len(content.sources), 'source')} failing)"
    return f"{SUBJECT_PREFIX} digest {day}: {news}"


def _clock(value: datetime, content: DigestContent) -> str:
    # Within the week before the digest the weekday says which day; older needs the date.
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    local, end = aware.astimezone(content.timezone), content.end.astimezone(content.timezone)
    if timedelta(0) <= end - local < timedelta(days=6):
        return local.strftime("%a %H:%M")
    return local.strftime("%d %b %H:%M" if local.year == end.year else "%d %b %Y %H:%M")


def _places(fields: dict[str, Any]) -> str:
    places = [one_line(p) for p in fields.get("places") or [] if p]
    if not places:
        return ""
    return ", ".join(places[:MAX_PLACES]) + (" …" if len(places) > MAX_PLACES else "")


def _story_url(base: str | None, story_id: int) -> str | None:
    return f"{base}stories/{story_id}" if base else None


def top_of_the_morning(content: DigestContent, base: str | None = None) -> list[dict[str, Any]]:
    """One line per story with an event, newest first: time, place, what happened, casualties."""
    stories = {s.id: s for key in (OUTCOME, CLASH) for s in content.sections.get(key, [])}
    ordered = sorted(stories.values(), key=lambda s: (s.first_reported, s.id), reverse=True)
    lines = []
    for story in ordered[:MAX_TOP]:
        kind = story.kind
        lines.append(
            {
                "id": story.id,
                "time": _clock(story.first_reported, content),
                "place": _places(story.fields),
                "what": event_label(kind, story.subtype),
                "casualties": casualties_text(story.fields.get("casualties") or {}),
                "url": _story_url(base, story.id),
            }
        )
    return lines


def _story_context(story: DigestStory, timezone: tzinfo, base: str | None) -> dict[str, Any]:
    links = [
        {
            "title": clip(one_line(a.title), MAX_TITLE) or a.url,
            "url": one_line(a.url),
            "source": one_line(a.source or ""),
            "language": a.language or "",
            "published": _local(a.published, timezone),
            "is_copy": a.copy,  # not "copy": Jinja would find dict.copy first
        }
        for a in story.articles
    ]
    return {
        "id": story.id,
        "title": clip(one_line(story.title), MAX_TITLE) or f"story {story.id}",
        "subtype": subtype_label(story.subtype),
        "url": _story_url(base, story.id),
        "evidence": clip(one_line(story.evidence or ""), MAX_EVIDENCE),
        "first_seen": _local(story.first_seen, timezone),
        "event_date": story.event_date.date().isoformat() if story.event_date else "",
        "links": links[:MAX_LINKS_PER_STORY],
        "more_links": max(len(links) - MAX_LINKS_PER_STORY, 0),
        # Outlets of the independent reports; copies are marked in the links.
        "outlets": sorted({link["source"] for link in links if link["source"] and not link["is_copy"]}),
        "first_source": one_line(story.first_source or ""),
    }


def _context(content: DigestContent, base: str | None) -> dict[str, Any]:
    sections = []
    for key, label in SECTIONS:
        stories = content.sections.get(key, [])
        sections.append(
            {
                "key": key,
                "label": label,
                "stories": [_story_context(s, content.timezone, base) for s in stories[:MAX_STORIES_PER_SECTION]],
                "more": max(len(stories) - MAX_STORIES_PER_SECTION, 0),
            }
        )
    return {
        "period": period_label(content),
        "empty": content.nothing_new,
        "health": health_line(content),
        "failing": bool(content.failing) or not content.sources,
        "story_count": content.story_count,
        "article_count": content.article_count,
        "top": top_of_the_morning(content, base),
        "sections": [s for s in sections if s["stories"]],
        "dashboard": base,
        "troubles": [
            {
                "name": one_line(t.name),
                "problem": t.problem,
                "status": t.status,
                "runs": t.runs,
                "failed_runs": t.failed_runs,
                "consecutive_errors": t.consecutive_errors,
                "last_error": clip(one_line(t.last_error or ""), 300),
            }
            for t in content.troubles
        ],
    }


@dataclass(frozen=True)
class RenderedDigest:
    """A digest rendered for people."""

    subject: str
    text: str
    html: str


def render_digest(content: DigestContent, *, dashboard: str | None = None) -> RenderedDigest:
    """Render ``content`` with the packaged templates (``digest.txt``, ``digest.html``).

    ``dashboard`` is the dashboard's base URL (:func:`dashboard_url`): every story links to
    its page there. Without it the digest has the outlets' links only.
    """
    base = dashboard.rstrip("/") + "/" if dashboard else None
    context = _context(content, base)
    return RenderedDigest(
        subject=subject(content),
        text=templates.get_template("digest.txt").render(context),
        html=templates.get_template("digest.html").render(context),
    )


def digest_message(rendered: RenderedDigest, *, sender: str, recipients: Sequence[str], key: str) -> EmailMessage:
    """A multipart/alternative e-mail (text, then HTML) for one digest."""
    return multipart_message(rendered, sender=sender, recipients=recipients, idstring=f"digest-{key}")
