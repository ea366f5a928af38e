"""Single-pass story clustering: each new article joins the closest active story or starts one.

The score mixes text similarity with the story (tf-idf cosine of headline and lead against
the story's pooled terms) and entity agreement (places, parties, people, weighted by how
rare they are), inside a time window. Two reports of one event share rare words and
places; two rounds of the same talks share the actors but not the dates, and two clashes
on one border share the actors but not the places, so a disagreement on specific places
counts against joining.

Why single-pass (online) clustering and not a batch method: articles arrive one at a time
and a story, once announced, must keep its identity (TDT "first story detection", Allan et
al., 1998).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crawler.analysis.features import cosine, idf, term_weight, tfidf

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.analysis.features import Features
    from crawler.analysis.gazetteer import Gazetteer

TEXT_WEIGHT = 0.8
ENTITY_WEIGHT = 0.2
# Multiplier when both sides name specific places and none of them agree.
PLACE_CONFLICT = 0.5
# Scripts differ: text similarity is meaningless, entities and time must carry the match.
CROSS_SCRIPT_WEIGHT = 0.75
# Multiplier when the article reports an event the story does not (an outcome after a
# story of the round's opening; a clash after a story of a truce).
EVENT_CONFLICT = 0.7


def _script(features: Features) -> str:
    for term in features.terms:
        for ch in term:
            if ch.isalpha():
                code = ord(ch)
                if code < 0x0250:
                    return "latin"
                if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
                    return "arabic"
                if 0x0900 <= code <= 0x097F:
                    return "devanagari"
                return "other"
    return "none"


@dataclass
class StoryState:
    """An active story in memory."""

    story_id: int
    first: datetime
    last: datetime
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    scripts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    size: int = 0
    seed: bool = False

    # Unnormalised tf-idf weights of the pooled terms and their sum of squares (the squared
    # norm), kept up to date term by term as articles join (StoryClusterer.add) and
    # recomputed whole when the corpus has grown by a twentieth (StoryClusterer.score).
    weights: dict[str, float] | None = None
    sumsq: float = 0.0
    weights_documents: int = -1

    def add(self, features: Features) -> None:
        """Pool an article's features into the story (its weights are the clusterer's to update)."""
        self.terms.update(features.terms)
        self.entities.update(features.entities)
        self.scripts[_script(features)] += 1
        if features.event_kind:
            self.kinds[features.event_kind] += 1
        self.seed = self.seed or features.is_seed
        self.first = min(self.first, features.when)
        self.last = max(self.last, features.when)
        self.size += 1


@dataclass(frozen=True)
class Match:
    """The best story for an article and its score."""

    story_id: int
    score: float


class StoryClusterer:
    """Keeps active stories and decides which one an article belongs to."""

    def __init__(self, gazetteer: Gazetteer, *, threshold: float = 0.3, window: timedelta = timedelta(days=3)) -> None:
        self.gazetteer = gazetteer
        self.threshold = threshold
        self.window = window
        self.stories: dict[int, StoryState] = {}
        self.term_df: Counter[str] = Counter()
        self.entity_df: Counter[str] = Counter()
        self.documents = 0

    def _places(self, entities: Iterable[str]) -> set[str]:
        return {e for e in entities if self.gazetteer.kinds.get(e) == "place"}

    def _entity_weight(self, entity: str) -> float:
        return idf(self.entity_df.get(entity, 0), self.documents)

    def score(
        self, features: Features, story: StoryState, vector: dict[str, float], common: set[str] | None = None
    ) -> float:
        """Similarity of an article with a story, 0..1.

        ``common`` is :meth:`_common_places`, passed in by :meth:`best` so that it is
        computed once per article rather than once per story.
        """
        # Recomputing every story's vector for every article was an eighth of the pipeline's
        # time, and recomputing it whenever the story changed still took a fifth of the
        # writer thread's. Document frequencies drift slowly: the weights are recomputed whole
        # when the corpus grew by a twentieth, and in between only the terms an article
        # brings are re-weighted (add).
        if story.weights is None or self.documents > story.weights_documents * 1.05:
            story.weights = tfidf(story.terms, self.term_df, self.documents, normalise=False)
            story.sumsq = sum(w * w for w in story.weights.values())
            story.weights_documents = self.documents
        text = cosine(vector, story.weights) / math.sqrt(story.sumsq) if story.sumsq > 0 else 0.0
        entity = 0.0
        if features.entities:
            total = sum(self._entity_weight(e) for e in features.entities)
            shared = sum(self._entity_weight(e) for e in features.entities if story.entities.get(e))
            entity = shared / total if total else 0.0
        script = _script(features)
        if story.scripts and script not in story.scripts:
            value = CROSS_SCRIPT_WEIGHT * entity
        else:
            value = TEXT_WEIGHT * text + ENTITY_WEIGHT * entity
        # Specific places: an article about Chaman and a story about Kurram are two events.
        common = self._common_places() if common is None else common
        mine = self._places(features.entities) - common
        theirs = self._places(story.entities) - common
        if mine and theirs and not (mine & theirs):
            value *= PLACE_CONFLICT
        # A story of another event kind: a clash is not the outcome of talks.
        if features.event_kind and story.kinds and features.event_kind not in story.kinds:
            value *= EVENT_CONFLICT
        return value

    @staticmethod
    def _different_phase(features: Features, story: StoryState) -> bool:
        """An event and the coverage before it are two stories, however alike their words.

        The outcome of a round does not join the story of its opening (reports hours or days
        older, stating no event), and a preview written before an outcome does not join the
        outcome's story. Reports of one event arrive within hours of each other.
        """
        gap = timedelta(hours=12)
        if features.event_kind and not story.kinds:
            return features.when - story.first > gap
        if not features.event_kind and story.kinds:
            return story.first - features.when > gap
        return False

    def _common_places(self) -> set[str]:
        # Places named in more than a third of all articles (capitals, the border itself)
        # say nothing about which event an article reports.
        if self.documents < 6:
            return set()
        limit = self.documents / 3
        return {e for e, n in self.entity_df.items() if n > limit}

    def best(self, features: Features) -> Match | None:
        """The active story the article belongs to, or None to start a new one."""
        vector = tfidf(features.terms, self.term_df, self.documents + 1)
        common = self._common_places()
        best: Match | None = None
        for story in self.stories.values():
            if features.when < story.first - self.window or features.when > story.last + self.window:
                continue
            # The seed's story is what the user already knows: an article reporting an
            # event is news and starts its own story.
            if story.seed and features.event_kind:
                continue
            if self._different_phase(features, story):
                continue
            value = self.score(features, story, vector, common)
            if value >= self.threshold and (best is None or value > best.score):
                best = Match(story.story_id, round(value, 4))
        return best

    def add(self, story_id: int, features: Features) -> None:
        """Record that an article belongs to ``story_id`` (new or existing)."""
        story = self.stories.get(story_id)
        if story is None:
            story = StoryState(story_id, features.when, features.when)
            self.stories[story_id] = story
        story.add(features)
        self.term_df.update(features.terms.keys())
        self.entity_df.update(features.entities)
        self.documents += 1
        weights = story.weights
        if weights is not None:
            # The article's terms changed count in the story: re-weight those alone, with
            # today's document frequencies, and keep the squared norm in step.
            for term in features.terms:
                weight = term_weight(story.terms[term], self.term_df.get(term, 0), self.documents)
                old = weights.get(term, 0.0)
                story.sumsq += weight * weight - old * old
                weights[term] = weight

    def merge(self, survivor: int, absorbed: int) -> None:
        """Pool story ``absorbed`` into ``survivor`` (found to report one event)."""
        gone = self.stories.pop(absorbed, None)
        if gone is None or survivor == absorbed:
            return
        story = self.stories.get(survivor)
        if story is None:
            gone.story_id = survivor
            self.stories[survivor] = gone
            return
        story.terms.update(gone.terms)
        story.entities.update(gone.entities)
        story.scripts.update(gone.scripts)
        story.kinds.update(gone.kinds)
        story.seed = story.seed or gone.seed
        story.first, story.last = min(story.first, gone.first), max(story.last, gone.last)
        story.size += gone.size
        story.weights = None  # recomputed whole at the next score

    def move(self, features: Features, source: int, target: int) -> None:
        """Follow an article moved from story ``source`` to ``target`` (the regrouping's placement).

        Its features leave the source's pooled counts (the source keeps its time span: a
        bound, not a count) and join the target's; the corpus counts stay as they are.
        """
        gone = self.stories.get(source)
        if gone is not None:
            gone.terms.subtract(features.terms)
            gone.entities.subtract(features.entities)
            gone.scripts[_script(features)] -= 1
            if features.event_kind:
                gone.kinds[features.event_kind] -= 1
            for counter in (gone.terms, gone.entities, gone.scripts, gone.kinds):
                # Drop counts that reached zero: an empty count would still read as "the story has it".
                for key in [k for k, n in counter.items() if n <= 0]:
                    del counter[key]
            gone.size -= 1
            gone.weights = None
        story = self.stories.get(target)
        if story is None:
            story = self.stories[target] = StoryState(target, features.when, features.when)
        story.add(features)
        story.weights = None

    def prune(self, now: datetime, horizon: timedelta | None = None) -> int:
        """Forget stories idle for longer than ``horizon`` (default: 4 windows)."""
        horizon = horizon or self.window * 4
        stale = [sid for sid, s in self.stories.items() if s.last < now - horizon]
        for sid in stale:
            del self.stories[sid]
        return len(stale)


def entropy(counter: Counter[str]) -> float:
    """Shannon entropy of a distribution (diagnostics)."""
    total = sum(counter.values())
    return -sum((n / total) * math.log(n / total) for n in counter.values() if n) if total else 0.0
