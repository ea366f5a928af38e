"""Quality gate: dedup and story decisions on the labeled set must not fall below the floors.

Like trafilatura's tests/eval_gate.py: the floors live in tests/fixtures/dedup/baseline.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.configfile import load_config
from crawler.stories.evaluate import DATASET, load_dataset, replay

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result():
    config = load_config(ROOT / "config.yaml")
    articles, pairs = load_dataset()
    return replay(articles, pairs, config.topic, config.dedup, config.stories)


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads((DATASET / "baseline.json").read_text())


def test_labeled_set_is_large_and_consistent() -> None:
    articles, pairs = load_dataset()
    ids = {a["id"] for a in articles}
    assert len(pairs) >= 80
    assert all(p["a"] in ids and p["b"] in ids for p in pairs)
    assert not [p for p in pairs if p["duplicate"] and not p["same_story"]], "a duplicate is always the same story"
    categories = {p["category"] for p in pairs}
    assert {"exact", "syndicated", "rewrite", "same_event", "different_event_same_actors", "unrelated"} <= categories


@pytest.mark.parametrize("decision", ["duplicate", "same_story"])
@pytest.mark.parametrize("measure", ["precision", "recall"])
def test_scores_stay_above_floors(result, floors: dict, decision: str, measure: str) -> None:
    scores = getattr(result, decision)
    value = getattr(scores, measure)
    errors = "\n".join(f"{e['error']}: {e['a']} / {e['b']} ({e.get('note', '')})" for e in scores.errors)
    assert value >= floors[decision][measure], f"{decision} {measure} {value:.3f} below floor\n{errors}"


def test_copies_of_the_seed_point_at_the_seed(result) -> None:
    _articles, pairs = load_dataset()
    copies = [p for p in pairs if p["category"] == "seed_copy" and p["a"] == "seed"]
    assert copies
    for pair in copies:
        assert result.duplicate_root[pair["b"]] == "seed"


def test_outcomes_of_different_rounds_are_different_stories(result) -> None:
    articles, _ = load_dataset()
    stories_of: dict[str, set[int]] = {}
    for article in articles:
        stories_of.setdefault(article["event"], set()).add(result.story[article["id"]])
    second = stories_of["istanbul-r2-ceasefire-extended-2025-10-30"]
    third = stories_of["istanbul-r3-no-deal-2025-11-07"]
    assert not (second & third), "the second and third Istanbul outcomes share no story"
