"""Replay a labeled set of articles through dedup and story clustering; score the decisions.

Used by the quality gate (tests/crawler/test_dedup_quality.py) and by hand
(``python -m crawler.stories.evaluate``) to tune thresholds. Articles are processed in
published order, as the crawler would meet them.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from core.config import DedupConfig, StoriesConfig, TopicConfig
from core.configfile import load_config
from crawler.analysis.events.classifier import EventClassifier
from crawler.analysis.features import article_features
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.relevance import RelevanceJudge
from crawler.dedup.deduplicator import Deduplicator
from crawler.stories.clusterer import StoryClusterer

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "tests" / "fixtures" / "dedup"


@dataclass
class Scores:
    """Precision and recall of one decision over labeled pairs."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, predicted: bool, expected: bool, pair: dict[str, Any]) -> None:
        """Count one pair."""
        if predicted and expected:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.errors.append({**pair, "error": "false positive"})
        elif expected:
            self.fn += 1
            self.errors.append({**pair, "error": "false negative"})
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        """Share of predicted positives that are right (1.0 when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of true positives found."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, Any]:
        """Figures for reports."""
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


@dataclass
class Replay:
    """Outcome of replaying the articles."""

    duplicate_root: dict[str, str]
    story: dict[str, int]
    duplicate: Scores
    same_story: Scores
    by_category: dict[str, Scores]


def load_dataset(directory: Path = DATASET) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(articles, pairs) of the labeled set."""
    articles = yaml.safe_load((directory / "articles.yaml").read_text(encoding="utf-8"))
    pairs = yaml.safe_load((directory / "pairs.yaml").read_text(encoding="utf-8"))
    return articles, pairs


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def replay(
    articles: list[dict[str, Any]],
    pairs: list[dict[str, Any]],
    topic: TopicConfig,
    dedup_config: DedupConfig | None = None,
    stories_config: StoriesConfig | None = None,
) -> Replay:
    """Run dedup and clustering over ``articles`` in time order and score ``pairs``."""
    dedup_config = dedup_config or DedupConfig()
    stories_config = stories_config or StoriesConfig()
    dedup = Deduplicator(dedup_config)
    gazetteer = Gazetteer.from_topic(topic)
    clusterer = StoryClusterer(gazetteer, threshold=stories_config.join_threshold, window=stories_config.window)
    classifier = EventClassifier(gazetteer)
    judge = RelevanceJudge(topic, gazetteer)
    ordered = sorted(enumerate(articles), key=lambda pair: (_when(pair[1]["published"]), pair[0]))
    ids = {article["id"]: index for index, article in enumerate(articles)}
    root: dict[int, int] = {}
    story: dict[int, int] = {}
    next_story = 0
    for index, article in ordered:
        fp = dedup.fingerprint(article["title"], article["text"])
        decision = dedup.find(fp)
        dedup.add(index, fp)
        published = _when(article["published"])
        kind = None
        if judge.judge(article["title"], article["text"], article.get("language")).relevant:
            event = classifier.classify(article["title"], article["text"], published, article.get("language"))
            kind = event.kind if event else None
        features = article_features(
            index, article["title"], article["text"], published, article.get("language"), gazetteer, kind
        )
        features.is_seed = article["id"] == "seed"
        if decision is not None:
            root[index] = root.get(decision.original_id, decision.original_id)
            story[index] = story[root[index]]
        else:
            root[index] = index
            match = clusterer.best(features)
            if match is None:
                next_story += 1
                story[index] = next_story
            else:
                story[index] = match.story_id
        clusterer.add(story[index], features)
    duplicate, same_story = Scores(), Scores()
    by_category: dict[str, Scores] = {}
    for pair in pairs:
        a, b = ids[pair["a"]], ids[pair["b"]]
        predicted_dup = root[a] == root[b]
        predicted_story = story[a] == story[b]
        duplicate.add(predicted_dup, bool(pair["duplicate"]), pair)
        same_story.add(predicted_story, bool(pair["same_story"]), pair)
        expected = (
            bool(pair["same_story"])
            if pair["category"] not in ("exact", "syndicated", "rewrite", "seed_copy")
            else bool(pair["duplicate"])
        )
        got = (
            predicted_story
            if pair["category"] not in ("exact", "syndicated", "rewrite", "seed_copy")
            else predicted_dup
        )
        by_category.setdefault(pair["category"], Scores()).add(got, expected, pair)
    names = {index: article["id"] for index, article in enumerate(articles)}
    return Replay(
        duplicate_root={names[i]: names[r] for i, r in root.items()},
        story={names[i]: s for i, s in story.items()},
        duplicate=duplicate,
        same_story=same_story,
        by_category=by_category,
    )


def main() -> None:
    """Print the figures (and errors with --errors) for the labeled set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default=str(ROOT / "config.yaml"))
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--threshold", type=float)
    parser.add_argument("--jaccard", type=float)
    args = parser.parse_args()
    config = load_config(args.config)
    articles, pairs = load_dataset()
    stories = config.stories
    if args.threshold is not None:
        stories = stories.model_copy(update={"join_threshold": args.threshold})
    dedup = config.dedup
    if args.jaccard is not None:
        dedup = dedup.model_copy(update={"duplicate_jaccard": args.jaccard})
    result = replay(articles, pairs, config.topic, dedup, stories)
    report = {
        "duplicate": result.duplicate.as_dict(),
        "same_story": result.same_story.as_dict(),
        "by_category": {k: v.as_dict() for k, v in sorted(result.by_category.items())},
    }
    print(json.dumps(report, indent=2))
    if args.errors:
        for scores in (result.duplicate, result.same_story):
            for error in scores.errors:
                print(error["error"], error["category"], error["a"], error["b"], error.get("note", ""))


if __name__ == "__main__":
    main()
