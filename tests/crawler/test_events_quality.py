"""Quality gate: relevance and event detection on the labeled set must stay above the floors.

Floors live in tests/fixtures/events/baseline.json (the issue's target: 0.9 precision and
recall per kind).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from core.configfile import load_config
from crawler.events.evaluate import DATASET, evaluate, load_articles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def scores():
    config = load_config(ROOT / "config.yaml")
    return evaluate(load_articles(), config.topic)


@pytest.fixture(scope="module")
def floors() -> dict:
    return json.loads((DATASET.parent / "baseline.json").read_text())


def test_labeled_set_covers_every_kind_and_trap() -> None:
    articles = load_articles()
    assert len(articles) >= 120
    subtypes = Counter(a["subtype"] for a in articles if a["subtype"])
    for subtype in (
        "agreement",
        "ceasefire_extended",
        "no_agreement",
        "collapsed",
        "next_round_set",
        "border_clash",
        "air_strike",
        "cross_border_attack",
        "ceasefire_violation",
    ):
        assert subtypes[subtype] >= 6, subtype
    categories = Counter(a["category"] for a in articles)
    for category in ("preview", "recap", "related_neither", "distractor", "opinion", "background"):
        assert categories[category] >= 5, category
    for article in articles:
        if article["evidence"]:
            assert article["evidence"] in article["text"] or article["evidence"] == article["title"]


@pytest.mark.parametrize("kind", ["talks_outcome", "new_clash", "relevance"])
@pytest.mark.parametrize("measure", ["precision", "recall"])
def test_scores_stay_above_floors(scores, floors: dict, kind: str, measure: str) -> None:
    kind_scores = scores.relevance if kind == "relevance" else scores.kinds[kind]
    value = getattr(kind_scores, measure)
    errors = "\n".join(f"{e['error']}: {e['a']} {e['b']} ({e['note']})" for e in kind_scores.errors)
    assert value >= floors[kind][measure], f"{kind} {measure} {value:.3f} below floor\n{errors}"


def test_subtypes_are_mostly_right(scores, floors: dict) -> None:
    assert scores.subtype_total >= 50
    assert scores.subtype_right / scores.subtype_total >= floors["subtype_accuracy"]


def test_event_dates_stay_above_the_floor(scores, floors: dict) -> None:
    # Weekdays and "last night" in Urdu, Pashto, Dari and Hindi count since 0.726 (was 0.581).
    assert scores.date_total >= 50
    assert scores.date_right / scores.date_total >= floors["event_date_accuracy"]


def test_previews_opinion_and_recaps_never_count(scores) -> None:
    articles = {a["id"]: a for a in load_articles()}
    wrong = [
        article_id
        for article_id, prediction in scores.predictions.items()
        if articles[article_id]["category"] in ("preview", "opinion", "recap") and prediction["kind"] != "none"
    ]
    assert not wrong


def test_evidence_is_a_sentence_of_the_article(scores) -> None:
    articles = {a["id"]: a for a in load_articles()}
    for article_id, prediction in scores.predictions.items():
        if prediction["evidence"]:
            article = articles[article_id]
            assert prediction["evidence"] in article["text"] or prediction["evidence"] == article["title"]


def test_held_out_set_generalises() -> None:
    """The rules keep most of their quality on articles they were never tuned on.

    The floor is lower than the training set's: these figures are what a user should
    expect on unseen coverage, and a rule keyed to the training set's phrasing shows up
    here first.
    """
    from crawler.events.evaluate import HELD_OUT

    config = load_config(ROOT / "config.yaml")
    held_out = evaluate(load_articles(HELD_OUT), config.topic)
    for kind, kind_scores in [*held_out.kinds.items(), ("relevance", held_out.relevance)]:
        assert kind_scores.precision >= 0.9, (kind, kind_scores)
        assert kind_scores.recall >= 0.75, (kind, kind_scores)
