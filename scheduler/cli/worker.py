"""``newswatch worker``: one worker of a cluster (PostgreSQL; docs/scaling.md)."""

from __future__ import annotations

from scheduler.cli.common import ConfigOption, VerboseOption, command, load_config

# What a worker logs at INFO, as `newswatch run` does for the single process: one line per
# finished poll, restarts (scheduler.cluster), and procrastinate's start and end of each job
# (the job ids tie a poll to the queue). Everything else only with --verbose.
WORKER_LOGGERS = ("scheduler.cluster", "procrastinate.worker")


def worker(config: ConfigOption = None, verbose: VerboseOption = False) -> None:
    """Run the cluster's jobs (polls, deliveries, digests) that a `newswatch run --role scheduler` defers.

    Start any number, on any machine that reaches the database, until SIGINT/SIGTERM.
    """
    with command(verbose, quiet=True, info=WORKER_LOGGERS):
        cfg = load_config(config)
        # Lazy on purpose: procrastinate, Scrapy and the crawler load only for `worker`.
        from scheduler.cluster.worker import run_worker

        run_worker(cfg)
