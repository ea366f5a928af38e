"""Logging for every newswatch command: one format, on stderr, with the same context keys.

Every line carries the time, level, logger name, ``source=`` and ``url=``. Code attaches
them with ``logger.info("...", extra={"source": name, "url": url})``; records logged by
Scrapy components carry a ``spider`` instead, whose ``source_name`` is used. stdout is left
to command output (``--format json`` must print nothing else there).

Scrapy installs its own root handler unless told not to; the crawler passes
``install_root_handler=False`` / ``LOG_ENABLED=False`` and relies on :func:`setup_logging`.
"""

from __future__ import annotations

import logging
import sys
from typing import Final, TextIO

FORMAT: Final = "%(asctime)s %(levelname)-7s %(name)s source=%(source)s url=%(url)s %(message)s"
DATE_FORMAT: Final = "%Y-%m-%dT%H:%M:%S%z"

# Third-party loggers that are chatty at INFO: quiet unless --verbose.
NOISY_LOGGERS: Final = ("scrapy", "twisted", "apscheduler", "alembic", "filelock", "asyncio")

# Scrapy components that log a failed download at ERROR on their own: the retry middleware
# ("Gave up retrying", for robots.txt and again for the source URL) and the robots.txt
# middleware ("Error downloading"). The spider records every failure of a source against it
# and logs it once, at WARNING, with the reason (crawler.spiders.base, "source failed: ...");
# these would repeat it three times more per poll. Shown with --verbose.
DUPLICATE_FAILURE_LOGGERS: Final = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


class ContextFilter(logging.Filter):
    """Give every record ``source`` and ``url`` attributes, ``"-"`` when unknown.

    Never drops a record. Put it on a handler, not a logger: filters on a logger do not see
    records propagated from its children.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Fill ``record.source`` and ``record.url`` in place; always keep the record."""
        source = getattr(record, "source", None)
        if not source:
            spider = getattr(record, "spider", None)
            source = getattr(spider, "source_name", None) if spider is not None else None
        record.source = source or "-"
        record.url = getattr(record, "url", None) or "-"
        return True


class StderrHandler(logging.StreamHandler[TextIO]):
    """A stream handler that writes to whatever ``sys.stderr`` is at the time of the call.

    Why: rich's progress display temporarily replaces ``sys.stderr`` so that log lines are
    printed above the bar instead of through it; a handler holding the original stream
    would scribble over the display.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        """Write the record to the current ``sys.stderr``."""
        self.stream = sys.stderr
        super().emit(record)


class ContextFormatter(logging.Formatter):
    """The newswatch line format; exceptions on one line unless tracebacks are wanted.

    Why: a refused connection or a 404 is data about a source, not a crash. Scrapy logs
    such failures with their traceback; outside ``--verbose`` the operator gets the
    exception's type and message at the end of the line, and tracebacks stay for DEBUG.
    """

    def __init__(self, *, tracebacks: bool) -> None:
        super().__init__(FORMAT, DATE_FORMAT)
        self.tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        """Format ``record``; without tracebacks, append ``(Type: message)`` instead."""
        if self.tracebacks or not (record.exc_info or record.stack_info):
            return super().format(record)
        saved = record.exc_info, record.exc_text, record.stack_info
        # Other handlers (pytest's, say) may format the same record: restore it afterwards.
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            line = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        exc = saved[0][1] if saved[0] else None
        if exc is not None:
            detail = " ".join(str(exc).split())
            line += f" ({type(exc).__name__}: {detail})" if detail else f" ({type(exc).__name__})"
        return line


def _is_ours(handler: logging.Handler) -> bool:
    return getattr(handler, "_newswatch", False)


# Loggers a previous setup_logging(info=...) set to INFO, reset by the next call.
_kept_info: set[str] = set()


def setup_logging(verbose: bool = False, *, quiet: bool = False, info: tuple[str, ...] = ()) -> None:
    """Log to stderr at INFO (DEBUG with ``verbose``, WARNING with ``quiet``), third-party noise at WARNING.

    ``quiet`` is for commands whose own display reports progress (``crawl``): a line per
    stored article would bury it. ``verbose`` wins over ``quiet``.

    Tracebacks are printed only with ``verbose``; otherwise an exception is summed up at
    the end of its log line.

    ``info`` names loggers that keep INFO under ``quiet`` (the service's own lines).

    Idempotent: calling it again replaces the handler it installed earlier (so the level
    can change) and never adds a second one.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if _is_ours(handler):
            root.removeHandler(handler)
            handler.close()
    handler = StderrHandler()
    handler._newswatch = True  # type: ignore[attr-defined]
    handler.setFormatter(ContextFormatter(tracebacks=verbose))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.WARNING)
    for name in DUPLICATE_FAILURE_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.CRITICAL)
    for name in _kept_info - set(info):
        logging.getLogger(name).setLevel(logging.NOTSET)
    _kept_info.clear()
    for name in info:
        # Loggers whose INFO lines a quiet command keeps (the service's one line per poll).
        logging.getLogger(name).setLevel(logging.NOTSET if verbose or not quiet else logging.INFO)
        _kept_info.add(name)
