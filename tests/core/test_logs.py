"""Log lines: one handler on stderr, with source= and url= on every line."""

from __future__ import annotations

import io
import logging
from types import SimpleNamespace

import pytest

from core.logs import ContextFilter, setup_logging


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("scrapy", "twisted", "apscheduler")}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def _ours(root: logging.Logger) -> list[logging.Handler]:
    return [h for h in root.handlers if getattr(h, "_newswatch", False)]


def _record(**extra) -> logging.LogRecord:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    record.__dict__.update(extra)
    return record


def test_filter_uses_record_attributes():
    record = _record(source="dawn", url="https://dawn.com/1")
    assert ContextFilter().filter(record)
    assert (record.source, record.url) == ("dawn", "https://dawn.com/1")


def test_filter_falls_back_to_the_spiders_source_name():
    record = _record(spider=SimpleNamespace(source_name="tribune"))
    ContextFilter().filter(record)
    assert (record.source, record.url) == ("tribune", "-")


def test_filter_defaults_to_dash():
    record = _record(spider=object())
    ContextFilter().filter(record)
    assert (record.source, record.url) == ("-", "-")


def test_setup_is_idempotent_and_writes_context_to_stderr(restore_logging, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging(verbose=False)
    setup_logging(verbose=False)
    root = logging.getLogger()
    assert len(_ours(root)) == 1
    assert root.level == logging.INFO
    assert logging.getLogger("scrapy").level == logging.WARNING
    logging.getLogger("newswatch.test").info("stored %s", "it", extra={"source": "dawn", "url": "https://d/1"})
    logging.getLogger("newswatch.test").debug("not shown")
    logging.getLogger("scrapy.core.engine").info("not shown either")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert " INFO " in lines[0] and "newswatch.test" in lines[0]
    assert "source=dawn url=https://d/1 stored it" in lines[0]


def test_verbose_shows_debug_and_scrapy(restore_logging, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging(verbose=False)
    setup_logging(verbose=True)
    assert len(_ours(logging.getLogger())) == 1
    logging.getLogger("scrapy.core.engine").debug("crawled page", extra={"spider": SimpleNamespace(source_name="geo")})
    assert "source=geo url=- crawled page" in stream.getvalue()


def _log_failure(logger_name: str) -> None:
    try:
        raise ConnectionRefusedError("Connection was refused by other side:\n111: Connection refused.")
    except ConnectionRefusedError:
        logging.getLogger(logger_name).error("Gave up retrying", exc_info=True, extra={"source": "dawn"})


def test_exceptions_are_one_line_unless_verbose(restore_logging, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    setup_logging(verbose=False)
    _log_failure("scrapy.core.scraper")
    (line,) = stream.getvalue().splitlines()
    assert "Traceback" not in line
    assert line.endswith(
        "source=dawn url=- Gave up retrying "
        "(ConnectionRefusedError: Connection was refused by other side: 111: Connection refused.)"
    )
    setup_logging(verbose=True)
    _log_failure("scrapy.core.scraper")
    assert "Traceback (most recent call last)" in stream.getvalue()
