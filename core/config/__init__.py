"""config.yaml, read once into typed, validated objects.

Every key has a default (so a minimal file works), unknown keys are refused (a typo must
not be silently ignored), and every error names the file, the line and the key path.
Secrets are never in the file: it names the environment variable that holds them.

The sections are in :mod:`core.config.crawling` (what to watch, how to crawl it) and
:mod:`core.config.delivery` (what reaches people); this module joins them into
:class:`Config` and is where every importer takes them from.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator, model_validator

from core.config.base import PROJECT_URL, VERSION, Duration, Section, Size, check_http_url
from core.config.cluster import ClusterConfig
from core.config.crawling import CrawlConfig, DedupConfig, SourceConfig, StoriesConfig, TopicConfig, TopicEventsConfig
from core.config.delivery import (
    APPRISE_CHANNEL_PREFIX,
    EMAIL_CHANNEL,
    WEBHOOK_CHANNEL,
    AlertsConfig,
    ChannelsConfig,
    DigestConfig,
    DisplayConfig,
    EmailChannel,
    SmtpConfig,
    WebhookChannel,
)
from core.config.identity import EventMatchConfig, EventPlacesConfig, EventsConfig

__all__ = [
    "APPRISE_CHANNEL_PREFIX",
    "EMAIL_CHANNEL",
    "PROJECT_URL",
    "VERSION",
    "WEBHOOK_CHANNEL",
    "AlertsConfig",
    "ApiConfig",
    "ChannelsConfig",
    "Config",
    "CrawlConfig",
    "DatabaseConfig",
    "DedupConfig",
    "DigestConfig",
    "DisplayConfig",
    "Duration",
    "EmailChannel",
    "EventMatchConfig",
    "EventPlacesConfig",
    "EventsConfig",
    "ServiceConfig",
    "Size",
    "SmtpConfig",
    "SourceConfig",
    "StoriesConfig",
    "TopicConfig",
    "TopicEventsConfig",
    "WebhookChannel",
    "check_http_url",
    "resolve_database_url",
]


class DatabaseConfig(Section):
    """Where the archive lives. ``$NEWSWATCH_DATABASE_URL`` overrides ``url``."""

    url: str = "sqlite:///newswatch.db"

    @field_validator("url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError("must start with sqlite:// or postgresql:// (e.g. postgresql+psycopg://)")
        return value


class ServiceConfig(Section):
    """The long-running ``newswatch run`` process."""

    # Liveness: a JSON file rewritten every ``heartbeat`` (pid, last crawl, counters, next
    # runs); relative to the config file; null turns it off.
    status_file: Path | None = Path("newswatch-status.json")
    heartbeat: Duration = timedelta(seconds=15)
    # How long running crawls get to finish after SIGINT/SIGTERM before they are cancelled.
    shutdown_grace: Duration = timedelta(seconds=5)


class ApiConfig(Section):
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


class Config(Section):
    """The whole configuration. Build it with :func:`load_config`."""

    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    topic: TopicConfig = Field(default_factory=TopicConfig)
    sources: list[SourceConfig] = Field(default_factory=list)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    stories: StoriesConfig = Field(default_factory=StoriesConfig)
    events: EventsConfig = Field(default_factory=EventsConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    digest: DigestConfig = Field(default_factory=DigestConfig)
    display: DisplayConfig = Field(default_factory=DisplayConfig)
    smtp: SmtpConfig = Field(default_factory=SmtpConfig)
    api: ApiConfig = Field(default_factory=ApiConfig)
    service: ServiceConfig = Field(default_factory=ServiceConfig)
    cluster: ClusterConfig = Field(default_factory=ClusterConfig)
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

    @model_validator(mode="after")
    def _event_places_known(self) -> Config:
        # A typo in events.places would silently make a town unknown to event identity.
        unknown = sorted(self.events.places.names() - set(self.topic.places))
        if unknown:
            raise ValueError(f"events.places: not in topic.places: {', '.join(unknown)}")
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
