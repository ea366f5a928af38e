"""The digest e-mail: what a period brought, grouped by kind, with a timeline and source health.

:func:`build_digest` reads the archive (one short transaction); :func:`render_digest` turns
the result into text and HTML with the packaged Jinja2 templates (HTML autoescaped: every
headline and evidence sentence comes from a third-party page); :func:`digest_message` wraps
both in a multipart/alternative e-mail. The timeline is an inline SVG drawn here from
numbers and escaped labels: mail clients that drop SVG still show the lists below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from notify.render import SUBJECT_PREFIX, clip, multipart_message, one_line, templates
from storage.digests import DigestStory, SourceTrouble, period_article_count, period_source_health, period_stories

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import tzinfo

    from sqlalchemy.orm import Session

OUTCOME = "talks_outcome"
CLASH = "new_clash"
# Sections in the order a reader wants them: decisions first, then violence, then the rest.
SECTIONS = ((OUTCOME, "Talks outcomes"), (CLASH, "New clashes"), ("other", "Other relevant coverage"))
# How the subject counts each section: (one, many).
COUNTED = {
    OUTCOME: ("talks outcome", "talks outcomes"),
    CLASH: ("new clash", "new clashes"),
    "other": ("other relevant story", "other relevant stories"),
}
COLOURS = {OUTCOME: "#1f6feb", CLASH: "#cf222e"}
MAX_STORIES_PER_SECTION = 40
MAX_LINKS_PER_STORY = 15
MAX_TITLE = 200
MAX_EVIDENCE = 600


@dataclass
class DigestContent:
    """Everything one digest shows, before rendering."""

    start: datetime
    end: datetime
    timezone: tzinfo
    sections: dict[str, list[DigestStory]] = field(default_factory=dict)
    troubles: list[SourceTrouble] = field(default_factory=list)
    article_count: int = 0

    @property
    def story_count(self) -> int:
        """Distinct stories in the digest (a story with two kinds is counted once)."""
        return len({s.id for stories in self.sections.values() for s in stories})

    @property
    def empty(self) -> bool:
        """Nothing new in the period (source trouble alone does not make a digest non-empty)."""
        return self.story_count == 0


def build_digest(session: Session, start: datetime, end: datetime, timezone: tzinfo) -> DigestContent:
    """Read what ``[start, end)`` brought: stories by kind, newest first; sources in trouble."""
    content = DigestContent(start=start, end=end, timezone=timezone)
    sections: dict[str, list[DigestStory]] = {key: [] for key, _ in SECTIONS}
    for story in period_stories(session, start, end):
        kinds = [k for k in (OUTCOME, CLASH) if k in story.kinds] or ["other"]
        for kind in kinds:
            sections[kind].append(story)
    content.sections = sections
    content.troubles = period_source_health(session, start, end)
    content.article_count = period_article_count(session, start, end)
    return content


def _local(value: datetime | None, timezone: tzinfo) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(timezone).strftime("%Y-%m-%d %H:%M %Z").strip()


def period_label(content: DigestContent) -> str:
    """``2026-12-01 07:00 → 2026-12-02 07:00 PKT`` in the digest's time zone."""
    start, end = _local(content.start, content.timezone), _local(content.end, content.timezone)
    return f"{start} → {end}"


def subject(content: DigestContent) -> str:
    """The digest's subject line: counts first, so the inbox shows whether it matters."""
    day = content.end.astimezone(content.timezone).strftime("%Y-%m-%d")
    if content.empty:
        return f"{SUBJECT_PREFIX} digest {day}: nothing new"
    counts = []
    for key, _ in SECTIONS:
        if content.sections.get(key):
            n = len(content.sections[key])
            one, many = COUNTED[key]
            counts.append(f"{n} {one if n == 1 else many}")
    return f"{SUBJECT_PREFIX} digest {day}: " + ", ".join(counts)


