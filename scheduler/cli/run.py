"""``newswatch run`` and ``newswatch serve``: the long-running service and the API server."""

from __future__ import annotations

from typing import Annotated

import typer

from core.errors import UsageError
from scheduler.cli.common import (
    ConfigOption,
    VerboseOption,
    command,
    load_config,
)

# What `run` logs at INFO: the service starting and stopping, the API's address, and one line
# per finished poll (scheduler.jobs). Everything else (a line per article, index rebuilds,
# uvicorn) only with --verbose; warnings and errors always. The cluster's scheduler logs
# its takeovers and the stalled jobs it hands back (scheduler.cluster).
SERVICE_LOGGERS = ("scheduler.service", "scheduler.jobs", "web.server", "scheduler.cluster")

RoleOption = Annotated[
    str | None,
    typer.Option(
        "--role",
        help="single: the whole service in this process. scheduler: the scheduler of a cluster "
        "(PostgreSQL; start `newswatch worker`s too). Default: cluster.role (single).",
    ),
]


def run(config: ConfigOption = None, role: RoleOption = None, verbose: VerboseOption = False) -> None:
    """The long-running service: every source crawled on its own interval until SIGINT/SIGTERM.

    Logs one line per finished poll (source, status, new articles, duration) and little else;
    --verbose logs everything.
    """
    with command(verbose, quiet=True, info=SERVICE_LOGGERS):
        cfg = load_config(config)
        role = role or cfg.cluster.role
        if role not in ("single", "scheduler"):
            raise UsageError(f"--role: must be single or scheduler, not {role!r}")
        if role == "scheduler":
            # Lazy on purpose: procrastinate loads only for the cluster's scheduler.
            from scheduler.cluster.acting import run_scheduler

            run_scheduler(cfg)
            return
        # Lazy on purpose: the service (APScheduler, Scrapy) loads only for `run`.
        from scheduler.database import migrate
        from scheduler.service import run_service

        migrate(cfg)
        run_service(cfg)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on. Default: api.host.")] = None,
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port). Default: api.port.")
    ] = None,
    config: ConfigOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Serve the HTTP API, the Atom feed of alerts and the dashboard (read-only) until Ctrl-C.

    Beyond loopback the API needs a token: the environment variable named by api.token_env.
    """
    with command(verbose):
        # Lazy on purpose: FastAPI and uvicorn load only for `serve`.
        from scheduler.database import migrate
        from web.server import serve as serve_api

        cfg = load_config(config)
        migrate(cfg)

        serve_api(cfg, host=host, port=port)
