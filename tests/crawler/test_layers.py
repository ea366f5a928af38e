"""The analysis package stays Scrapy-free and below the crawl's stateful parts.

The extraction workers import :mod:`crawler.analysis` and nothing above it; a worker of
another process or machine could import it tomorrow. Checked in a fresh interpreter,
because this test process has imported Scrapy already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Import every module of the package, then list what got imported.
PROBE = """
import importlib, json, pkgutil, sys
import crawler.analysis as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""
PRELOAD_PROBE = """
import json, sys
import crawler.extract_preload
print(json.dumps({"modules": [], "loaded": sorted(sys.modules)}))
"""

# What the analysis may use of the rest of the project: URL canonicalisation (stdlib only)
# and the content hash. Everything else of crawler/ and storage/ is above it.
ALLOWED_PROJECT = {"crawler", "crawler.urls", "storage", "storage.content"}


def _loaded(probe: str) -> tuple[list[str], list[str]]:
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    found = json.loads(run.stdout)
    return found["modules"], found["loaded"]


def _above(loaded: list[str], allowed: set[str]) -> list[str]:
    """Modules of the project's upper layers (and of Scrapy, Twisted, SQLAlchemy) among ``loaded``."""
    frameworks = [m for m in loaded if m.split(".")[0] in {"scrapy", "twisted", "sqlalchemy"}]
    project = [m for m in loaded if m.split(".")[0] in {"crawler", "storage", "scheduler", "notify", "web"}]
    return frameworks + [m for m in project if not m.startswith("crawler.analysis") and m not in allowed]


def test_analysis_package_imports_no_scrapy_and_nothing_above_it():
    modules, loaded = _loaded(PROBE)
    # The whole analysis is in the package: extraction, text, fingerprint, relevance,
    # events, story features, gazetteer.
    for name in (
        "extract",
        "text",
        "fingerprint",
        "relevance",
        "events.classifier",
        "features",
        "gazetteer",
        "prepare",
    ):
        assert f"crawler.analysis.{name}" in modules
    assert _above(loaded, ALLOWED_PROJECT) == []


def test_extraction_workers_preload_only_the_analysis():
    # The fork server imports this before forking the workers (crawler.extract_pool).
    _modules, loaded = _loaded(PRELOAD_PROBE)
    assert "crawler.analysis.prepare" in loaded
    allowed = {"crawler.extract_pool", "crawler.forkserver", "crawler.extract_preload"}
    assert _above(loaded, ALLOWED_PROJECT | allowed) == []
