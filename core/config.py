"""config.yaml, read once into typed, validated objects.

Every key has a default (so a minimal file works), unknown keys are refused (a typo must
not be silently ignored), and every error names the file, the line and the key path.
Secrets are never in the file: it names the environment variable that holds them.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.cssselect import CSSSelector, SelectorError
from lxml.etree import XPathError
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from core.units import parse_duration, parse_size
from core.version import VERSION as VERSION  # its own module: `newswatch --version` imports nothing else

PROJECT_URL = "https://github.com/newswatch/newswatch"

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]


class _Strict(BaseModel):
    """Base for every config section: unknown keys are errors, values are validated."""

    # No key has a use for an infinite or NaN number (``download_delay: .inf`` would stall
    # every crawl), so floats must be finite everywhere.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# One DNS label after IDNA encoding; ``_`` is not a hostname character but real hosts use it.
_HOST_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")


def check_http_url(value: str) -> str:
    """Return ``value`` if it is an http(s) URL with a valid host and port; else raise ``ValueError``.

    Stricter than "starts with http://": ``http://[::1/``, a port of 99999 or a space in
    the host would pass that and fail only when fetched. Unicode hosts are accepted (they
    are sent IDNA-encoded).
    """
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http:// or https:// URL")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:  # an unclosed [IPv6] bracket, a port that is not 0-65535
        raise ValueError(f"not a valid URL: {exc}") from None
    host = parts.hostname
    if not host:
        raise ValueError("the URL has no host name")
    if port == 0:
        raise ValueError("the URL's port must be a number from 1 to 65535")
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(f"{host!r} in brackets is not an IPv6 address") from None
        return value
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{host!r} is not a valid host name") from None
    if not ascii_host or len(ascii_host) > 253 or not all(_HOST_LABEL.match(p) for p in ascii_host.split(".")):
        raise ValueError(f"{host!r} is not a valid host name")
    return value


def _check_apprise_url(value: str) -> str:
    # Apprise knows its own schemes; the loader can at least refuse what is no URL at all.
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S", value):
        raise ValueError("not an Apprise URL: expected scheme://... (tgram://, slack://, json://)")
    return value


def _as_list(value: Any) -> Any:
    """Accept a single value where a list is expected (``seed: a.txt``)."""
    if value is None:
        return []
    if isinstance(value, str | Path):
        return [value]
    return value


class DatabaseConfig(_Strict):
    """Where the archive lives. ``$NEWSWATCH_DATABASE_URL`` overrides ``url``."""

    url: str = "sqlite:///newswatch.db"

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError("must start with sqlite:// or postgresql:// (e.g. postgresql+psycopg://)")
        return value


class TopicConfig(_Strict):
    """What the monitor is about: the seed article(s) and the topic's vocabulary."""

    name: str = "Pakistan–Afghanistan talks"
    seed: Annotated[list[Path], BeforeValidator(_as_list)] = Field(default_factory=list)
    seed_published: date | None = None
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    parties: list[str] = Field(default_factory=list)
    # The two sides of the conflict, each a list of parties. When set, an article is on
    # topic only if it names both sides (or one side at a configured place); without it,
    # any two parties will do.
    sides: list[list[str]] = Field(default_factory=list)
    mediators: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    # Places inside each side, in the order of ``sides``: one side at a place of its own
    # (the Taliban in Kabul) is everyday news of that side, not of the conflict; at the
    # other side's place or at a place listed for neither (a border crossing) it counts.
    home_places: list[list[str]] = Field(default_factory=list)
    # Canonical name -> spellings in other languages and scripts, so a Pashto report of a
    # clash at Torkham (تورخم) meets the English one.
    aliases: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("home_places")
    @classmethod
    def _home_places_match_sides(cls, value: list[list[str]], info: ValidationInfo) -> list[list[str]]:
        # Declared after sides and places, so both are validated and in info.data.
        if not value:
            return value
        sides, places = info.data.get("sides", []), set(info.data.get("places", []))
        if len(value) != len(sides):
            raise ValueError(f"one list per side, in the order of topic.sides ({len(sides)}), not {len(value)}")
        unknown = sorted({p for side in value for p in side} - places)
        if unknown:
            raise ValueError(f"not in topic.places: {', '.join(unknown)}")
        return value


