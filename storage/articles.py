"""Queries about articles: exact-duplicate-aware storing, known URLs.

Archive search lives in :mod:`storage.search`; ``search``, ``SearchFilters`` and ``ArticleRow``
are re-exported here, where callers have always imported them from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, func, insert, literal, select, union_all, update
from sqlalchemy.exc import IntegrityError

from storage.chunks import in_chunks
from storage.content import content_hash
from storage.db import utcnow
from storage.models import Article, ArticleSighting, ArticleUrl

# Re-exported: callers (CLI, HTTP API) import search from here.
from storage.search import ArticleRow as ArticleRow
from storage.search import SearchFilters as SearchFilters
from storage.search import search as search

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.engine import Connection, CursorResult
    from sqlalchemy.orm import Session

_SPACE = re.compile(r"\s+")

# The tables behind the models, for Core statements on the crawl's write path: the ORM's
# unit of work (identity map, flush planning, per-object events) cost more than the rows
# themselves when an article, its URLs and its sighting are written once and never
# touched again through the session. Core statements run on the session's connection,
# in its transaction.
_ARTICLES = cast("Table", Article.__table__)
_URLS = cast("Table", ArticleUrl.__table__)
_SIGHTINGS = cast("Table", ArticleSighting.__table__)
# Built once with bound parameters: building a statement and its cache key per article
# (and a bind parameter per inserted value) cost as much as executing it.
#
# The three exact-duplicate keys in one statement (one round trip instead of three on
# PostgreSQL): each branch is an index lookup, the first key in this order that matches
# wins, and the lowest article id among its matches.
_EXACT_KEYS = ("url", "guid", "content_hash")
_BY_EXACT_KEY = (
    union_all(
        select(literal(0).label("key"), _URLS.c.article_id.label("id")).where(
            _URLS.c.url.in_(bindparam("urls", expanding=True))
        ),
        select(literal(1), _ARTICLES.c.id).where(_ARTICLES.c.guid == bindparam("guid")),
        select(literal(2), _ARTICLES.c.id).where(_ARTICLES.c.content_hash == bindparam("digest")),
    )
    .order_by("key", "id")
    .limit(1)
)
_PARENT = select(_ARTICLES.c.duplicate_of).where(_ARTICLES.c.id == bindparam("id"))
_INSERT_ARTICLE = insert(_ARTICLES)
_INSERT_URL = insert(_URLS)
_INSERT_SIGHTING = insert(_SIGHTINGS)


@dataclass
class ArticleRecord:
    """An extracted article ready to store (storage's view; the crawler fills it)."""

    url: str
    title: str
    text: str
    source_id: int | None
    fetched_at: datetime = field(default_factory=utcnow)
    guid: str | None = None
    summary: str | None = None
    author: str | None = None
    language: str | None = None
    published_at: datetime | None = None
    published_source: str | None = None
    extraction: str = "trafilatura"
    # Every other URL this article was reached under (feed link, pre-redirect URL).
    aliases: list[str] = field(default_factory=list)
    is_seed: bool = False
    # Near-duplicate fingerprint and decision (crawler/dedup).
    signature: bytes | None = None
    shingle_count: int | None = None
    short_text: bool | None = None
    duplicate_of: int | None = None
    duplicate_score: float | None = None
    duplicate_method: str | None = None
    relevant: bool | None = None
    relevance_score: float | None = None
    # content_hash(title, text), when the caller computed it already (the crawler does, in
    # its extraction workers, off the writer thread).
    content_hash: str | None = None
    # The event kind of the article's story features ("" for none; None: not analysed).
    event_kind: str | None = None


@dataclass(frozen=True)
class StoreResult:
    """What :func:`store_article` did."""

    article_id: int
    created: bool
    matched_by: str | None  # url | guid | content_hash, when not created


def known_urls(session: Session, urls: Iterable[str]) -> set[str]:
    """The subset of ``urls`` already stored (as canonical URL or alias)."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    for chunk in in_chunks(wanted):
        found.update(session.scalars(select(ArticleUrl.url).where(ArticleUrl.url.in_(chunk))))
    return found


def find_existing(session: Session | Connection, record: ArticleRecord, digest: str) -> tuple[int, str] | None:
    """The stored article this record is an exact duplicate of, and by which key."""
    # An empty GUID matches nothing (NULL equals nothing in SQL).
    params = {"urls": [record.url, *record.aliases], "guid": record.guid or None, "digest": digest}
    row = session.execute(_BY_EXACT_KEY, params).first()
    if row is None:
        return None
    return row.id, _EXACT_KEYS[row.key]


_ROOT_FACTS = select(_ARTICLES.c.published_at, _ARTICLES.c.is_seed).where(_ARTICLES.c.id == bindparam("id"))


def _published_before(new: datetime | None, old: datetime | None) -> bool:
    """Whether a copy published ``new`` came out before its original, published ``old``.

    A time of exactly midnight is most often a date alone (a page that states only its day),
    so two times on one such day are not ordered: the first stored stays the original.
    """
    if new is None or old is None:
        return False
    new, old = (t if t.tzinfo else t.replace(tzinfo=UTC) for t in (new, old))
    if any(t.astimezone(UTC).time() == time(0, 0) for t in (new, old)):
        return new.astimezone(UTC).date() < old.astimezone(UTC).date()
    return new < old


def _original_later(session: Session, record: ArticleRecord, root: int | None) -> bool:
    """Whether the copy ``record`` was published before ``root``, which then becomes its copy.

    The original of syndicated copies is the one published first, whatever order the crawl
    found them in; the seed (the user's own text) always stays the original.
    """
    if root is None or record.published_at is None:
        return False
    facts = session.execute(_ROOT_FACTS, {"id": root}).first()
    return facts is not None and not facts.is_seed and _published_before(record.published_at, facts.published_at)


def _make_original(session: Session, article_id: int, old_root: int, record: ArticleRecord) -> None:
    """Make the just-stored ``article_id`` the original of ``old_root`` and of its copies.

    Every copy points straight at the new original (no chains); the old original takes the
    new one's similarity and method, which are symmetric.
    """
    session.execute(
        update(Article)
        .where(Article.duplicate_of == old_root)
        .values(duplicate_of=article_id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Article)
        .where(Article.id == old_root)
        .values(
            duplicate_of=article_id,
            duplicate_score=record.duplicate_score,
            duplicate_method=record.duplicate_method,
        )
        .execution_options(synchronize_session=False)
    )


def _root(session: Session, article_id: int | None) -> int | None:
    """The original a duplicate points at: a copy of a copy points at the first."""
    if article_id is None:
        return None
    parent = session.scalar(_PARENT, {"id": article_id})
    return parent if parent is not None else article_id


def iter_signatures(session: Session, batch: int = 20_000) -> Iterable[list[tuple[int, bytes, int, bool]]]:
    """Every stored signature as batches of (article id, signature, shingle count, short)."""
    last = 0
    while True:
        rows = session.execute(
            select(Article.id, Article.signature, Article.shingle_count, Article.short_text)
            .where(Article.id > last, Article.signature.is_not(None))
            .order_by(Article.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield [(r[0], r[1] or b"", r[2] or 0, bool(r[3])) for r in rows]
        last = rows[-1][0]


def _add_aliases(session: Session, article_id: int, urls: Iterable[str]) -> None:
    present = known_urls(session, urls)
    for url in dict.fromkeys(urls):
        if url not in present:
            session.add(ArticleUrl(url=url, article_id=article_id))


def add_sightings(session: Session, urls: list[str], source_id: int) -> None:
    """Record that ``source_id`` carries the stored articles reached under ``urls``."""
    if not urls:
        return
    ids: set[int] = set()
    for chunk in in_chunks(urls):
        ids.update(session.scalars(select(ArticleUrl.article_id).where(ArticleUrl.url.in_(chunk))))
    if not ids:
        return
    present = set(
        session.scalars(
            select(ArticleSighting.article_id).where(
                ArticleSighting.source_id == source_id, ArticleSighting.article_id.in_(ids)
            )
        )
    )
    now = utcnow()
    for article_id in sorted(ids - present):
        session.add(ArticleSighting(article_id=article_id, source_id=source_id, seen_at=now))


def _add_sighting(session: Session, article_id: int, source_id: int | None, when: datetime) -> None:
    if source_id is None:
        return
    exists = session.scalar(
        select(ArticleSighting.id).where(
            ArticleSighting.article_id == article_id, ArticleSighting.source_id == source_id
        )
    )
    if exists is None:
        session.add(ArticleSighting(article_id=article_id, source_id=source_id, seen_at=when))


def store_article(session: Session, record: ArticleRecord) -> StoreResult:
    """Store an article once: an exact duplicate (URL, GUID or content) records a sighting.

    A near-duplicate (``record.duplicate_of``) is stored as a copy of its original, unless it
    was published before that original: then it is the original and the other its copy.

    Runs inside the caller's transaction, in a savepoint, so a concurrent writer inserting
    the same URL first turns into a sighting instead of an error.
    """
    digest = record.content_hash or content_hash(record.title, record.text)
    urls = [record.url, *record.aliases]
    # The statements of the new-article path go to the session's connection directly: an
    # ORM Session.execute of a Core statement costs about 50 us more each (ORM compile
    # state, events, autoflush checks), a fifth of store_article's CPU per article on the
    # real-page crawl bench. The one autoflush they would have done is done here.
    session.flush()
    existing = find_existing(session.connection(), record, digest)
    if existing is None:
        try:
            with session.begin_nested():
                # Asked for inside the nested transaction: the Session emits its SAVEPOINT
                # only when something asks it for the connection, and a statement sent to a
                # connection taken before runs outside it, so a concurrent writer's URL (the
                # unique index) would abort the whole transaction instead of this savepoint.
                connection = session.connection()
                root = _root(session, record.duplicate_of)
                # A copy published before its stored original is the original (stored as
                # one, the other made its copy below); the record keeps saying which article
                # it matched, so its caller still finds the story they share through it.
                earlier = _original_later(session, record, root)
                inserted = connection.execute(
                    _INSERT_ARTICLE,
                    dict(
                        url=record.url,
                        guid=record.guid,
                        title=record.title,
                        text=record.text,
                        summary=record.summary,
                        author=record.author,
                        language=record.language,
                        published_at=record.published_at,
                        published_source=record.published_source,
                        fetched_at=record.fetched_at,
                        source_id=record.source_id,
                        extraction=record.extraction,
                        content_hash=digest,
                        is_seed=record.is_seed,
                        signature=record.signature,
                        shingle_count=record.shingle_count,
                        short_text=record.short_text,
                        duplicate_of=None if earlier else root,
                        duplicate_score=None if earlier else record.duplicate_score,
                        duplicate_method=None if earlier else record.duplicate_method,
                        relevant=record.relevant,
                        relevance_score=record.relevance_score,
                        event_kind=record.event_kind,
                    ),
                )
                # lastrowid on SQLite, RETURNING on PostgreSQL (SQLAlchemy picks).
                key = cast("CursorResult[Any]", inserted).inserted_primary_key
                if key is None:  # pragma: no cover - a single-row INSERT always has one
                    raise RuntimeError("the article INSERT returned no primary key")
                article_id: int = key[0]
                if earlier and root is not None:
                    _make_original(session, article_id, root, record)
                # find_existing just found none of these URLs, and a new article has no
                # sightings: insert without asking again (a concurrent writer's row fails
                # the unique index and lands in the IntegrityError branch below).
                connection.execute(_INSERT_URL, [{"url": url, "article_id": article_id} for url in dict.fromkeys(urls)])
                if record.source_id is not None:
                    connection.execute(
                        _INSERT_SIGHTING,
                        {"article_id": article_id, "source_id": record.source_id, "seen_at": record.fetched_at},
                    )
            return StoreResult(article_id, True, None)
        except IntegrityError:
            existing = find_existing(session, record, digest)
            if existing is None:
                raise
    article_id, matched_by = existing
    _add_aliases(session, article_id, urls)
    _add_sighting(session, article_id, record.source_id, record.fetched_at)
    session.flush()
    return StoreResult(article_id, False, matched_by)


def get_article(session: Session, article_id: int) -> Article | None:
    """One article by id."""
    return session.get(Article, article_id)


def count_articles(session: Session) -> int:
    """Number of stored articles."""
    return session.scalar(select(func.count()).select_from(Article)) or 0


def all_urls(session: Session) -> list[str]:
    """Every stored canonical URL (tests and diagnostics)."""
    return list(session.scalars(select(Article.url).order_by(Article.id)))
