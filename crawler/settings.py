"""Scrapy settings built from the typed config; one comment per choice."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.config import Config

# Statuses the spiders want to see themselves (to record against the source) instead of
# having HttpErrorMiddleware drop them. 3xx stay out so redirects are still followed.
HANDLED_STATUSES = [304, *range(400, 600)]

# Scrapy components that the settings below turn off in every crawl (no FEEDS,
# REMOTE_CONTROL_ENABLED, TELNETCONSOLE_ENABLED, MEMUSAGE_ENABLED, COOKIES_ENABLED and
# DOWNLOADER_STATS false, LOGSTATS_INTERVAL 0, HTTPCACHE_ENABLED false; MEMDEBUG_ENABLED,
# CLOSESPIDER_* and JOBDIR left unset). Scrapy imports every component of its *_BASE
# settings to merge them with ours, even one set to None, and only then lets it refuse:
# the feed exporter, the remote control (aiohttp, an SSL context) and the cookie
# middleware (tldextract) were 17 % of the crawl process's CPU before its first fetch.
# They are left out of the bases instead; what is enabled stays the same
# (tests/crawler/test_scrapy_components.py).
OFF_EXTENSIONS = frozenset(
    {
        "scrapy.extensions.logcount.LogCount",
        "scrapy.extensions.feedexport.FeedExporter",
        "scrapy.extensions.remote_control.RemoteControl",
        "scrapy.extensions.telnet.TelnetConsole",
        "scrapy.extensions.memusage.MemoryUsage",
        "scrapy.extensions.memdebug.MemoryDebugger",
        "scrapy.extensions.closespider.CloseSpider",
        "scrapy.extensions.logstats.LogStats",
        "scrapy.extensions.spiderstate.SpiderState",
    }
)
OFF_DOWNLOADER_MIDDLEWARES = frozenset(
    {
        "scrapy.downloadermiddlewares.retry.RetryMiddleware",
        "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
        "scrapy.downloadermiddlewares.stats.DownloaderStats",
        "scrapy.downloadermiddlewares.httpcache.HttpCacheMiddleware",
    }
)
OFF_SPIDER_MIDDLEWARES = frozenset(
    {
        # Each spider middleware wraps every callback's output in one more async
        # generator. Two do nothing for us: a poll's depth is bounded by the spider
        # (crawl.max_sitemap_depth, crawl.max_source_fetches), and the meta-copy check is a
        # development aid. RefererMiddleware stays (see REFERRER_POLICY): without it both
        # redirect middlewares warn, per source, that they cannot handle the Referer header.
        "scrapy.spidermiddlewares.depth.DepthMiddleware",
        "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
    }
)


def _base(name: str, off: frozenset[str]) -> dict[str, int]:
    """Scrapy's default ``name`` (a *_BASE component dict) without the components in ``off``."""
    from scrapy.settings import default_settings

    return {path: order for path, order in getattr(default_settings, name).items() if path not in off}


