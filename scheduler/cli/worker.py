"""``newswatch worker``: one worker of a cluster (PostgreSQL; docs/scaling.md)."""

from __future__ import annotations

from scheduler.cli.common import ConfigOption, VerboseOption, command, load_config


def worker(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Run the cluster's jobs (polls, deliveries, digests) that a `newswatch run --role scheduler` defers.

    Start any number, on any machine that reaches the database, until SIGINT/SIGTERM.
    """
    with command(verbose):
        cfg = load_config(config)
        # Lazy on purpose: procrastinate, Scrapy and the crawler load only for `worker`.
        from scheduler.cluster.worker import run_worker

        run_worker(cfg)
