"""The merge pass: stories that turn out to tell one event become one, whatever the arrival order.

Each report joins the event it matches when it arrives, so what is stored depends on what
came first: two reports of one event that arrived before the report tying them together
each started an event and a story. After every crawl (and every poll of ``newswatch run``)
this pass re-checks the live events pairwise, in id order, and folds the ones that are one
event: union-find over identity matches, refusing a union when any two events of the two
groups are set apart by a place, venue, round or subtype (research: EMM clusters each
period in batch; the oldest id stays and the others redirect). Deterministic: the same
events give the same groups in any arrival order.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crawler.analysis.events.identity import EventSignature, combine, later_subtype, match
from crawler.ingest import compatible
from crawler.stories.regroup import regroup
from storage import alert_updates, events, stories

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from crawler.analysis.events.identity import IdentityRules
    from crawler.stories.assigner import StoryAssigner
    from storage.models import Event

logger = logging.getLogger(__name__)

# Events updated this long before the newest one are settled (research: 72-96 h).
HORIZON = timedelta(days=4)


def _signature(event: Event) -> EventSignature | None:
    try:
        return EventSignature.from_json(event.signature) if event.signature else None
    except (KeyError, TypeError, ValueError):
        return None


def groups(signatures: dict[int, EventSignature], rules: IdentityRules) -> list[list[int]]:
    """Groups of event ids that are one event (each sorted, groups by their oldest id)."""
    parent = {i: i for i in signatures}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    members: dict[int, list[int]] = {i: [i] for i in signatures}
    ids = sorted(signatures)
    for index, a in enumerate(ids):
        for b in ids[index + 1 :]:
            ra, rb = root(a), root(b)
            if ra == rb or not match(signatures[a], signatures[b], rules).same:
                continue
            # No union that would put two events set apart by a guard into one.
            if all(compatible(signatures[x], signatures[y], rules) for x in members[ra] for y in members[rb]):
                keep, gone = min(ra, rb), max(ra, rb)
                parent[gone] = keep
                members[keep] += members.pop(gone)
    return sorted((sorted(group) for group in members.values() if group), key=lambda g: g[0])


def consolidate(
    session: Session,
    rules: IdentityRules,
    now: datetime,
    horizon: timedelta = HORIZON,
    policy: alert_updates.UpdatePolicy | None = None,
) -> list[tuple[int, int]]:
    """Fold live events that are one event and merge their stories; returns the story merges.

    The oldest event and the oldest story of each group stay; the others point at them. The
    survivor takes the later subtype of the group (talks "stalled" -> "collapsed"), and each
    fold is recorded in the history of the alert that stays; an alert of a folded event
    raised after it becomes an update of it (``policy``: which updates are sent again).
    """
    policy = policy or alert_updates.UpdatePolicy()
    live = events.active_events(session, now - horizon)
    by_id = {e.id: e for e in live}
    signatures = {e.id: s for e in live if (s := _signature(e)) is not None}
    merges: list[tuple[int, int]] = []
    for group in groups(signatures, rules):
        if len(group) < 2:
            continue
        survivor = by_id[group[0]]
        folded = combine([signatures[i] for i in group])
        story_ids = sorted({stories.resolve(session, by_id[i].story_id) or by_id[i].story_id for i in group})
        for absorbed in story_ids[1:]:
            stories.merge_stories(session, story_ids[0], absorbed)
            merges.append((story_ids[0], absorbed))
        for event_id in group[1:]:
            folding = by_id[event_id]
            before = {e.id: alert_updates.state_of(e) for e in (survivor, folding)}
            subtype = later_subtype(survivor.subtype or folding.subtype or "", folding.subtype or "")
            events.fold_event(session, survivor, folding, folded.as_json(), subtype=subtype or None)
            # No report tied them (the pass did): the fold is the alert's update, with no article.
            alert_updates.fold_alerts(session, survivor, folding, before, article_id=None, policy=policy, now=now)
        survivor.story_id = story_ids[0]
        logger.info("events %s are one event: folded into %d, story %d", group, survivor.id, story_ids[0])
    session.flush()
    return merges


def merge_pass(
    session: Session,
    assigner: StoryAssigner,
    now: datetime,
    horizon: timedelta | None = None,
    policy: alert_updates.UpdatePolicy | None = None,
) -> list[tuple[int, int]]:
    """The pass after every crawl: fold live events (:func:`consolidate`), then regroup stories.

    The regrouping (:func:`crawler.stories.regroup.regroup`) re-clusters the articles of the
    last ``horizon`` (default: ``stories.regroup_windows`` story windows, two unless
    configured) in canonical order and merges the stories
    it puts together (``policy``: as :func:`consolidate`'s). Returns every story merge,
    (survivor, absorbed), in the order made.
    """
    merges = consolidate(session, assigner.identity, now, horizon or HORIZON, policy)
    window = horizon or assigner.clusterer.window * assigner.regroup_windows
    return merges + regroup(session, assigner, now, window)
