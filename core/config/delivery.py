"""The config sections of what reaches people: alert channels, alerts, the digest, display times, SMTP."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator

from core.config.base import Duration, Section, check_http_url


def _check_apprise_url(value: str) -> str:
    # Apprise knows its own schemes; the loader can at least refuse what is no URL at all.
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S", value):
        raise ValueError("not an Apprise URL: expected scheme://... (tgram://, slack://, json://)")
    return value


class EmailChannel(Section):
    """Alert e-mail recipients."""

    to: list[str] = Field(default_factory=list)


class WebhookChannel(Section):
    """A JSON POST per alert, signed with HMAC-SHA256 when a secret is configured."""

    url: Annotated[str, AfterValidator(check_http_url)]
    secret_env: str | None = None


# Delivery channel names, as stored with each delivery (notify.channels sends by them).
EMAIL_CHANNEL = "email"
WEBHOOK_CHANNEL = "webhook"
APPRISE_CHANNEL_PREFIX = "apprise:"


class ChannelsConfig(Section):
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


class AlertsConfig(Section):
    """When an alert is raised and where it is delivered."""

    max_age: Duration | None = timedelta(days=2)
    min_sources: Annotated[int, Field(ge=1)] = 1
    # How long a claimed delivery belongs to the worker sending it; after that (a crash
    # mid-send) another worker sends it again. Longer than any channel's timeout.
    delivery_lease: Duration = timedelta(minutes=5)
    channels: ChannelsConfig = Field(default_factory=ChannelsConfig)
    # A later report of an alerted event is an update (storage.alert_updates): `none` records
    # it only; `material` also delivers it again when the subtype changed or a casualty figure
    # was first stated or at least doubled.
    updates: Literal["none", "material"] = "material"
    # How long the first delivery of an alert is held so near-simultaneous reports are in it
    # (Alertmanager's group_wait). 0s: see docs/configuration.md for why.
    group_wait: Duration = timedelta(0)
    # The least time between two deliveries of one alert to one channel (its updates).
    group_interval: Duration = timedelta(minutes=30)


class DigestConfig(Section):
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


class DisplayConfig(Section):
    """How times are shown to people (dashboard, CLI tables, digest, Atom feed: core.times)."""

    # IANA zone; null = digest.timezone, so every surface agrees with the digest by default.
    timezone: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return None if value is None else DigestConfig._known_zone(value)


class SmtpConfig(Section):
    """Outgoing mail server; the password comes from the environment variable named here."""

    host: str = "localhost"
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password_env: str | None = "NEWSWATCH_SMTP_PASSWORD"
    sender: str = "newswatch@example.org"
