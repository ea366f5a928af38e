#!/usr/bin/env python
"""CPU per real page, in one process: trafilatura.extract vs newswatch extract() vs prepare().

Run by hand (not a test), from the repository root:

    /work/venv/bin/python bench/real_cpu.py [--rounds 3] [--out bench/results/real_cpu.json]

The pages are the 181 of the article-extraction benchmark (tests/fixtures/real/), each with
its original URL. For every page the three functions run back to back, their order rotated
from page to page and round to round (so drift of the machine's speed and warm caches
favour none), timed with the thread's CPU clock; a page's figure is its minimum over the
rounds (the least disturbed). Reported: median and total CPU ms per page, and the ratio
prepare() / trafilatura.extract (target of issue 20: <= 1).

Then prepare() runs once more over the 181 pages under cProfile: its cumulative time by
step (extraction and its parts, fingerprint, relevance, events, story features), matched by
function name so that it survives modules moving, and the top functions by own time.
Events and story features run only for relevant articles, which few of these pages are;
their cost per page as if every page were relevant is timed separately.

Extraction quality in the same run: mean token F1 of extract()'s text against the
benchmark's bodies (the metric of tests/crawler/test_extract.py).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (BENCH, ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from harness.real_site import load_benchmark  # noqa: E402
from harness.report import git_rev, log, versions  # noqa: E402

# (label, path fragment, function name): prepare()'s steps in the profile. Matched on the
# function's name in files whose path holds the fragment; the largest match counts (a
# function calling one of the same name would count twice in a sum).
STEPS = [
    ("prepare()", "crawler/analysis", "prepare"),
    ("  extract()", "crawler/extract", "extract"),
    ("    _xml_safe_page (control chars, references)", "crawler/extract", "_xml_safe_page"),
    ("    lxml.html.fromstring (parse)", "lxml/html/__init__", "fromstring"),
    ("    _canonical_link", "crawler/extract", "_canonical_link"),
    ("    _page_metadata (meta tags, JSON-LD, title)", "crawler/extract", "_page_metadata"),
    ("    _find_date (htmldate)", "crawler/extract", "_find_date"),
    ("    _article_text (trafilatura)", "crawler/extract", "_article_text"),
    ("      bare_extraction, all calls", "trafilatura/core", "bare_extraction"),
    ("    detect_language", "crawler/extract", "detect_language"),
    ("  trusted_canonical", "crawler/urls", "trusted_canonical"),
    ("  normalise_text", "crawler/analysis", "normalise_text"),
    ("  analyse()", "crawler/analysis", "analyse"),
    ("    words (body tokens)", "crawler/dedup/shingles", "words"),
    ("    fingerprint (shingles + MinHash)", "crawler/dedup", "fingerprint"),
    ("    content_hash", "storage/content", "content_hash"),
    ("    relevance judge", "crawler/events", "judge"),
    ("    event classify", "crawler/events", "classify"),
    ("    story features", "crawler/stories", "article_features"),
]


def analysis_api() -> tuple[Callable, type, type]:
    """(prepare, Fallback, Analyser) from crawler.analysis, a module or a package whose
    submodules define them (the one adapter to change if they move)."""
    module = importlib.import_module("crawler.analysis")
    found = {name: getattr(module, name, None) for name in ("prepare", "Fallback", "Analyser")}
    if None in found.values() and hasattr(module, "__path__"):
        for info in pkgutil.walk_packages(module.__path__, "crawler.analysis."):
            sub = importlib.import_module(info.name)
            for name in found:
                found[name] = found[name] or getattr(sub, name, None)
    missing = [name for name, value in found.items() if value is None]
    if missing:
        raise SystemExit(f"crawler.analysis has no {', '.join(missing)}: update analysis_api() in {__file__}")
    return found["prepare"], found["Fallback"], found["Analyser"]


def token_f1(predicted: str, truth: str) -> float:
    """tests/crawler/test_extract.py's metric (imported from there when it can be)."""
    try:
        from tests.crawler.test_extract import token_f1 as f1
    except ImportError:
        return float("nan")
    return f1(predicted, truth)


def step_times(stats: dict, total: float) -> dict:
    out = {}
    for label, fragment, name in STEPS:
        matches = [v[3] for (f, _l, n), v in stats.items() if n == name and fragment in f.replace("\\", "/")]
        calls = [v[1] for (f, _l, n), v in stats.items() if n == name and fragment in f.replace("\\", "/")]
        if matches:
            best = max(matches)
            out[label] = {"s": round(best, 3), "pct": round(100 * best / total, 1), "calls": max(calls)}
    return out


