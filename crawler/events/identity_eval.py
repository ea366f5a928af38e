"""Pairwise precision and recall of "same event" on the labeled sets, before and after event identity.

``python -m crawler.events.identity_eval`` prints, for each labeled set (identity.yaml,
articles.yaml + heldout.yaml, the drc-m23 and sudan topics), over all pairs of articles labeled with an
``event`` (tests/fixtures/events/README.md, "Event identity"):

* ``identity``: the real analysis of each article (relevance, event classifier), then
  :func:`~crawler.analysis.events.identity.match` on every pair; an article the analysis
  finds no event in matches nothing, so detection misses count against recall;
* ``identity_detected``: the same, on the pairs where both articles were detected (the
  matching alone);
* ``identity_labeled``: the labels' kind, subtype, event date and evidence in place of the
  classifier's, the places, parties and figures found by the analysis (the matching when the
  classifier is right);
* ``stories``: the story clustering as it decides today (single pass in published order,
  copies in their original's story), judged pairwise the same way: the "before".
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from crawler.analysis.events.classifier import EventResult, split_sentences
from crawler.analysis.events.fields import casualties, entities
from crawler.analysis.events.identity import IdentityRules, match, signature
from crawler.analysis.events.lexicon import EXCHANGE_RE
from crawler.analysis.events.rules import identity_rules
from crawler.analysis.events.spans import event_span
from crawler.analysis.features import article_features
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.prepare import Analyser
from crawler.analysis.text import normalise
from crawler.dedup.deduplicator import Deduplicator
from crawler.stories.clusterer import StoryClusterer
from crawler.stories.evaluate import Scores

if TYPE_CHECKING:
    from core.config import Config
    from crawler.analysis.events.identity import EventSignature

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "tests" / "fixtures" / "events"
TOPICS = ROOT / "tests" / "fixtures" / "topics"


def _topic(name: str, config: str | None = None) -> tuple[str, list[Path]]:
    """A topic set of tests/fixtures/topics: its config (its own topic.yaml unless given) and articles."""
    return (config or f"tests/fixtures/topics/{name}/topic.yaml", [TOPICS / name / "articles.yaml"])


SETS = {
    "identity": ("config.yaml", [EVENTS / "identity.yaml"]),
    "articles+heldout": ("config.yaml", [EVENTS / "articles.yaml", EVENTS / "heldout.yaml"]),
    "drc-m23": _topic("drc-m23", "examples/topics/drc-m23.yaml"),
    "sudan": _topic("sudan"),
    "iran-2025": _topic("iran-2025"),
    "russia-ukraine-2025": _topic("russia-ukraine-2025"),
    "india-pakistan-2025": _topic("india-pakistan-2025"),
    "colombia-2025": _topic("colombia-2025"),
}


@dataclass
class SetScores:
    """The three figures of one labeled set."""

    identity: Scores
    identity_detected: Scores
    identity_labeled: Scores
    stories: Scores
    articles: int
    detected: int

    def as_dict(self) -> dict[str, Any]:
        """Figures for reports."""
        return {
            "articles": self.articles,
            "detected": self.detected,
            "identity": self.identity.as_dict(),
            "identity_detected": self.identity_detected.as_dict(),
            "identity_labeled": self.identity_labeled.as_dict(),
            "stories": self.stories.as_dict(),
        }


def load(paths: list[Path]) -> list[dict[str, Any]]:
    """The labeled articles of several files, in file order."""
    out: list[dict[str, Any]] = []
    for path in paths:
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def signatures(articles: list[dict[str, Any]], config: Config, rules: IdentityRules) -> dict[str, EventSignature]:
    """The signature of each article the analysis finds an event in, by article id."""
    analyser = Analyser(config.topic, config.dedup)
    out = {}
    for article in articles:
        analysis = analyser.analyse(
            article["title"], article["text"], article.get("language"), _when(article["published"])
        )
        if analysis.relevant and analysis.event is not None:
            out[article["id"]] = signature(analysis.event, article["title"], analyser.gazetteer, rules)
    return out


def labeled_signatures(
    articles: list[dict[str, Any]], config: Config, rules: IdentityRules
) -> dict[str, EventSignature]:
    """Signatures from the labels' kind, subtype, date and evidence, with the analysis' own fields.

    What the matching scores when the classifier is right: it separates the matching's errors
    from the classifier's misses (on a topic whose vocabulary the classifier lacks).
    """
    gazetteer = Gazetteer.from_topic(config.topic)
    out = {}
    for article in articles:
        lede = [article["title"], *split_sentences(article["text"], 5)]
        fields: dict[str, Any] = dict(entities(gazetteer, "\n".join(lede)))
        if article["kind"] == "new_clash":
            fields["casualties"] = casualties(lede, gazetteer)
            if EXCHANGE_RE.search(normalise("\n".join(lede[:4]))):
                fields["exchange"] = True
        day = date.fromisoformat(str(article["event_date"]))
        evidence = article.get("evidence") or ""
        span = event_span(article["title"], evidence, lede[1:], day, _when(article["published"]))
        event = EventResult(article["kind"], article["subtype"], evidence, 1.0, day, fields, span)
        out[article["id"]] = signature(event, article["title"], gazetteer, rules)
    return out


def stories(articles: list[dict[str, Any]], config: Config) -> dict[str, int]:
    """The story of each relevant article, as single-pass clustering in published order decides."""
    analyser = Analyser(config.topic, config.dedup)
    dedup = Deduplicator(config.dedup)
    clusterer = StoryClusterer(
        analyser.gazetteer, threshold=config.stories.join_threshold, window=config.stories.window
    )
    ordered = sorted(enumerate(articles), key=lambda pair: (_when(pair[1]["published"]), pair[0]))
    story: dict[int, int] = {}
    for index, article in ordered:
        published = _when(article["published"])
        analysis = analyser.analyse(article["title"], article["text"], article.get("language"), published)
        if not analysis.relevant:
            continue
        duplicate = dedup.find(analysis.fingerprint)
        dedup.add(index, analysis.fingerprint)
        kind = analysis.event.kind if analysis.event else None
        features = article_features(
            index, article["title"], article["text"], published, article.get("language"), analyser.gazetteer, kind
        )
        if duplicate is not None and duplicate.original_id in story:
            story[index] = story[duplicate.original_id]
        else:
            best = clusterer.best(features)
            story[index] = best.story_id if best else index
        clusterer.add(story[index], features)
    return {articles[i]["id"]: s for i, s in story.items()}


def score(articles: list[dict[str, Any]], config: Config, rules: IdentityRules) -> SetScores:
    """Pairwise scores of identity and of today's stories on one labeled set."""
    labeled = [a for a in articles if a.get("event")]
    sigs = signatures(labeled, config, rules)
    oracle = labeled_signatures(labeled, config, rules)
    story = stories(articles, config)
    identity, detected, by_label, before = Scores(), Scores(), Scores(), Scores()
    for a, b in combinations(labeled, 2):
        expected = a["event"] == b["event"]
        pair = {"a": a["id"], "b": b["id"], "category": f"{a['event']} / {b['event']}"}
        sa, sb = sigs.get(a["id"]), sigs.get(b["id"])
        result = match(sa, sb, rules) if sa is not None and sb is not None else None
        pair["note"] = result.explain() if result else "not detected"
        identity.add(bool(result and result.same), expected, pair)
        if result is not None:
            detected.add(result.same, expected, pair)
        labeled_match = match(oracle[a["id"]], oracle[b["id"]], rules)
        by_label.add(labeled_match.same, expected, {**pair, "note": labeled_match.explain()})
        sa_story, sb_story = story.get(a["id"]), story.get(b["id"])
        before.add(sa_story is not None and sa_story == sb_story, expected, pair)
    return SetScores(identity, detected, by_label, before, len(labeled), len(sigs))


def main() -> None:
    """Print the figures of every labeled set (and the errors with --errors)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--set", choices=sorted(SETS), action="append")
    args = parser.parse_args()
    from core.configfile import load_config

    report = {}
    for name in args.set or list(SETS):
        config_path, paths = SETS[name]
        config = load_config(ROOT / config_path)
        rules = identity_rules(config.topic, config.events, Gazetteer.from_topic(config.topic))
        result = score(load(paths), config, rules)
        report[name] = result.as_dict()
        if args.errors:
            for error in result.identity_labeled.errors:
                print(name, error["error"], error["a"], error["b"], error["category"], error["note"])
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
