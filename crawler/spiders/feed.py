"""RSS 0.9x/1.0/2.0, Atom and JSON Feed sources, parsed by feedparser from fetched bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.discovery import Discovered, parse_feed
from crawler.spiders.base import SourceSpider

if TYPE_CHECKING:
    from scrapy.http import Response


class FeedSpider(SourceSpider):
    """A feed source."""

    source_type = "feed"

    def discover(self, response: Response) -> Discovered:
        """Parse the feed; a malformed feed keeps its usable entries."""
        headers = {
            key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
            for key, values in response.headers.items()
        }
        return parse_feed(response.body, response.url, headers)
