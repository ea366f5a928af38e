"""Where each article that tells no event belongs, decided from the window whatever the arrival order.

A report that tells no event (a reaction, a recap, a report whose event the classifier
missed) joins, when it arrives, the story it shares most words with *at that moment*: which
stories exist then, and which other such reports they pooled, depend on arrival order, so the
same report lands in the Doha story in one order and in the Paktika strikes' in another
(docs/events.md, "Order"). Merging stories afterwards cannot undo a wrong join.

The placement re-decides those reports from evidence that does not depend on the order:
the stories' *anchored* articles (reports of an event, which event identity placed, and
the seed) and the window's canonical clustering (crawler.stories.regroup). A floating
report joins the anchored story its words score highest with (the write path's join rule,
against the anchored articles only); else the anchored story its canonical cluster holds
most reports of; else it goes with the floating reports of its canonical cluster, in one
story of their own. A copy follows its original. The result is a function of the window's
articles and events, not of the order they came in: the same partition in every order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.stories.clusterer import StoryClusterer, StoryState

if TYPE_CHECKING:
    from crawler.analysis.features import Features


@dataclass(frozen=True)
class Placed:
    """An article of the window: its features, its stored story and the original it duplicates."""

    features: Features
    story_id: int
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Plan:
    """Where the window's articles go: existing stories, and new stories (by their group key)."""

    # article id -> stored story id (only articles that move)
    moves: dict[int, int]
    # the article ids of each new story, in canonical order (the first titles it)
    new: list[list[int]]


def anchored(features: Features) -> bool:
    """An article whose story event identity decided (a report of an event) or the user's seed."""
    return bool(features.event_kind) or features.is_seed


def _most(counts: Counter[int], first: dict[int, int]) -> int:
    """The story counted most (ties: the one that comes first in the window)."""
    return min(counts, key=lambda story: (-counts[story], first[story]))


def plan(placed: list[Placed], cluster: dict[int, int], clusterer: StoryClusterer) -> Plan:
    """The stories the window's floating articles belong in (``placed`` in canonical order).

    ``cluster``: the canonical clustering (article id -> cluster); ``clusterer``: the one that
    made it (its document frequencies weigh the terms, as in the write path).
    """
    # The anchored stories as their anchored articles alone make them: what a floating
    # report is scored against does not depend on where other floating reports sit.
    probe = StoryClusterer(clusterer.gazetteer, threshold=clusterer.threshold, window=clusterer.window)
    probe.term_df, probe.entity_df, probe.documents = clusterer.term_df, clusterer.entity_df, clusterer.documents
    # Canonical cluster -> the stories of its anchored articles (how many), and each anchored
    # story's first position in the window (ties go to the story anchored first, not to an id).
    cluster_anchors: dict[int, Counter[int]] = {}
    first: dict[int, int] = {}
    for index, item in enumerate(placed):
        if not anchored(item.features) or item.duplicate_of is not None:
            continue
        state = probe.stories.get(item.story_id)
        if state is None:
            state = probe.stories[item.story_id] = StoryState(item.story_id, item.features.when, item.features.when)
        state.add(item.features)
        cluster_anchors.setdefault(cluster[item.features.article_id], Counter())[item.story_id] += 1
        first.setdefault(item.story_id, index)
    target: dict[int, int] = {}
    unmatched: dict[int, list[Placed]] = {}
    for item in placed:
        features = item.features
        if item.duplicate_of is not None or anchored(features):
            continue
        match = probe.best(features)
        held = cluster_anchors.get(cluster[features.article_id])
        if match is not None:
            # The write path's join rule, against the reports of events only.
            target[features.article_id] = match.story_id
        elif held:
            # Joined no event's story on its own words, but its canonical cluster holds
            # reports of events (chained through other floating reports): go with them.
            target[features.article_id] = _most(held, first)
        else:
            unmatched.setdefault(cluster[features.article_id], []).append(item)
    # Floating reports that join no anchored story: one story per canonical cluster, kept in
    # the stored story (not an anchored one) holding most of them, so nothing moves when the
    # stored stories already agree; else a new story.
    claimed: set[int] = set(first)
    new: dict[int, list[int]] = {}
    # Groups in canonical order (the window's order), never by id: ids follow arrival.
    for key, items in unmatched.items():
        counts = Counter(item.story_id for item in items if item.story_id not in claimed)
        if counts:
            home = min(counts, key=lambda s: (-counts[s], s))
            claimed.add(home)
            for item in items:
                target[item.features.article_id] = home
        else:
            new[key] = [item.features.article_id for item in items]
    # Copies follow their original wherever it goes (an original outside the window stays put).
    current = {item.features.article_id: item.story_id for item in placed}
    group_of = {article: key for key, members in new.items() for article in members}
    for item in placed:
        original = item.duplicate_of
        if original is None or original not in current:
            continue
        if original in group_of:
            new[group_of[original]].append(item.features.article_id)
        else:
            target[item.features.article_id] = target.get(original, current[original])
    moves = {a: s for a, s in target.items() if s != current[a]}
    return Plan(moves, list(new.values()))
