"""bench/crawl.py's set-up and in-process measure: crawl configs for the site and the
database's counts afterwards (from harness.crawl_config), and (b) extraction alone."""

from __future__ import annotations

import time

from crawl_children import PIPELINE_STAGES, stage_times
from harness.crawl_config import count_articles, project_topic, write_config
from harness.report import log

__all__ = ["bench_extraction", "count_articles", "project_topic", "write_config"]


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
