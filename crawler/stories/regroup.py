"""The regrouping pass: stories that a canonical-order clustering puts together become one.

Single-pass clustering depends on arrival order: a story reaches only a time window around
the members it has so far, so a report met before the reports of the days in between starts
a story of its own, and the days in between never reunite the two (docs/events.md, "Order").
After every crawl this pass re-clusters the recent articles of live stories with the same
clusterer in a canonical order (published time, then URL) and merges the stored stories that
the canonical clustering puts together; the oldest story id stays and the others redirect
(:func:`storage.stories.merge_stories`). Two stories that report different events are never
merged: event identity (:mod:`crawler.stories.merge`) decides what is one event. Then the
reports that tell no event are placed again from the window's evidence
(:mod:`crawler.stories.placement`): merging alone never undid the story such a report met on
arrival. A report of an event never moves.

Deterministic: the canonical clustering depends only on the stored articles of the window
(ordered by published time, then URL), not on the order they arrived in.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import TYPE_CHECKING

from crawler.analysis.features import tfidf
from crawler.stories import placement
from crawler.stories.clusterer import StoryClusterer, StoryState
from crawler.stories.placement import Placed
from storage import stories, story_window

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from sqlalchemy.orm import Session

    from crawler.analysis.features import Features
    from crawler.stories.assigner import StoryAssigner

logger = logging.getLogger(__name__)

# Rounds of merges per pass at most (the replays reach a fixed point in two).
MAX_ROUNDS = 5


def canonical_clusters(placed: list[Placed], clusterer: StoryClusterer) -> dict[int, int]:
    """Article id -> canonical cluster (its first article's id), clustering in the given order.

    The same decisions as the write path: a seed article and the original of nothing start
    a cluster of their own when no cluster matches, a duplicate joins its original's cluster.
    """
    cluster: dict[int, int] = {}
    for item in placed:
        features = item.features
        if item.duplicate_of is not None and item.duplicate_of in cluster:
            target = cluster[item.duplicate_of]
        else:
            match = None if features.is_seed else clusterer.best(features)
            target = match.story_id if match else features.article_id
        cluster[features.article_id] = target
        clusterer.add(target, features)
    return cluster


def homes(placed: list[Placed], cluster: dict[int, int]) -> dict[int, int]:
    """Stored story id -> the canonical cluster holding most of its window articles.

    A story follows where most of its articles go, so one stray article of a story does not
    drag the whole story into another (ties: the cluster of the oldest article).
    """
    counts: dict[int, Counter[int]] = {}
    for item in placed:
        counts.setdefault(item.story_id, Counter())[cluster[item.features.article_id]] += 1
    return {story: min(c, key=lambda k: (-c[k], k)) for story, c in counts.items()}


def proposed(placed: list[Placed], cluster: dict[int, int]) -> list[list[int]]:
    """Groups of stored story ids that share a canonical home (each sorted, groups by oldest id)."""
    by_home: dict[int, list[int]] = {}
    for story, home in sorted(homes(placed, cluster).items()):
        by_home.setdefault(home, []).append(story)
    return sorted((group for group in by_home.values() if len(group) > 1), key=lambda g: g[0])


def parts(
    group: list[int], reported: dict[int, set[int]], members: dict[int, list[Features]], clusterer: StoryClusterer
) -> list[list[int]]:
    """Split a proposed group so that no part holds two stories reporting different events.

    ``reported``: story id -> the live events it reports (after the events were folded);
    ``members``: story id -> the features of its window articles; ``clusterer``: the
    canonical clustering (its document frequencies weigh the terms). Stories reporting the
    same events form a part; a story telling no event joins the part its articles score
    highest with, on average, if that reaches the join threshold (when the canonical
    cluster chained two events, its words decide which one the story tells); else it stays.
    """
    told = {story: frozenset(reported.get(story, ())) for story in group}
    events = sorted({e for e in told.values() if e}, key=min)
    if len(events) <= 1:
        return [group]
    part_of = {e: [story for story in group if told[story] == e] for e in events}
    pooled: dict[frozenset[int], StoryState] = {}
    for e, owners in part_of.items():
        features = [f for story in owners for f in members[story]]
        state = StoryState(owners[0], min(f.when for f in features), max(f.when for f in features))
        for f in features:
            state.add(f)
        pooled[e] = state
    for story in group:
        if told[story]:
            continue
        best: tuple[float, frozenset[int]] | None = None
        for e in events:
            scores = [
                clusterer.score(f, pooled[e], tfidf(f.terms, clusterer.term_df, clusterer.documents + 1))
                for f in members[story]
            ]
            value = sum(scores) / len(scores)
            if value >= clusterer.threshold and (best is None or value > best[0]):
                best = (value, e)
        if best is not None:
            part_of[best[1]].append(story)
    return [sorted(p) for p in part_of.values() if len(p) > 1]


def _merge_round(
    session: Session, placed: list[Placed], cluster: dict[int, int], clusterer: StoryClusterer
) -> list[tuple[int, int]]:
    """One round of merges over the stories as ``placed`` says they are now."""
    groups = proposed(placed, cluster)
    candidates = sorted({story for group in groups for story in group})
    reported = {s: {e.id for e in events} for s, events in stories.reported_events(session, candidates).items()}
    members: dict[int, list[Features]] = {}
    for item in placed:
        members.setdefault(item.story_id, []).append(item.features)
    merges: list[tuple[int, int]] = []
    for group in groups:
        for part in parts(group, reported, members, clusterer):
            for absorbed in part[1:]:
                stories.merge_stories(session, part[0], absorbed)
                merges.append((part[0], absorbed))
    return merges


def _features(session: Session, assigner: StoryAssigner, rows: list[story_window.Placement]) -> list[Features]:
    """The features of the window's articles, in ``rows``' order.

    Titles and texts are read only for the articles the assigner has no features of yet
    (new in the window, or every article after a restart); the features of articles that
    left the window are dropped.
    """
    assigner.forget_features_except({row.article_id for row in rows})
    missing = [row.article_id for row in rows if assigner.cached_features(row.article_id) is None]
    for member in story_window.window_members(session, missing):
        assigner.window_features(member)
    out: list[Features] = []
    for row in rows:
        features = assigner.cached_features(row.article_id)
        if features is None:  # pragma: no cover - the window's rows were read in this transaction
            raise LookupError(f"article {row.article_id} of the regrouping window has no stored text")
        out.append(features)
    return out


def _place(
    session: Session, assigner: StoryAssigner, placed: list[Placed], cluster: dict[int, int], clusterer: StoryClusterer
) -> tuple[list[Placed], list[tuple[int, int]]]:
    """Move the window's floating articles where :func:`crawler.stories.placement.plan` puts them.

    Returns the window as it is then, and the stories left empty, each merged into the
    story most of its articles went to (its id keeps resolving), as (survivor, absorbed).
    """
    decided = placement.plan(placed, cluster, clusterer)
    moves = dict(decided.moves)
    by_id = {p.features.article_id: p for p in placed}
    for members in decided.new:
        story_id = story_window.new_story(session, members[0])
        moves.update((article, story_id) for article in members)
    if not moves:
        return placed, []
    story_window.move_articles(session, moves)
    went: dict[int, Counter[int]] = {}
    for article, story_id in moves.items():
        source = by_id[article].story_id
        went.setdefault(source, Counter())[story_id] += 1
        assigner.clusterer.move(by_id[article].features, source, story_id)
    retired = []
    for gone in story_window.emptied(session, went):
        counts = went[gone]
        survivor = min(counts, key=lambda s: (-counts[s], s))
        stories.merge_stories(session, survivor, gone)
        retired.append((survivor, gone))
    placed = [Placed(p.features, moves.get(p.features.article_id, p.story_id), p.duplicate_of) for p in placed]
    return placed, retired


def regroup(session: Session, assigner: StoryAssigner, now: datetime, horizon: timedelta) -> list[tuple[int, int]]:
    """Merge the live stories the canonical clustering of the last ``horizon`` puts together.

    Then place the window's reports that tell no event (:func:`_place`). Returns the merges
    as (survivor, absorbed), oldest story surviving, then the stories the placement left
    empty (each redirected to where most of its articles went). A window whose
    articles and stories are as the previous pass left them is not clustered again (the
    result would be the same): a poll that brought nothing costs one query, which reads ids
    only; the texts of articles already seen are not read again (their features are kept).
    """
    started = time.perf_counter()
    rows = story_window.window_placement(session, now - horizon)
    state = tuple((row.article_id, row.story_id) for row in rows)
    if state == assigner.regrouped:
        return []
    features = _features(session, assigner, rows)
    placed = [Placed(f, row.story_id, row.duplicate_of) for row, f in zip(rows, features, strict=True)]
    online = assigner.clusterer
    clusterer = StoryClusterer(assigner.gazetteer, threshold=online.threshold, window=online.window)
    cluster = canonical_clusters(placed, clusterer)
    merges: list[tuple[int, int]] = []
    # A merge changes where a story's articles mostly go (its home), so merge again until
    # nothing moves: the result is then a fixed point, the same whatever the arrival order.
    for _ in range(MAX_ROUNDS):
        made = _merge_round(session, placed, cluster, clusterer)
        if not made:
            break
        merges += made
        into = dict((absorbed, survivor) for survivor, absorbed in made)
        placed = [Placed(p.features, into.get(p.story_id, p.story_id), p.duplicate_of) for p in placed]
    placed, retired = _place(session, assigner, placed, cluster, clusterer)
    merges += retired
    session.flush()
    assigner.regrouped = tuple((p.features.article_id, p.story_id) for p in placed)
    # Quiet when nothing merged: the pass runs after every poll.
    logger.log(
        logging.INFO if merges else logging.DEBUG,
        "story regrouping: %d articles, %d canonical clusters, %d merges in %.3fs",
        len(placed),
        len(set(cluster.values())),
        len(merges),
        time.perf_counter() - started,
    )
    return merges