class SourceConfig(_Strict):
    """One feed, news sitemap or listing page to poll."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    type: Literal["feed", "sitemap", "listing"]
    url: str
    interval: Duration | None = None
    language: str | None = None
    enabled: bool = True
    # Listing pages: which links on the page are articles.
    link_selector: str | None = None
    link_pattern: str | None = None
    # Cap on new articles fetched per poll, so a first crawl of a huge sitemap stays polite.
    max_articles: Annotated[int, Field(ge=1)] | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return check_http_url(value)

    @field_validator("link_selector")
    @classmethod
    def _valid_selector(cls, value: str | None) -> str | None:
        # Compiled the way crawler.discovery.parse_listing uses it (lxml's cssselect, HTML
        # rules), so what loads is what the crawl can run.
        if value is not None:
            try:
                CSSSelector(value, translator="html")
            except (SelectorError, XPathError) as exc:
                raise ValueError(f"not a valid CSS selector: {exc}") from None
        return value

    @field_validator("link_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            # A huge repeat count ({4294967296}) is an OverflowError, deep nesting a RecursionError.
            except (re.error, OverflowError, RecursionError) as exc:
                raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def _listing_needs_rule(self) -> SourceConfig:
        if self.type != "listing" and (self.link_selector or self.link_pattern):
            raise ValueError("link_selector and link_pattern apply only to type: listing")
        return self


class CrawlConfig(_Strict):
    """How politely and how hard the crawler fetches."""

    user_agent: str = f"newswatch/{VERSION} (+{PROJECT_URL})"
    obey_robots: bool = True
    allow_private_addresses: bool = False
    download_delay: Annotated[float, Field(ge=0)] = 1.0
    concurrency_per_domain: Annotated[int, Field(ge=1, le=64)] = 2
    concurrency: Annotated[int, Field(ge=1, le=512)] = 16
    autothrottle: bool = True
    interval: Duration = timedelta(minutes=30)
    timeout: Duration = timedelta(seconds=30)
    max_response_size: Size = 10 * 1000**2
    retries: Annotated[int, Field(ge=0, le=10)] = 2
    # A 429/503 asking to wait at most this long is retried in the same crawl; longer
    # waits are recorded against the source and honoured by the next poll.
    max_retry_after: Duration = timedelta(seconds=60)
    # A source that keeps failing is polled less often: its interval doubles with each
    # failure in a row, up to this (or its own interval, if longer). Success resets it.
    max_backoff: Duration = timedelta(hours=6)
    max_articles_per_source: Annotated[int, Field(ge=1)] = 100
    # A sitemap index's child sitemaps are followed at most this many levels below the
    # source URL: nested indexes that never end (a loop under fresh query strings) stop here.
    max_sitemap_depth: Annotated[int, Field(ge=0, le=10)] = 3
    # Requests one poll of one source may make besides article pages: the source URL, child
    # sitemaps, and every redirect and retry of them. A poll that reaches it stops there.
    max_source_fetches: Annotated[int, Field(ge=1)] = 50
    # Articles older than this (by the feed's date) are not fetched on a poll.
    max_article_age: Duration | None = None
    # Processes that extract article text in parallel; null = one per core, 0 = in the
    # crawler's own thread (no worker processes).
    extract_workers: Annotated[int, Field(ge=0, le=64)] | None = None


class DedupConfig(_Strict):
    """Near-duplicate detection thresholds (defaults measured on tests/fixtures/dedup)."""

    shingle_size: Annotated[int, Field(ge=1, le=8)] = 3
    # A stored article whose estimated Jaccard similarity with a new one reaches this is
    # the original of a copy.
    duplicate_jaccard: Annotated[float, Field(gt=0, le=1)] = 0.25
    # ... or whose shingles contain this share of the shorter text's (trimmed copies).
    duplicate_containment: Annotated[float, Field(gt=0, le=1)] = 0.6
    # Title-only items are compared by words and word pairs, and need a closer match.
    short_duplicate_jaccard: Annotated[float, Field(gt=0, le=1)] = 0.7


class StoriesConfig(_Strict):
    """Grouping articles that report the same event into stories."""

    # An article joins a story whose similarity score reaches this; else it starts one.
    join_threshold: Annotated[float, Field(gt=0, le=1)] = 0.2
    # Only stories active within this window of the article's time are candidates.
    window: Duration = timedelta(days=3)


class EmailChannel(_Strict):
    """Alert e-mail recipients."""

    to: list[str] = Field(default_factory=list)


class WebhookChannel(_Strict):
    """A JSON POST per alert, signed with HMAC-SHA256 when a secret is configured."""

    url: Annotated[str, AfterValidator(check_http_url)]
    secret_env: str | None = None


# Delivery channel names, as stored with each delivery (notify.channels sends by them).
EMAIL_CHANNEL = "email"
WEBHOOK_CHANNEL = "webhook"
APPRISE_CHANNEL_PREFIX = "apprise:"


class ChannelsConfig(_Strict):
    """Where alerts go; each channel is optional."""

    email: EmailChannel | None = None
    webhook: WebhookChannel | None = None
    apprise: list[Annotated[str, AfterValidator(_check_apprise_url)]] = Field(default_factory=list)

    def names(self) -> list[str]:
        """Delivery channel names: ``email``, ``webhook``, ``apprise:<index>``.

        The pipeline creates one delivery per name with each alert. Apprise URLs are named by
        their position in ``alerts.channels.apprise`` so that no token ends up in the database.
        """
        names = []
        if self.email is not None and self.email.to:
            names.append(EMAIL_CHANNEL)
        if self.webhook is not None:
            names.append(WEBHOOK_CHANNEL)
        names.extend(f"{APPRISE_CHANNEL_PREFIX}{index}" for index in range(len(self.apprise)))
        return names


class AlertsConfig(_Strict):
    """When an alert is raised and where it is delivered."""

    max_age: Duration | None = timedelta(days=2)
    min_sources: Annotated[int, Field(ge=1)] = 1
    # How long a claimed delivery belongs to the worker sending it; after that (a crash
    # mid-send) another worker sends it again. Longer than any channel's timeout.
    delivery_lease: Duration = timedelta(minutes=5)
    channels: ChannelsConfig = Field(default_factory=ChannelsConfig)


class DigestConfig(_Strict):
    """The periodic digest e-mail."""

    # Cron: five fields (minute hour day month weekday), or six with seconds first.
    schedule: str = "0 7 * * *"
    timezone: str = "UTC"
    to: list[str] = Field(default_factory=list)
    skip_empty: bool = False

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Karachi or UTC)") from None
        return value

    @field_validator("schedule")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        # Lazy on purpose: APScheduler loads only when a digest schedule is given to check.
        from core.cron import cron_trigger

        try:
            cron_trigger(value, ZoneInfo("UTC"))
        except ValueError as exc:
            raise ValueError(f"not a valid cron schedule {value!r}: {exc}") from None
        return value


class DisplayConfig(_Strict):
    """How times are shown to people (the dashboard)."""

    # IANA zone; null = digest.timezone, so the dashboard and the digest agree by default.
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else DigestConfig._known_zone(value)


class SmtpConfig(_Strict):
    """Outgoing mail server; the password comes from the environment variable named here."""

    host: str = "localhost"
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password_env: str | None = "NEWSWATCH_SMTP_PASSWORD"
    sender: str = "newswatch@example.org"


class ServiceConfig(_Strict):
    """The long-running ``newswatch run`` process."""

    # Liveness: a JSON file rewritten every ``heartbeat`` (pid, last crawl, counters, next
    # runs); relative to the config file; null turns it off.
    status_file: Path | None = Path("newswatch-status.json")
    heartbeat: Duration = timedelta(seconds=15)
    # How long running crawls get to finish after SIGINT/SIGTERM before they are cancelled.
    shutdown_grace: Duration = timedelta(seconds=5)


class ApiConfig(_Strict):
    """The read-only HTTP API and dashboard.

    When the variable named by ``token_env`` is set, every request but ``/healthz`` needs
    ``Authorization: Bearer <token>``; binding beyond loopback without it is refused.
    """

    # Whether ``newswatch run`` serves the API and dashboard too (``newswatch serve`` always does).
    enabled: bool = True
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8080
    token_env: str | None = "NEWSWATCH_API_TOKEN"
    # The dashboard's address as readers reach it (behind a proxy, say), for links in mail;
    # null = http://host:port/ of the server itself.
    public_url: Annotated[str, AfterValidator(check_http_url)] | None = None


class Config(_Strict):
    """The whole configuration. Build it with :func:`load_config`."""

    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    topic: TopicConfig = Field(default_factory=TopicConfig)
    sources: list[SourceConfig] = Field(default_factory=list)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    stories: StoriesConfig = Field(default_factory=StoriesConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    display: DisplayConfig = Field(default_factory=DisplayConfig)
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    api: ApiConfig = Field(default_factory=ApiConfig)
    service: ServiceConfig = Field(default_factory=ServiceConfig)
    # Directory of the config file: relative paths in it are resolved against this.
    base_dir: Path = Field(default=Path("."), exclude=True)

    @model_validator(mode="after")
    def _unique_source_names(self) -> Config:
        seen: set[str] = set()
        for index, source in enumerate(self.sources):
            if source.name in seen:
                raise ValueError(f"sources[{index}].name: duplicate source name {source.name!r}")
            seen.add(source.name)
        return self

    def source(self, name: str) -> SourceConfig:
        """Return the source called ``name``; raises ``KeyError`` if there is none."""
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)

    def source_interval(self, source: SourceConfig) -> timedelta:
        """The poll interval of ``source``, falling back to ``crawl.interval``."""
        return source.interval or self.crawl.interval

    def seed_paths(self) -> list[Path]:
        """Seed files as absolute paths."""
        return [p if p.is_absolute() else self.base_dir / p for p in self.topic.seed]


def resolve_database_url(config: Config) -> str:
    """The database URL with a relative SQLite path made relative to the config file.

    Why: ``newswatch`` may be started from any directory (cron, systemd); the archive must
    not move with the working directory.
    """
    url = config.database.url
    match = re.match(r"^(sqlite(?:\+\w+)?:///)(.*)$", url)
    if match and match.group(2) and not match.group(2).startswith((":memory:", "/", "file:")):
        return f"{match.group(1)}{(config.base_dir / match.group(2)).resolve()}"
    return url
