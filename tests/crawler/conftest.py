"""Fixtures of the crawl tests: one loopback site per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.site import LoopbackSite


@pytest.fixture(scope="module")
def site() -> Iterator[LoopbackSite]:
    """A loopback site, started once per module; tests register their own routes."""
    server = LoopbackSite().start()
    yield server
    server.stop()


@pytest.fixture
def fresh_site(site: LoopbackSite) -> LoopbackSite:
    """The module's loopback site with no routes and no recorded hits."""
    site.routes.clear()
    site.reset_hits()
    return site
