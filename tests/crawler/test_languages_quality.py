"""Quality gate: relevance in every language of the coverage, on both topics.

Each labeled set (the default topic's, and the DR Congo one's) is scored together with its
file of articles in languages its keywords do not cover (tests/fixtures/languages/), whose
names the topic never spells: they are derived from CLDR and GeoNames.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.configfile import load_config
from crawler.analysis.gazetteer import Gazetteer
from crawler.analysis.relevance import RelevanceJudge
from crawler.stories.evaluate import Scores

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SETS = {
    "default": (ROOT / "config.yaml", [FIXTURES / "events" / "articles.yaml", FIXTURES / "languages" / "pak-afg.yaml"]),
    "drc-m23": (
        ROOT / "examples" / "topics" / "drc-m23.yaml",
        [FIXTURES / "topics" / "drc-m23" / "articles.yaml", FIXTURES / "languages" / "drc-m23.yaml"],
    ),
}


def _load(paths: list[Path]) -> list[dict[str, Any]]:
    return [article for path in paths for article in yaml.safe_load(path.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module", params=sorted(SETS))
def scored(request: pytest.FixtureRequest) -> tuple[str, Scores, Scores]:
    """(topic, scores on every article, scores on the articles not in English)."""
    config_path, paths = SETS[request.param]
    topic = load_config(config_path).topic
    judge = RelevanceJudge(topic, Gazetteer.from_topic(topic))
    every, other = Scores(), Scores()
    for article in _load(paths):
        decided = judge.judge(article["title"], article["text"], article["language"]).relevant
        brief = {"a": article["id"], "b": article["title"][:80], "note": article["language"]}
        every.add(decided, bool(article["relevant"]), brief)
        if not article["language"].startswith("en"):
            other.add(decided, bool(article["relevant"]), brief)
    return request.param, every, other


def test_language_files_cover_the_scripts() -> None:
    languages = {a["language"].split("-")[0] for a in _load([FIXTURES / "languages" / "pak-afg.yaml"])}
    assert {"bn", "ta", "te", "th", "zh", "ru", "uk", "tr", "ar", "fa", "hy", "my"} <= languages


@pytest.mark.parametrize("measure", ["precision", "recall"])
def test_relevance_stays_above_floors_in_every_language(scored: tuple[str, Scores, Scores], measure: str) -> None:
    name, every, other = scored
    floor = json.loads((FIXTURES / "languages" / "baseline.json").read_text())[name][measure]
    for label, scores in (("all", every), ("not English", other)):
        value = getattr(scores, measure)
        errors = "\n".join(f"{e['error']}: {e['a']} {e['b']} ({e['note']})" for e in scores.errors)
        assert value >= floor, f"{name} {label} relevance {measure} {value:.3f} below {floor}\n{errors}"