def top_own(stats: dict, total: float, top: int = 15) -> list[dict]:
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    out = []
    for (filename, line, func), (_cc, ncalls, tottime, _cum, _callers) in rows:
        short = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        out.append({"where": f"{short}:{line}({func})", "calls": ncalls, "pct": round(100 * tottime / total, 1)})
    return out


def timed_steps(prepare: Callable, fallback: object, analyser: object, pages: list) -> dict:
    """Thread CPU of prepare()'s steps over ``pages``, from timing wrappers put on the
    functions prepare(), extract() and analyse() call (once or twice per page each, so the
    wrappers cost next to nothing, unlike cProfile's hook on every call). Wrapped by name in
    the calling function's globals, so the steps are found wherever the modules move."""
    import lxml.html

    totals: dict[str, float] = {}
    calls: dict[str, int] = {}
    undo: list[tuple[object, str, object]] = []

    def wrap(owner: object, name: str, label: str) -> None:
        is_dict = isinstance(owner, dict)
        original = owner.get(name) if is_dict else getattr(owner, name, None)  # type: ignore[union-attr]
        if original is None:
            return

        def timed(*args, **kwargs):
            c0 = time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                totals[label] = totals.get(label, 0.0) + time.thread_time() - c0
                calls[label] = calls.get(label, 0) + 1

        undo.append((owner, name, original))
        if is_dict:
            owner[name] = timed  # type: ignore[index]
        else:
            setattr(owner, name, timed)

    extract_fn = prepare.__globals__.get("extract")
    analyse_fn = getattr(type(analyser), "analyse", None)
    for name in ("extract", "trusted_canonical", "normalise_title", "normalise_text", "normalise_summary"):
        wrap(prepare.__globals__, name, name)
    if extract_fn is not None:
        ex = extract_fn.__globals__
        for name in ("_xml_safe_page", "_canonical_link", "_page_metadata", "_find_date", "_article_text"):
            wrap(ex, name, "extract: " + name)
        wrap(ex, "_trafilatura_text", "extract: trafilatura passes")
        wrap(ex, "detect_language", "extract: detect_language")
    wrap(lxml.html, "fromstring", "extract: lxml.html.fromstring")
    wrap(analyser, "analyse", "analyse")
    if analyse_fn is not None:
        for name in ("words", "content_hash", "article_features"):
            wrap(analyse_fn.__globals__, name, "analyse: " + name)
    for attr, method in (("dedup", "fingerprint"), ("relevance", "judge"), ("events", "classify")):
        wrap(getattr(analyser, attr, None), method, f"analyse: {attr}.{method}")
    try:
        c0 = time.thread_time()
        for _key, html, _body, url in pages:
            prepare(html, url, fallback, analyser)
        whole = time.thread_time() - c0
    finally:
        for owner, name, original in reversed(undo):
            if isinstance(owner, dict):
                owner[name] = original
            else:
                setattr(owner, name, original)
    rows = {"prepare() (all)": {"ms_per_page": round(1000 * whole / len(pages), 2), "pct": 100.0}}
    for label, spent in totals.items():
        rows[label] = {
            "ms_per_page": round(1000 * spent / len(pages), 2),
            "pct": round(100 * spent / whole, 1),
            "calls": calls[label],
        }
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds over the 181 pages (default 3)")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "real_cpu.json")
    opts = parser.parse_args()

    import trafilatura

    from core.configfile import load_config
    from crawler.analysis.extract import extract

    prepare, Fallback, Analyser = analysis_api()
    config = load_config(ROOT / "config.yaml")
    analyser = Analyser(config.topic, config.dedup)
    pages = load_benchmark()
    results: dict = {
        "meta": {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "git": git_rev(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
            "versions": versions(("trafilatura", "htmldate", "lxml", "py3langid", "datasketch")),
            "pages": len(pages),
            "rounds": opts.rounds,
        }
    }
    fallback = Fallback()
    functions: dict[str, Callable[[str, str], object]] = {
        "trafilatura.extract": lambda html, url: trafilatura.extract(html, url=url),
        "extract()": extract,
        "prepare()": lambda html, url: prepare(html, url, fallback, analyser),
    }
    names = list(functions)
    log("warm-up (imports, language model, caches)")
    for _key, html, _body, url in pages[:10]:
        for fn in functions.values():
            fn(html, url)
    cpu = {name: [float("inf")] * len(pages) for name in names}
    round_totals: dict[str, list[float]] = {name: [] for name in names}
    for round_no in range(opts.rounds):
        totals = dict.fromkeys(names, 0.0)
        for index, (_key, html, _body, url) in enumerate(pages):
            shift = (index + round_no) % len(names)
            for name in names[shift:] + names[:shift]:
                c0 = time.thread_time()
                functions[name](html, url)
                spent = time.thread_time() - c0
                cpu[name][index] = min(cpu[name][index], spent)
                totals[name] += spent
        for name in names:
            round_totals[name].append(totals[name])
        figures = ", ".join(f"{n} {1000 * t / len(pages):.1f} ms/page" for n, t in totals.items())
        log(f"round {round_no + 1}: {figures}")
    per_page = {}
    for name in names:
        per_page[name] = {
            "median_ms": round(1000 * statistics.median(cpu[name]), 2),
            "mean_of_minima_ms": round(1000 * sum(cpu[name]) / len(pages), 2),
            "mean_ms_each_round": [round(1000 * t / len(pages), 2) for t in round_totals[name]],
            "total_s_of_minima": round(sum(cpu[name]), 2),
        }
    results["cpu_per_page"] = per_page
    base = per_page["trafilatura.extract"]["mean_of_minima_ms"]
    results["ratios"] = {
        "extract_over_trafilatura": round(per_page["extract()"]["mean_of_minima_ms"] / base, 3),
        "prepare_over_trafilatura": round(per_page["prepare()"]["mean_of_minima_ms"] / base, 3),
        "prepare_over_trafilatura_median_page": round(
            per_page["prepare()"]["median_ms"] / per_page["trafilatura.extract"]["median_ms"], 3
        ),
        "target_prepare_over_trafilatura": 1.0,
    }

    log("prepare() by step (timing wrappers)")
    results["steps"] = timed_steps(prepare, fallback, analyser, pages)

    log("prepare() under cProfile")
    import cProfile
    import pstats

    profile = cProfile.Profile()
    prepared = []
    profile.enable()
    for _key, html, _body, url in pages:
        prepared.append(prepare(html, url, fallback, analyser))
    profile.disable()
    raw = pstats.Stats(profile).stats
    total = sum(v[2] for v in raw.values())
    results["profile"] = {"total_s": round(total, 2), "steps": step_times(raw, total), "top_own": top_own(raw, total)}
    relevant = sum(1 for p in prepared if p.analysis is not None and p.analysis.relevant)
    results["profile"]["relevant_pages"] = relevant

    log("events and story features as if every page were relevant")
    forced: dict[str, float] = {"event classify": 0.0, "story features": 0.0}
    try:
        from crawler.analysis.features import article_features
        from crawler.analysis.text import words

        done = 0
        for p in prepared:
            if p.analysis is None:
                continue
            when = p.published or p.fetched_at
            c0 = time.thread_time()
            event = analyser.events.classify(p.title, p.text, when, p.language)
            c1 = time.thread_time()
            body = words(p.text)
            kind = event.kind if event else None
            article_features(0, p.title, p.text, when, p.language, analyser.gazetteer, kind, body)
            forced["event classify"] += c1 - c0
            forced["story features"] += time.thread_time() - c1
            done += 1
        results["forced_relevant_ms_per_page"] = {k: round(1000 * v / max(1, done), 2) for k, v in forced.items()}
    except (ImportError, AttributeError, TypeError) as exc:  # the analysis moved: update this block
        results["forced_relevant_ms_per_page"] = f"n/a: {exc!r}"

    f1 = [token_f1(extract(html, url).text, body) for _key, html, body, url in pages]
    results["quality"] = {
        "mean_token_f1": round(sum(f1) / len(f1), 3),
        "pages_f1_ge_0_8": sum(f >= 0.8 for f in f1),
        "note": "snippets (40/44 found, 6/54 leaked): tests/crawler/test_extract.py",
    }
    results["meta"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k not in ("profile", "steps")}, indent=1))
    print("prepare() by step, timing wrappers (thread CPU):")
    for label, row in results["steps"].items():
        print(f"  {label:44s} {row['ms_per_page']:6.2f} ms/page {row['pct']:5.1f} %  ({row.get('calls', '')} calls)")
    print("prepare() by step under cProfile (cumulative, % of profiled time; cProfile inflates small calls):")
    for label, row in results["profile"]["steps"].items():
        print(f"  {label:52s} {row['pct']:5.1f} %  {1000 * row['s'] / len(pages):6.2f} ms/page  ({row['calls']} calls)")
    print("top own time:")
    for row in results["profile"]["top_own"]:
        print(f"  {row['pct']:5.1f} %  {row['calls']:>7}  {row['where']}")
    print(f"\nresults: {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
