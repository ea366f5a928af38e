"""HTML section pages whose article links are picked by a CSS selector or a URL pattern."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.http import TextResponse

from crawler.discovery import Discovered, parse_listing
from crawler.spiders.base import SourceSpider

if TYPE_CHECKING:
    from scrapy.http import Response


class ListingSpider(SourceSpider):
    """A listing-page source."""

    source_type = "listing"

    def discover(self, response: Response) -> Discovered:
        """Collect article links by the source's ``link_selector`` / ``link_pattern``."""
        if not isinstance(response, TextResponse):
            return Discovered(error="not an HTML page: the listing URL returned binary content")
        return parse_listing(response.text, response.url, self.source.link_selector, self.source.link_pattern)