def timeline_svg(content: DigestContent, *, width: int = 560, height: int = 64) -> Markup:
    """A strip of the period with one dot per outcome or clash, at its event date (else first seen).

    Built from numbers and escaped text only, so it is safe to embed unescaped.
    """
    span = (content.end - content.start).total_seconds() or 1.0
    left, right, axis = 10, width - 10, height - 22
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="timeline of the period\'s events">',
        f'<line x1="{left}" y1="{axis}" x2="{right}" y2="{axis}" stroke="#999" stroke-width="1"/>',
    ]
    # Day ticks in the digest's zone, labelled when there are few enough to read.
    tick = content.start.astimezone(content.timezone).replace(hour=0, minute=0, second=0, microsecond=0)
    ticks = []
    while tick <= content.end:
        if tick >= content.start:
            ticks.append(tick)
        tick = (tick + timedelta(days=1, hours=2)).replace(hour=0)
    for tick in ticks:
        x = left + (right - left) * (tick - content.start).total_seconds() / span
        parts.append(f'<line x1="{x:.1f}" y1="{axis - 4}" x2="{x:.1f}" y2="{axis + 4}" stroke="#999"/>')
        if len(ticks) <= 10:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 6}" font-size="10" text-anchor="middle" fill="#666">'
                f"{tick.strftime('%d %b')}</text>"
            )
    for kind, row in ((OUTCOME, 0), (CLASH, 1)):
        for story in content.sections.get(kind, []):
            when = story.event_date if story.event_date and story.event_date >= content.start else story.first_seen
            offset = min(max((when - content.start).total_seconds() / span, 0.0), 1.0)
            x = left + (right - left) * offset
            y = 12 + row * 16
            title = escape(f"{_local(when, content.timezone)}: {clip(one_line(story.title), 120)}")
            parts.append(f'<circle cx="{x:.1f}" cy="{y}" r="5" fill="{COLOURS[kind]}"><title>{title}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _story_context(story: DigestStory, timezone: tzinfo) -> dict[str, Any]:
    links = [
        {
            "title": clip(one_line(a.title), MAX_TITLE) or a.url,
            "url": one_line(a.url),
            "source": one_line(a.source or ""),
            "language": a.language or "",
            "published": _local(a.published, timezone),
        }
        for a in story.articles
    ]
    return {
        "id": story.id,
        "title": clip(one_line(story.title), MAX_TITLE) or f"story {story.id}",
        "subtype": story.subtype or "",
        "evidence": clip(one_line(story.evidence or ""), MAX_EVIDENCE),
        "first_seen": _local(story.first_seen, timezone),
        "event_date": story.event_date.date().isoformat() if story.event_date else "",
        "links": links[:MAX_LINKS_PER_STORY],
        "more_links": max(len(links) - MAX_LINKS_PER_STORY, 0),
        "outlets": sorted({link["source"] for link in links if link["source"]}),
    }


def _context(content: DigestContent) -> dict[str, Any]:
    sections = []
    for key, label in SECTIONS:
        stories = content.sections.get(key, [])
        sections.append(
            {
                "key": key,
                "label": label,
                "stories": [_story_context(s, content.timezone) for s in stories[:MAX_STORIES_PER_SECTION]],
                "more": max(len(stories) - MAX_STORIES_PER_SECTION, 0),
            }
        )
    return {
        "period": period_label(content),
        "empty": content.empty,
        "story_count": content.story_count,
        "article_count": content.article_count,
        "sections": [s for s in sections if s["stories"]],
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
        "timeline": timeline_svg(content) if not content.empty else Markup(""),
        "has_events": bool(content.sections.get(OUTCOME) or content.sections.get(CLASH)),
    }


@dataclass(frozen=True)
class RenderedDigest:
    """A digest rendered for people."""

    subject: str
    text: str
    html: str


def render_digest(content: DigestContent) -> RenderedDigest:
    """Render ``content`` with the packaged templates (``digest.txt``, ``digest.html``)."""
    context = _context(content)
    return RenderedDigest(
        subject=subject(content),
        text=templates.get_template("digest.txt").render(context),
        html=templates.get_template("digest.html").render(context),
    )


def digest_message(rendered: RenderedDigest, *, sender: str, recipients: Sequence[str], key: str) -> EmailMessage:
    """A multipart/alternative e-mail (text, then HTML) for one digest."""
    return multipart_message(rendered, sender=sender, recipients=recipients, idstring=f"digest-{key}")
