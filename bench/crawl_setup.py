"""bench/crawl.py's set-up and in-process measure: crawl configs for the site, the
database's counts afterwards, and (b) extraction alone."""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path

from crawl_children import PIPELINE_STAGES, stage_times
from harness import ROOT
from harness.report import log


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


def bench_extraction(pages: dict[str, bytes], limit_s: float, rounds: int = 2) -> dict:
    """trafilatura.extract alone, then newswatch's extract(), on the same decoded HTML.

    Each is run ``rounds`` times over all pages (after a 5-page warm-up); the mean rate counts.
    """
    import trafilatura

    from crawler.analysis.extract import extract, is_article

    docs = [(url, body.decode("utf-8")) for url, body in pages.items()]
    out = {}
    for name, fn, ok in (
        (
            "trafilatura_extract",
            lambda html, url: trafilatura.extract(html, url=url),
            lambda r: bool(r) and len(r) >= 80,
        ),
        ("newswatch_extract", extract, is_article),
    ):
        for url, html in docs[:5]:  # warm-up: imports, language model, caches
            fn(html, url)
        rates = []
        cpu_rates = []
        for _round in range(rounds):
            done = good = chars = 0
            c0 = time.process_time()
            t0 = time.perf_counter()
            for url, html in docs:
                result = fn(html, url)
                done += 1
                if ok(result):
                    good += 1
                    chars += len(result if isinstance(result, str) else result.text)
                if time.perf_counter() - t0 > limit_s:
                    break
            elapsed = time.perf_counter() - t0
            cpu_rates.append(done / max(1e-9, time.process_time() - c0))
            rates.append(done / elapsed)
            log(f"  {name}: {done} pages in {elapsed:.1f}s = {done / elapsed:.1f} pages/s")
        rate = sum(rates) / len(rates)
        out[name] = {
            "pages": done,
            "rounds": rounds,
            "pages_per_s_each_round": [round(r, 1) for r in rates],
            "pages_per_s": round(rate, 2),
            "ms_per_page": round(1000 / rate, 2),
            "pages_per_cpu_s": round(sum(cpu_rates) / len(cpu_rates), 2),
            "articles_ok": good,
            "text_chars_mean": round(chars / max(1, good)),
        }
    # Where newswatch's extract() spends its time (cProfile over a sample; proportions only).
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for url, html in docs[:300]:
        extract(html, url)
    profile.disable()
    raw = pstats.Stats(profile).stats
    total = sum(v[3] for (f, _l, n), v in raw.items() if n == "extract" and f.endswith("crawler/analysis/extract.py"))
    stages = stage_times(raw, total, [row for row in PIPELINE_STAGES if row[0].startswith("    ")])
    out["newswatch_extract"]["breakdown_pct_of_extract"] = {k.strip(): v["pct"] for k, v in stages.items()}
    return out
