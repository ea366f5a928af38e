"""Who covered a story: its independent reports, their outlets, its syndicated copies, and
which outlet published first.

One place counts coverage for every surface (dashboard, command line, API, digest, e-mail,
Atom feed), so none can say "4 articles from 5 outlets": outlets are counted over the
independent reports (an article that is no one's copy) by the outlet that published each,
and syndicated copies (``duplicate_of`` set) are counted apart, as "+N copies". Feeds that
merely carried an article (``article_sightings``) are not outlets of the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from storage.labels import plural
from storage.models import Article, Source

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class FirstReport:
    """The story's earliest article by published time (fetch time when it gave none)."""

    source: str | None
    url: str
    title: str
    published: datetime | None


@dataclass(frozen=True)
class Coverage:
    """A story's coverage, counted once for every surface."""

    reports: int
    outlets: tuple[str, ...]
    copies: int
    first: FirstReport | None

    def text(self) -> str:
        """``3 articles from 2 outlets, +1 copy``: outlets never outnumber the articles."""
        return counted(self.reports, len(self.outlets), self.copies)


def counted(reports: int, outlets: int, copies: int) -> str:
    """``3 articles from 2 outlets, +1 copy`` from the three counts (see the module docstring)."""
    text = plural(reports, "article")
    if outlets:
        text += f" from {plural(outlets, 'outlet')}"
    if copies:
        text += f", +{plural(copies, 'copy', 'copies')}"
    return text


def story_coverage(session: Session, story_ids: Iterable[int]) -> dict[int, Coverage]:
    """The coverage of each story (every id present; an empty story has zero of everything)."""
    ids = sorted(set(story_ids))
    reports: dict[int, int] = dict.fromkeys(ids, 0)
    copies: dict[int, int] = dict.fromkeys(ids, 0)
    outlets: dict[int, set[str]] = {i: set() for i in ids}
    first: dict[int, FirstReport] = {}
    if ids:
        columns = (Article.story_id, Article.url, Article.title, Article.published_at, Article.duplicate_of)
        for story_id, url, title, published, duplicate_of, source in session.execute(
            select(*columns, Source.name)
            .outerjoin(Source, Source.id == Article.source_id)
            .where(Article.story_id.in_(ids))
            .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
        ):
            key = int(story_id or 0)
            if key not in first and source is not None:
                first[key] = FirstReport(source, url, title, published)
            if duplicate_of is not None:
                copies[key] += 1
                continue
            reports[key] += 1
            if source is not None:
                outlets[key].add(source)
    return {i: Coverage(reports[i], tuple(sorted(outlets[i])), copies[i], first.get(i)) for i in ids}


@dataclass(frozen=True)
class CoverageLine:
    """One article of an alerted story, as a reader of the coverage list sees it."""

    url: str
    title: str
    source: str | None
    language: str | None
    # A syndicated copy of another article of the story (duplicate_of set).
    copy: bool = False


def alert_coverage(session: Session, story_ids: Iterable[int]) -> dict[int, list[CoverageLine]]:
    """The articles of each story as (url, headline, outlet, language), in time order.

    The same articles, in the same order, as an alert view's ``articles`` URLs; kept apart
    from the view so the JSON of ``newswatch alerts`` and the API keeps its documented fields.
    """
    ids = sorted(set(story_ids))
    out: dict[int, list[CoverageLine]] = {story_id: [] for story_id in ids}
    if not ids:
        return out
    for story_id, url, title, language, source_name, duplicate_of in session.execute(
        select(Article.story_id, Article.url, Article.title, Article.language, Source.name, Article.duplicate_of)
        .outerjoin(Source, Source.id == Article.source_id)
        .where(Article.story_id.in_(ids))
        .order_by(func.coalesce(Article.published_at, Article.fetched_at), Article.id)
    ):
        out[int(story_id or 0)].append(CoverageLine(url, title, source_name, language, duplicate_of is not None))
    return out
