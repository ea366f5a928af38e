"""Story order-independence bench: the labeled sets replayed in many arrival orders (SQLite).

For each set, replays every labeled article through the write path and the merge pass
(crawler.events.replay) in published order, two within-day shuffles and whole-set shuffles,
and prints the spread of the story count and of the story-pair precision and recall, and how
many distinct final partitions of the labeled reports the orders gave.

    PYTHONPATH=. python bench/story_order.py [--orders 11] [--sets pakistan,drc-m23,sudan,iran-2025]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from core.configfile import load_config
from crawler.events.identity_eval import ROOT
from crawler.events.replay import FILES, analyse, load, replay
from storage.db import upgrade

TOPICS = ROOT / "tests" / "fixtures" / "topics"
SETS: dict[str, tuple[Path, list[Path]]] = {
    "pakistan": (ROOT / "config.yaml", FILES),
    "drc-m23": (ROOT / "examples" / "topics" / "drc-m23.yaml", [TOPICS / "drc-m23" / "articles.yaml"]),
    "sudan": (TOPICS / "sudan" / "topic.yaml", [TOPICS / "sudan" / "articles.yaml"]),
    "iran-2025": (TOPICS / "iran-2025" / "topic.yaml", [TOPICS / "iran-2025" / "articles.yaml"]),
}


def orders(n: int) -> list[tuple[int | None, bool]]:
    """Published order, then alternately within-day and whole-set shuffles."""
    out: list[tuple[int | None, bool]] = [(None, False)]
    seed = 1
    while len(out) < n:
        out.append((seed, seed % 3 == 1))
        seed += 1
    return out


def partition(story: dict[str, int]) -> frozenset[frozenset[str]]:
    """The labeled reports grouped by story, whatever the story ids."""
    groups: dict[int, set[str]] = {}
    for article, story_id in story.items():
        groups.setdefault(story_id, set()).add(article)
    return frozenset(frozenset(g) for g in groups.values())


def run(name: str, n: int, verbose: bool) -> dict[str, Any]:
    """Replay one set in ``n`` orders; its spread."""
    config_path, files = SETS[name]
    config = load_config(config_path, env={})
    articles = load(files)
    analyses = analyse(articles, config)
    rows = []
    partitions = set()
    for seed, within_day in orders(n):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/replay.db"
            upgrade(url)
            result = replay(url, articles, analyses, config, seed=seed, within_day=within_day)
        partitions.add(partition(result.story))
        row = {
            "order": seed,
            "within_day": within_day,
            "stories": result.stories,
            "P": round(result.pairs.precision, 3),
            "R": round(result.pairs.recall, 3),
            "duplicates": result.duplicate_alerts,
        }
        if verbose:
            print(json.dumps(row), flush=True)
        rows.append(row)
    return {
        "set": name,
        "orders": n,
        "stories": [min(r["stories"] for r in rows), max(r["stories"] for r in rows)],
        "precision": [min(r["P"] for r in rows), max(r["P"] for r in rows)],
        "recall": [min(r["R"] for r in rows), max(r["R"] for r in rows)],
        "duplicate_alerts": max(r["duplicates"] for r in rows),
        "partitions": len(partitions),
    }


def main() -> None:
    """Print one line per order (--verbose) and one summary line per set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=11)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    for name in args.sets.split(","):
        print(json.dumps(run(name, args.orders, args.verbose)), flush=True)


if __name__ == "__main__":
    main()
