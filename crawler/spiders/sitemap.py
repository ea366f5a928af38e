"""News sitemaps and sitemap indexes (gzip-compressed ones too)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.discovery import Discovered, DiscoveryError, maybe_gunzip, parse_sitemap
from crawler.spiders.base import SourceSpider

if TYPE_CHECKING:
    from scrapy.http import Response


class SitemapSpider(SourceSpider):
    """A sitemap source; an index's child sitemaps are followed (the first ``max_children``)."""

    source_type = "sitemap"

    def discover(self, response: Response) -> Discovered:
        """Parse the sitemap or index, inflating ``.xml.gz`` within the size limit."""
        try:
            body = maybe_gunzip(response.body, self.crawl_config.max_response_size)
        except DiscoveryError as exc:  # every failure to inflate, as maybe_gunzip says
            return Discovered(error=f"bad gzip sitemap: {exc}")
        return parse_sitemap(body, response.url)
