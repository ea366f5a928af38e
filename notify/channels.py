"""Sending one rendered alert to one channel: SMTP e-mail, a signed webhook, an Apprise URL.

Each sender either returns (the channel accepted the alert) or raises :class:`DeliveryError`
with a message fit for ``deliveries.last_error``: no passwords, secrets or tokened URLs.
Secrets come from the environment variables the config names, read at send time.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import threading
import urllib.error
import urllib.request
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.config import APPRISE_CHANNEL_PREFIX, EMAIL_CHANNEL, WEBHOOK_CHANNEL
from core.errors import NewswatchError
from core.times import display_zone
from notify.render import email_message, render_alert, signature, webhook_body

if TYPE_CHECKING:
    from collections.abc import Mapping
    from email.message import EmailMessage

    from core.config import Config

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Newswatch-Signature"
# Per connection attempt; the delivery lease (storage.alerts.LEASE) is far longer.
TIMEOUT = 30.0
# How much of an error response body is kept, to show what the receiver complained about.
MAX_ERROR_BODY = 200


class DeliveryError(NewswatchError):
    """Raised by a channel sender when the channel did not accept the alert.

    The message says what went wrong without secrets; the delivery is retried later.
    """


class UnknownChannelError(DeliveryError):
    """Raised for a delivery whose channel is no longer in the config (it is not retried)."""


def send(
    config: Config,
    channel: str,
    view: dict[str, Any],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT,
) -> None:
    """Send ``view`` (an alert view dict) to ``channel`` (``email``, ``webhook``, ``apprise:<n>``)."""
    env = os.environ if env is None else env
    channels = config.alerts.channels
    if channel == EMAIL_CHANNEL and channels.email is not None and channels.email.to:
        send_email(config, view, env=env, timeout=timeout)
    elif channel == WEBHOOK_CHANNEL and channels.webhook is not None:
        send_webhook(config, view, env=env, timeout=timeout)
    elif channel.startswith(APPRISE_CHANNEL_PREFIX) and channel[len(APPRISE_CHANNEL_PREFIX) :].isdigit():
        index = int(channel[len(APPRISE_CHANNEL_PREFIX) :])
        if index >= len(channels.apprise):
            raise UnknownChannelError(f"{channel} is no longer configured (alerts.channels.apprise has fewer URLs)")
        send_apprise(channels.apprise[index], view, display_zone(config))
    else:
        raise UnknownChannelError(f"channel {channel!r} is not configured in alerts.channels")


# --- e-mail ----------------------------------------------------------------------------


def _secret(env: Mapping[str, str], name: str | None) -> str | None:
    return env.get(name) or None if name else None


def send_email(config: Config, view: dict[str, Any], *, env: Mapping[str, str], timeout: float = TIMEOUT) -> None:
    """Send the alert e-mail to ``alerts.channels.email.to`` through ``smtp``."""
    smtp = config.smtp
    email = config.alerts.channels.email
    recipients = list(email.to) if email else []
    if not recipients:
        raise UnknownChannelError("alerts.channels.email.to is empty")
    message = email_message(view, sender=smtp.sender, recipients=recipients, zone=display_zone(config))
    send_message(config, message, recipients, env=env, timeout=timeout)


def send_message(
    config: Config,
    message: EmailMessage,
    recipients: list[str],
    *,
    env: Mapping[str, str],
    timeout: float = TIMEOUT,
) -> None:
    """Send ``message`` to ``recipients`` through ``smtp``; raises :class:`DeliveryError`.

    Shared by alert and digest mail: one place knows about SSL, STARTTLS and login.
    """
    smtp = config.smtp
    password = _secret(env, smtp.password_env)
    if smtp.username and password is None:
        raise DeliveryError(f"smtp.username is set but ${smtp.password_env} (smtp.password_env) is empty")
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP
        if smtp.ssl:
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
        with client:
            if smtp.starttls and not smtp.ssl:
                client.starttls(context=context)
            if smtp.username and password is not None:
                client.login(smtp.username, password)
            refused = client.send_message(message, from_addr=smtp.sender, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"SMTP server refused every recipient: {', '.join(exc.recipients)}") from exc
    except smtplib.SMTPResponseException as exc:
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} answered {exc.smtp_code} {detail}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {type(exc).__name__}: {exc}") from exc
    if refused:
        # Some recipients got it; retrying would send it again to the others.
        logger.warning("SMTP server refused some recipients: %s", ", ".join(refused), extra={"url": smtp.host})


# --- webhook ---------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would turn a redirected POST into a body-less GET."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _http_only_opener() -> urllib.request.OpenerDirector:
    """An opener that speaks http(s) and nothing else.

    ``build_opener`` would also open ``file:``, ``ftp:`` and ``data:`` URLs: a webhook URL
    of ``file:///etc/passwd`` was read from disk. The config refuses such URLs at load;
    this is the second line, should one reach the sender anyway.
    """
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # honour $https_proxy as build_opener does
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.UnknownHandler(),  # any other scheme: URLError("unknown url type")
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _NoRedirect(),
    ):
        opener.add_handler(handler)
    return opener


_opener = _http_only_opener()


def send_webhook(config: Config, view: dict[str, Any], *, env: Mapping[str, str], timeout: float = TIMEOUT) -> None:
    """POST the alert as JSON; signed with HMAC-SHA256 when ``secret_env`` names a set variable.

    Any 2xx is success. Redirects are not followed (and count as failures).
    """
    webhook = config.alerts.channels.webhook
    if webhook is None:
        raise UnknownChannelError("alerts.channels.webhook is not configured")
    if urlsplit(webhook.url).scheme.lower() not in ("http", "https"):
        raise DeliveryError("webhook URL is not http:// or https:// (alerts.channels.webhook.url)")
    body = webhook_body(view)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": config.crawl.user_agent,
        "X-Newswatch-Alert": str(view.get("id")),
    }
    secret = _secret(env, webhook.secret_env)
    if secret is not None:
        headers[SIGNATURE_HEADER] = signature(body, secret)
    request = urllib.request.Request(webhook.url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        with exc:
            detail = " ".join(exc.read(MAX_ERROR_BODY).decode("utf-8", "replace").split())
        raise DeliveryError(f"webhook answered HTTP {exc.code}" + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"webhook request failed: {reason}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"webhook answered HTTP {status}")


# --- Apprise ---------------------------------------------------------------------------


class _ThreadLogCapture(logging.Handler):
    """Collect the warnings Apprise logs while this thread sends (its only error channel).

    Why per thread: two deliveries may run at once and each must keep its own errors.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


