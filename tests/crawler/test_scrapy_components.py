"""The crawl's Scrapy crawler enables what it always did, without importing components that are off."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
from core.config import Config
from crawler.runner import install_reactor
install_reactor()
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from crawler.settings import scrapy_settings
from crawler.spiders.feed import FeedSpider

config = Config.model_validate({"crawl": {"obey_robots": sys.argv[1] == "robots", "autothrottle": True}})
crawler = Crawler(FeedSpider, Settings(scrapy_settings(config)))
crawler._apply_settings()
names = lambda manager: [type(m).__module__ + "." + type(m).__name__ for m in manager.middlewares]
print(json.dumps({
    "extensions": names(crawler.extensions),
    "downloader": names(DownloaderMiddlewareManager.from_crawler(crawler)),
    "spider": names(SpiderMiddlewareManager.from_crawler(crawler)),
    "imported": sorted(
        m for m in ("scrapy.extensions.feedexport", "scrapy.extensions.remote_control",
                    "scrapy.downloadermiddlewares.cookies", "tldextract", "aiohttp")
        if m in sys.modules
    ),
}))
"""

DOWNLOADER = [
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
    "crawler.middlewares.private_addresses.PrivateAddressMiddleware",
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware",
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware",
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware",
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware",
    "crawler.middlewares.retry.BackoffRetryMiddleware",
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware",
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware",
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware",
    "crawler.middlewares.host_gate.HostGateMiddleware",
]


def run(mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_components_on_and_nothing_imported_for_those_off():
    result = run("robots")
    assert result["extensions"] == [
        "scrapy.extensions.corestats.CoreStats",
        "scrapy.extensions.throttle.AutoThrottle",
    ]
    assert result["downloader"] == DOWNLOADER
    assert result["spider"] == [
        "scrapy.spidermiddlewares.start.StartSpiderMiddleware",
        "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware",
        "scrapy.spidermiddlewares.referer.RefererMiddleware",
        "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",
    ]
    assert result["imported"] == []


def test_robots_middleware_follows_the_config():
    assert "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware" not in run("no-robots")["downloader"]
