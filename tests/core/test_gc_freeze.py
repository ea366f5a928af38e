"""GC settings: start-up objects frozen out of full passes; young collections spaced out while crawling."""

from __future__ import annotations

import subprocess
import sys


def test_freeze_startup_objects_frees_garbage_and_exempts_the_rest():
    # In a child process: freezing pytest's own objects would outlive this test.
    script = """
import gc, weakref
from core.gc_freeze import freeze_startup_objects

class Node:
    pass

kept = [Node() for _ in range(3)]
cycle = Node(); cycle.self = cycle
gone = weakref.ref(cycle)
del cycle
freeze_startup_objects()
tracked = {id(o) for o in gc.get_objects()}
later = Node()
print(gone() is None, any(id(k) in tracked for k in kept), id(later) in {id(o) for o in gc.get_objects()},
      gc.isenabled(), gc.get_freeze_count() > 1000)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    # Cyclic garbage freed first; live objects frozen; objects made afterwards still collected.
    assert result.stdout.split() == ["True", "False", "True", "True", "True"]


def test_crawl_thresholds_apply_inside_the_block_and_are_restored_after():
    import gc

    import pytest

    from core.gc_freeze import CRAWL_YOUNG_THRESHOLD, crawl_thresholds

    before = gc.get_threshold()
    with crawl_thresholds():
        assert gc.get_threshold() == (CRAWL_YOUNG_THRESHOLD, before[1], before[2])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), crawl_thresholds():
        raise RuntimeError("a crawl that crashes")
    assert gc.get_threshold() == before


def test_the_crawl_process_collects_young_objects_less_often(tmp_path):
    # crawl_once runs the reactor under crawl_thresholds (in a child process: it installs a
    # reactor); a wrapper around crawl_sources records the threshold the crawl ran with.
    script = f"""
import gc
from pathlib import Path
import crawler.runner as runner
from core.configfile import load_config

before = gc.get_threshold()[0]
seen = []
original = runner.crawl_sources
async def recording(*args, **kwargs):
    seen.append(gc.get_threshold()[0])
    return await original(*args, **kwargs)
runner.crawl_sources = recording
Path({str(tmp_path / "seed.txt")!r}).write_text("Talks in Istanbul. " * 20)
Path({str(tmp_path / "config.yaml")!r}).write_text(
    "database:\\n  url: sqlite:///{tmp_path / "nw.db"}\\n"
    "topic:\\n  name: t\\n  seed: seed.txt\\n"
    "sources: []\\n"
)
from storage.db import upgrade
upgrade("sqlite:///{tmp_path / "nw.db"}")
runner.crawl_once(load_config({str(tmp_path / "config.yaml")!r}))
print(seen, before == gc.get_threshold()[0])
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    from core.gc_freeze import CRAWL_YOUNG_THRESHOLD

    assert result.stdout.split() == [f"[{CRAWL_YOUNG_THRESHOLD}]", "True"]


def test_a_commands_start_up_is_not_collected_then_frozen_until_the_block_ends():
    # In a child process: the freeze must not catch pytest's own objects.
    script = """
import gc
from core.gc_freeze import collect_after_start_up

class Node:
    pass

seen = []
with collect_after_start_up() as start_up_done:
    seen.append(gc.isenabled())          # off while the command starts
    built = [Node() for _ in range(3)]
    start_up_done()
    seen.append(gc.isenabled())          # on for the work itself
    frozen = gc.get_freeze_count()
    tracked = {id(o) for o in gc.get_objects()}
    seen.append(frozen > 1000 and not any(id(b) in tracked for b in built))
    later = Node()
    seen.append(id(later) in {id(o) for o in gc.get_objects()})  # made afterwards: collected as usual
seen.append(gc.isenabled() and gc.get_freeze_count() == 0)      # as before the block
try:
    with collect_after_start_up():
        raise RuntimeError("a start that fails")
except RuntimeError:
    seen.append(gc.isenabled() and gc.get_freeze_count() == 0)
print(*seen)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "True"]
