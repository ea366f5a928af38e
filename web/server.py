"""Running the web app: inside a running asyncio loop (``newswatch run``) or on its own.

:func:`start_api` is for the service: it binds the socket itself (so a busy port is a clear
error at start, and port 0 works in tests), runs uvicorn as a task on the caller's loop
without touching signal handlers (the service owns SIGINT/SIGTERM) and without lifespan
events, and returns an :class:`ApiServer` whose :meth:`ApiServer.stop` shuts it down.
:func:`serve` is ``newswatch serve``: the same server, blocking, stopped by Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import uvicorn

from core.errors import NewswatchError
from core.gc_freeze import freeze_startup_objects
from web.app import create_app
from web.auth import check_exposure

if TYPE_CHECKING:
    from collections.abc import Mapping

    from fastapi import FastAPI

    from core.config import Config

logger = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn's server without its signal handling: whoever runs the loop handles signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (IPv4 or IPv6); errors name ``api.host``/``api.port``."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.create_server(address[:2], family=family, backlog=128)
    except OSError as exc:
        raise NewswatchError(f"api.host/api.port: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.setblocking(False)
    return sock


class ApiServer:
    """A running API server on the current event loop."""

    def __init__(self, server: uvicorn.Server, task: asyncio.Task[None], sock: socket.socket, app: FastAPI) -> None:
        self._server = server
        # The serving task; done when the server stopped (or crashed).
        self.task = task
        self._sock = sock
        self.app = app
        host, port = sock.getsockname()[:2]
        self.host: str = host
        self.port: int = port

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:8080``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the server task is still serving."""
        return not self.task.done()

    async def stop(self) -> None:
        """Stop accepting, let requests in flight finish, close the socket and the database pool."""
        self._server.should_exit = True
        try:
            await self.task
        finally:
            self._sock.close()
            self.app.state.engine.dispose()
            logger.info("API stopped")


async def start_api(
    config: Config,
    app: FastAPI | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
) -> ApiServer:
    """Start the API on the running loop and return once it accepts connections.

    ``host``/``port`` default to ``api.host``/``api.port``. Raises ``ConfigError`` when
    the host is beyond loopback and no token is set (``api.token_env``), ``NewswatchError``
    when the address cannot be bound. The caller awaits :meth:`ApiServer.stop` on shutdown.
    """
    host = config.api.host if host is None else host
    port = config.api.port if port is None else port
    check_exposure(config, host, env)
    app = app or create_app(config, env=env)
    sock = bind(host, port)
    server = _Server(
        uvicorn.Config(
            app,
            lifespan="off",
            # newswatch configures logging (core/logs.py); uvicorn's loggers propagate to it.
            log_config=None,
            # The service's own shutdown bounds how long requests in flight may take.
            timeout_graceful_shutdown=5,
        )
    )
    task = asyncio.create_task(server.serve(sockets=[sock]), name="newswatch-api")
    while not server.started:
        if task.done():
            sock.close()
            app.state.engine.dispose()
            # uvicorn exits the process (SystemExit) when its startup fails; report it instead.
            with contextlib.suppress(SystemExit):
                task.result()
            raise NewswatchError(f"the API server on {host}:{port} stopped while starting (see the log)")
        await asyncio.sleep(0.01)
    api = ApiServer(server, task, sock, app)
    logger.info("API listening on %s", api.url)
    return api


def serve(config: Config, *, host: str | None = None, port: int | None = None) -> None:
    """``newswatch serve``: run the API until SIGINT/SIGTERM."""

    async def main() -> None:
        api = await start_api(config, host=host, port=port)
        freeze_startup_objects()
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stopped.set)
        signalled = asyncio.create_task(stopped.wait())
        try:
            # Until a signal, or until the server stops by itself (then stop() reports why).
            await asyncio.wait({signalled, api.task}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            signalled.cancel()
            await api.stop()

    asyncio.run(main())
