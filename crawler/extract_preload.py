"""Imported once by the extraction workers' fork server, so that every worker starts warm.

The workers are forked from a server process (multiprocessing's "forkserver" start method)
that imports this module before it forks any of them: trafilatura, htmldate, lxml, NumPy,
the analysis code and the config models, py3langid's model (~0.4 s of CPU to load) and
jusText's stoplists (~0.35 s, built on trafilatura's first fallback), are then loaded once
and shared copy-on-write, instead of once in every spawned worker, and in every worker a
broken pool replaces. Importing this module has that side effect and no other.
"""

from __future__ import annotations

import gc

# No garbage collection while the server loads: everything it loads lives as long as the
# server and its workers, and the collector's ~150 passes over it were 40-60 ms of the
# server's ~0.55 s of CPU, which the crawl's first article waits for.
_collecting = gc.isenabled()
gc.disable()
try:
    # core.config: the topic and dedup config reach each worker pickled with its initargs,
    # and unpickling them imported pydantic and the config models in every worker (~0.15 s
    # of CPU each, before its first page) instead of once here.
    import core.config  # noqa: F401
    import crawler.extract_pool  # noqa: F401  (the import is the point: the workers' code)
    from crawler.analysis.extract import warm_up

    warm_up()
finally:
    # Keep the garbage collector's full passes off these objects in the forked workers: a
    # pass writes to every object it visits, which would copy the shared pages into each
    # worker.
    gc.freeze()
    if _collecting:
        gc.enable()
