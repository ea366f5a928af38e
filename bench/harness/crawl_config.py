"""Crawl configs for a loopback site, and what a crawl left in its database.

Used by bench/crawl.py, bench/crawl_real.py and bench/startup.py.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from harness import ROOT


def project_topic() -> tuple[dict, list[Path]]:
    """The topic section of the repository's config.yaml and the seed files it names."""
    import yaml

    path = ROOT / "config.yaml"
    if not path.is_file():
        return {"name": "benchmark"}, []
    topic = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("topic") or {"name": "benchmark"}
    seeds = topic.get("seed") or []
    seeds = [seeds] if isinstance(seeds, str) else list(seeds)
    return topic, [ROOT / s for s in seeds]


def write_config(
    directory: Path,
    base: str,
    manifest: dict,
    per_source: int,
    concurrency: int,
    per_domain: int,
    topic: str = "project",
    extract_workers: int | None = None,
) -> Path:
    """A loopback config whose sources are the site's feeds, and a migrated SQLite DB beside it.

    ``topic="project"`` copies the topic of the repository's config.yaml (and its seed files),
    so relevance, events and stories work as in production; ``"none"`` leaves the topic
    empty (then every article counts as relevant).
    """
    import shutil

    import yaml

    from storage.db import upgrade

    directory.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{directory / 'newswatch.db'}"
    upgrade(db_url)
    topic_section: dict = {"name": "benchmark"}
    if topic == "project":
        topic_section, seeds = project_topic()
        for seed in seeds:
            target = directory / seed.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(seed, target)
    data = {
        "database": {"url": db_url},
        "topic": topic_section,
        "sources": [{"name": f"feed{i:02d}", "type": "feed", "url": url} for i, url in enumerate(manifest["feeds"])],
        "crawl": {
            "allow_private_addresses": True,
            "obey_robots": False,
            "download_delay": 0,
            "autothrottle": False,
            "concurrency": concurrency,
            "concurrency_per_domain": per_domain,
            "timeout": "30s",
            "retries": 1,
            "max_articles_per_source": max(100, per_source),
        },
    }
    if extract_workers is not None:
        data["crawl"]["extract_workers"] = extract_workers
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def count_articles(db_path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        out = {
            "articles": db.execute("SELECT count(*) FROM articles").fetchone()[0],
            "with_text": db.execute("SELECT count(*) FROM articles WHERE length(text) >= 80").fetchone()[0],
            "from_trafilatura": db.execute("SELECT count(*) FROM articles WHERE extraction = 'trafilatura'").fetchone()[
                0
            ],
        }
        optional = {
            # Columns filled by later pipeline steps; absent in older schemas.
            "seeds": "SELECT count(*) FROM articles WHERE is_seed",
            "relevant": "SELECT count(*) FROM articles WHERE relevant AND NOT is_seed",
            "near_duplicates": "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL",
            "stories": "SELECT count(DISTINCT story_id) FROM articles WHERE story_id IS NOT NULL",
            "events": "SELECT count(*) FROM events",
            "failures": "SELECT count(*) FROM article_failures",
        }
        for key, query in optional.items():
            with contextlib.suppress(sqlite3.Error):
                out[key] = db.execute(query).fetchone()[0]
        out["crawled"] = out["articles"] - out.get("seeds", 0)
        return out