def _redact(text: str, url: str) -> str:
    """``text`` with every longer piece of ``url`` (tokens, keys, hosts, paths) masked."""
    for piece in sorted(set(re.split(r"[/:@?&=#,]+", url.partition("://")[2])), key=len, reverse=True):
        if len(piece) >= 6:
            text = text.replace(piece, "***")
    return text


def apprise_service(url: str) -> str:
    """The scheme of an Apprise URL (``tgram``, ``slack``, ``json``), safe to show and log."""
    return url.partition("://")[0] or "apprise"


def send_apprise(url: str, view: dict[str, Any], zone: tzinfo = UTC) -> None:
    """Notify one Apprise URL with the alert's subject as title and its text as body.

    Timeouts are Apprise's own (a few seconds), adjustable per URL with ``?cto=`` / ``?rto=``.
    """
    import apprise

    service = apprise_service(url)
    asset = apprise.AppriseAsset(storage_mode="memory", async_mode=False)
    plugin = apprise.Apprise.instantiate(url, asset=asset)
    if plugin is None:
        raise DeliveryError(f"not a valid Apprise URL for {service}:// (alerts.channels.apprise)")
    rendered = render_alert(view, zone)
    capture = _ThreadLogCapture()
    apprise_logger = logging.getLogger("apprise")
    apprise_logger.addHandler(capture)
    try:
        ok = plugin.notify(body=rendered.text, title=rendered.subject, body_format=apprise.NotifyFormat.TEXT)
    except Exception as exc:  # a plugin bug must not escape as anything but a failed delivery
        raise DeliveryError(f"{service}: {type(exc).__name__}: {_redact(str(exc), url)}") from None
    finally:
        apprise_logger.removeHandler(capture)
    if not ok:
        detail = "; ".join(_redact(m, url) for m in capture.messages[-3:])
        raise DeliveryError(f"{service} notification failed" + (f": {detail}" if detail else ""))
