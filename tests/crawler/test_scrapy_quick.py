"""Loading the crawl's HTTP handler (and Scrapy's TLS modules with it) does not walk the stack."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

SCRIPT = """
import inspect, json
calls = []
real = inspect.stack
def counting(*args, **kwargs):
    calls.append(1)
    return real(*args, **kwargs)
inspect.stack = counting
import crawler.handlers.http
from scrapy.core.downloader import contextfactory, tls
print(json.dumps({
    "stack_calls": len(calls),
    "modules": [
        contextfactory.ScrapyClientContextFactory.__module__,
        contextfactory.AcceptableProtocolsContextFactory.__module__,
        tls.ScrapyClientTLSOptions.__module__,
    ],
}))
"""


def test_importing_the_handler_reads_no_stack():
    # A fresh interpreter: in this one Scrapy's TLS modules may already be loaded.
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["stack_calls"] == 0
    # The deprecated aliases are named after the module that defines them, as Scrapy names them.
    assert result["modules"] == [
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.contextfactory",
        "scrapy.core.downloader.tls",
    ]


def test_deprecated_aliases_still_warn():
    from scrapy.core.downloader.contextfactory import ScrapyClientContextFactory as Old
    from scrapy.exceptions import ScrapyDeprecationWarning

    import crawler.handlers.http  # noqa: F401

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        class Sub(Old):  # subclassing a deprecated alias warns, naming it
            pass

    assert any(issubclass(w.category, ScrapyDeprecationWarning) for w in caught)
    assert issubclass(Sub, Old)