def scrapy_settings(config: Config) -> dict[str, Any]:
    """The Scrapy settings for a crawl under ``config``."""
    crawl = config.crawl
    return {
        "BOT_NAME": "newswatch",
        "USER_AGENT": crawl.user_agent,
        "ROBOTSTXT_OBEY": crawl.obey_robots,
        # Spiders are given explicitly; no project module to scan.
        "SPIDER_MODULES": [],
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "CONCURRENT_REQUESTS": crawl.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrency_per_domain,
        "DOWNLOAD_DELAY": crawl.download_delay,
        # Vary the delay by ±50% so requests do not tick like a robot.
        "DOWNLOAD_DELAY_JITTER": 0.5,
        "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawl.concurrency_per_domain),
        "DOWNLOAD_TIMEOUT": crawl.timeout.total_seconds(),
        "DOWNLOAD_MAXSIZE": crawl.max_response_size,
        # Warn at half the limit so operators see pages approaching it.
        "DOWNLOAD_WARNSIZE": crawl.max_response_size // 2,
        "RETRY_ENABLED": crawl.retries > 0,
        "RETRY_TIMES": crawl.retries,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "NEWSWATCH_MAX_RETRY_AFTER": crawl.max_retry_after.total_seconds(),
        "NEWSWATCH_RETRY_BACKOFF_BASE": 0.5 if crawl.download_delay == 0 else 2.0,
        "NEWSWATCH_ALLOW_PRIVATE_ADDRESSES": crawl.allow_private_addresses,
        # Scrapy's HTTP/1.1 handler, plus a way to cut downloads in flight short when the
        # service stops (a trickling answer would otherwise hold the stop for crawl.timeout).
        "DOWNLOAD_HANDLERS": {
            "http": "crawler.handlers.http.AbortingHTTPDownloadHandler",
            "https": "crawler.handlers.http.AbortingHTTPDownloadHandler",
        },
        "DOWNLOADER_MIDDLEWARES_BASE": _base("DOWNLOADER_MIDDLEWARES_BASE", OFF_DOWNLOADER_MIDDLEWARES),
        "DOWNLOADER_MIDDLEWARES": {
            # In place of Scrapy's RetryMiddleware (left out of the base above).
            "crawler.middlewares.retry.BackoffRetryMiddleware": 550,
            # Before robots.txt (100) so not even robots.txt is fetched from a refused host.
            "crawler.middlewares.private_addresses.PrivateAddressMiddleware": 50,
            # Last before the downloader (after robots.txt, retries, redirects, compression):
            # per-host concurrency and delay across every crawler of the process.
            "crawler.middlewares.host_gate.HostGateMiddleware": 950,
        },
        "SPIDER_MIDDLEWARES_BASE": _base("SPIDER_MIDDLEWARES_BASE", OFF_SPIDER_MIDDLEWARES),
        # The feed's URL as Referer tells a news site nothing: send none, on redirects too.
        "REFERRER_POLICY": "no-referrer",
        # Byte counts per request and response that nobody reads (STATS_DUMP is off): the
        # request's size is measured by serialising it, for every request.
        "DOWNLOADER_STATS": False,
        "ITEM_PIPELINES": {
            # Cleaning, fingerprint, relevance, event and story features are computed with
            # the extraction (crawler.analysis, in the worker processes): what is left needs
            # the crawl's shared state.
            "crawler.pipelines.store.StorePipeline": 900,
        },
        # Per request: the hop count travels with the redirected request, so a chain through
        # fresh query strings ends here too (and a source document's hops also count against
        # crawl.max_source_fetches).
        "REDIRECT_MAX_TIMES": 10,
        # Scrapy starts one task per slot for every callback result, even a single item;
        # the store step is serialised anyway, so a few slots suffice (+20-40% measured).
        "CONCURRENT_ITEMS": 4,
        # No cookies: news pages need none, and cookie walls should not follow us around.
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy's remote-control extension opens an HTTP port; a service must not.
        "REMOTE_CONTROL_ENABLED": False,
        # Logging is ours (core.logs); Scrapy must not add a root handler.
        "LOG_ENABLED": False,
        "LOGSTATS_INTERVAL": 0,
        "STATS_DUMP": False,
        # LogCount is left out too: it puts one handler per crawler on the root logger; the
        # service keeps a crawler per source for its whole life, so every log line would pass
        # through dozens of handlers counting into stats nobody reads.
        "EXTENSIONS_BASE": _base("EXTENSIONS_BASE", OFF_EXTENSIONS),
        # A timer per crawler checking the process's memory: one process, many crawlers.
        "MEMUSAGE_ENABLED": False,
        "FEED_EXPORT_ENCODING": "utf-8",
        # Memory stays flat: no request or response is kept after processing.
        "HTTPCACHE_ENABLED": False,
        "DNSCACHE_ENABLED": True,
    }
