"""The benchmarks' shared harness: imported as ``harness`` by every script in bench/.

* :mod:`harness.site` - the synthetic news site (``sitegen``) served from its own process;
* :mod:`harness.real_site` - the 181 real benchmark pages (made distinct beyond 181) as a site;
* :mod:`harness.crawl_config` - crawl configs for a loopback site, and article counts after;
* :mod:`harness.cli_runs` - the command line timed as users run it (first stored article);
* :mod:`harness.live_site` - feeds that publish while they are polled (conditional GET);
* :mod:`harness.procfs` - memory and CPU of processes, process trees and threads, from /proc;
* :mod:`harness.children` - running a benchmark's measuring code in a child process;
* :mod:`harness.report` - versions, git revision, progress lines.

The scripts run as ``python bench/NAME.py`` (so ``bench/`` is first on ``sys.path``) and
put the repository root on ``sys.path`` themselves, to import newswatch.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
PYTHON = sys.executable
