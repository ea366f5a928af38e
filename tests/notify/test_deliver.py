"""Delivering alerts to a real local SMTP server, webhook receiver and Apprise endpoint."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.config import Config
from notify.channels import SIGNATURE_HEADER, DeliveryError, send_webhook
from notify.deliver import configured_channels, deliver_due
from storage.alerts import LEASE, claim_delivery, due_deliveries
from storage.db import transaction
from storage.models import Delivery
from tests.alertdata import SmtpSink, make_alert

SECRET = "webhook-test-secret"


def _config(**channels) -> Config:
    data = {"alerts": {"channels": channels}}
    if "smtp" in channels:
        data["smtp"] = channels.pop("smtp")
    return Config.model_validate(data)


def _alert(sessions, channels, **kwargs) -> int:
    with transaction(sessions) as session:
        return make_alert(session, channels=channels, **kwargs)


def _deliveries(sessions, alert_id) -> dict[str, Delivery]:
    with transaction(sessions) as session:
        return {d.channel: d for d in session.scalars(select(Delivery).where(Delivery.alert_id == alert_id))}


def test_configured_channels():
    assert configured_channels(Config()) == []
    config = _config(
        email={"to": ["a@example.org"]}, webhook={"url": "https://h.example/"}, apprise=["json://x", "tgram://y"]
    )
    assert configured_channels(config) == ["email", "webhook", "apprise:0", "apprise:1"]
    assert configured_channels(_config(email={"to": []})) == []  # nobody to write to


# --- e-mail ----------------------------------------------------------------------------


def test_email_times_are_in_the_display_zone(sessions, smtp_server):
    _alert(sessions, ["email"], title="Talks collapse", kind="talks_outcome", subtype="collapsed")
    config = Config.model_validate(
        {
            "alerts": {"channels": {"email": {"to": ["analyst@example.org"]}}},
            "smtp": {"host": smtp_server.host, "port": smtp_server.port},
            "display": {"timezone": "Asia/Karachi"},
        }
    )
    assert deliver_due(config, sessions, env={})["sent"] == 1
    ((_, message),) = smtp_server.received
    for part in (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()):
        assert " PKT" in part and " UTC" not in part


def test_email_arrives_with_text_and_html_parts(sessions, smtp_server):
    title = 'Talks <b>collapse</b> & "walkout"\r\nBcc: victim@example.org'
    alert_id = _alert(sessions, ["email"], title=title, kind="talks_outcome", subtype="collapsed")
    config = _config(
        email={"to": ["analyst@example.org", "desk@example.org"]},
        smtp={"host": smtp_server.host, "port": smtp_server.port, "sender": "newswatch@example.org"},
    )
    counts = deliver_due(config, sessions, env={})
    assert counts == {"due": 1, "sent": 1, "retrying": 0, "failed": 0, "skipped": 0}

    ((envelope, message),) = smtp_server.received
    assert envelope.mail_from == "newswatch@example.org"
    assert envelope.rcpt_tos == ["analyst@example.org", "desk@example.org"]  # no injected Bcc recipient
    assert message["Bcc"] is None and len(message.get_all("Subject")) == 1
    assert message["Subject"] == (
        '[newswatch] Talks outcome: talks collapsed — Talks <b>collapse</b> & "walkout" Bcc: victim@example.org'
    )
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert 'Talks <b>collapse</b> & "walkout"' in text
    assert "Talks &lt;b&gt;collapse&lt;/b&gt; &amp; &#34;walkout&#34;" in html
    assert "<b>collapse</b>" not in html
    assert "https://news.example/a/1" in text and "https://news.example/a/1" in html
    sent = _deliveries(sessions, alert_id)["email"]
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.delivered_at is not None


def test_email_login_uses_the_password_from_the_environment(sessions):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"pw-from-env")

    with SmtpSink(authenticator=authenticator, auth_require_tls=False) as sink:
        _alert(sessions, ["email"])
        config = _config(
            email={"to": ["a@example.org"]},
            smtp={"host": sink.host, "port": sink.port, "username": "nw", "password_env": "TEST_SMTP_PW"},
        )
        assert deliver_due(config, sessions, env={"TEST_SMTP_PW": "pw-from-env"})["sent"] == 1
        assert logins == [(b"nw", b"pw-from-env")]
        assert len(sink.received) == 1


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and its key (trusted through SSL_CERT_FILE)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_email_over_tls_with_login(sessions, tls_files, monkeypatch, mode):
    import ssl

    from aiosmtpd.smtp import AuthResult

    cert_path, key_path = tls_files
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))  # the client verifies the server as usual
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_path, key_path)
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password, server.transport.get_extra_info("ssl_object") is not None))
        return AuthResult(success=True)

    tls = (
        {"tls_context": server_context, "require_starttls": True}
        if mode == "starttls"
        # aiosmtpd only counts STARTTLS as TLS when deciding to offer AUTH; the session's
        # ssl object checked above shows the implicit-TLS connection is encrypted all the same.
        else {"ssl_context": server_context, "auth_require_tls": False}
    )
    with SmtpSink(authenticator=authenticator, **tls) as sink:
        _alert(sessions, ["email"])
        config = _config(
            email={"to": ["a@example.org"]},
            smtp={
                "host": sink.host,
                "port": sink.port,
                mode: True,
                "username": "nw",
                "password_env": "TEST_SMTP_PW",
            },
        )
        counts = deliver_due(config, sessions, env={"TEST_SMTP_PW": "pw"})
        assert counts["sent"] == 1, counts
    assert logins == [(b"nw", b"pw", True)]  # the password only ever crossed an encrypted connection
    assert len(sink.received) == 1


def test_unreachable_smtp_server_is_retried_later(sessions):
    alert_id = _alert(sessions, ["email"])
    with SmtpSink() as sink:
        port = sink.port  # a port nobody listens on once the server stops
    config = _config(email={"to": ["a@example.org"]}, smtp={"host": "127.0.0.1", "port": port})
    now = datetime.now(UTC)
    assert deliver_due(config, sessions, now=now, env={})["retrying"] == 1
    failed = _deliveries(sessions, alert_id)["email"]
    assert failed.status == "pending" and failed.attempts == 1
    assert f"127.0.0.1:{port}" in failed.last_error
    assert failed.next_attempt_at == now + timedelta(seconds=60)


# --- webhook ---------------------------------------------------------------------------


def test_webhook_gets_signed_json(sessions, receiver):
    alert_id = _alert(sessions, ["webhook"])
    config = _config(webhook={"url": receiver.url, "secret_env": "TEST_HOOK_SECRET"})
    assert deliver_due(config, sessions, env={"TEST_HOOK_SECRET": SECRET})["sent"] == 1
    (hit,) = receiver.hits
    expected = "sha256=" + hmac.new(SECRET.encode(), hit.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(hit.headers[SIGNATURE_HEADER], expected)
    assert hit.headers["Content-Type"].startswith("application/json")
    payload = json.loads(hit.body)
    assert payload["id"] == alert_id
    assert payload["kind"] == "talks_outcome" and payload["subtype"] == "agreement"
    assert payload["title"] == "Pakistan and Afghanistan agree to extend ceasefire"
    # For a chat message: what happened in words, and the one-line summary the e-mail has as subject.
    assert payload["label"] == "Talks outcome: agreement reached"
    assert payload["summary"] == (
        "[newswatch] Talks outcome: agreement reached — Pakistan and Afghanistan agree to extend ceasefire"
    )
    assert payload["articles"] == ["https://news.example/a/0", "https://news.example/a/2", "https://news.example/a/1"]
    assert payload["outlets"] == ["dawn", "geo"]
    assert payload["fields"]["parties"] == ["Pakistan", "Afghanistan"]
    assert datetime.fromisoformat(payload["created_at"]).tzinfo is not None


def test_webhook_without_secret_is_unsigned(sessions, receiver):
    _alert(sessions, ["webhook"])
    config = _config(webhook={"url": receiver.url, "secret_env": "TEST_HOOK_SECRET"})
    assert deliver_due(config, sessions, env={})["sent"] == 1
    assert SIGNATURE_HEADER not in receiver.hits[0].headers


def test_failing_webhook_is_retried_after_backoff_and_sent_once(sessions, receiver):
    receiver.statuses = [500]
    alert_id = _alert(sessions, ["webhook"])
    config = _config(webhook={"url": receiver.url})
    now = datetime.now(UTC)

    assert deliver_due(config, sessions, now=now, env={})["retrying"] == 1
    failed = _deliveries(sessions, alert_id)["webhook"]
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.next_attempt_at > now
    assert failed.last_error == "webhook answered HTTP 500: receiver broke"

    # Not due yet: nothing is sent.
    assert deliver_due(config, sessions, now=failed.next_attempt_at - timedelta(seconds=1), env={})["due"] == 0
    assert deliver_due(config, sessions, now=failed.next_attempt_at + timedelta(seconds=1), env={})["sent"] == 1
    assert deliver_due(config, sessions, now=now + timedelta(days=1), env={})["due"] == 0

    assert [h.status for h in receiver.hits] == [500, 200]
    assert len(receiver.ok) == 1
    assert json.loads(receiver.ok[0].body)["id"] == alert_id
    sent = _deliveries(sessions, alert_id)["webhook"]
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 2, None)


def test_concurrent_runs_send_each_delivery_once(sessions, receiver):
    receiver.delay = 0.3  # both workers are in flight while the first send is
    alert_ids = [_alert(sessions, ["webhook"], slug=f"s{i}") for i in range(3)]
    config = _config(webhook={"url": receiver.url})
    start = threading.Barrier(2)
    results = []

    def worker() -> None:
        start.wait()
        results.append(deliver_due(config, sessions, env={}))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r["sent"] for r in results) == 3
    assert sorted(json.loads(h.body)["id"] for h in receiver.hits) == sorted(alert_ids)


def test_delivery_left_sending_by_a_crash_is_sent_after_the_lease(sessions, receiver):
    alert_id = _alert(sessions, ["webhook"])
    config = _config(webhook={"url": receiver.url})
    now = datetime.now(UTC)
    with transaction(sessions) as session:
        (due,) = due_deliveries(session, now, 10)
    with transaction(sessions) as session:
        assert claim_delivery(session, due.id, now) is not None  # ... and the worker dies here
    assert deliver_due(config, sessions, now=now + LEASE - timedelta(seconds=1), env={})["due"] == 0
    assert receiver.hits == []
    assert deliver_due(config, sessions, now=now + LEASE, env={})["sent"] == 1
    assert len(receiver.ok) == 1
    sent = _deliveries(sessions, alert_id)["webhook"]
    assert (sent.status, sent.attempts) == ("sent", 2)


def test_gives_up_after_max_attempts(sessions, receiver):
    receiver.statuses = [503, 503]
    alert_id = _alert(sessions, ["webhook"])
    config = _config(webhook={"url": receiver.url})
    now = datetime.now(UTC)
    assert deliver_due(config, sessions, now=now, max_attempts=2, env={})["retrying"] == 1
    assert deliver_due(config, sessions, now=now + timedelta(hours=1), max_attempts=2, env={})["failed"] == 1
    assert deliver_due(config, sessions, now=now + timedelta(days=1), max_attempts=2, env={})["due"] == 0
    failed = _deliveries(sessions, alert_id)["webhook"]
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("failed", 2, None)
    assert len(receiver.hits) == 2


def test_a_channel_removed_from_the_config_fails_at_once_and_others_still_go(sessions, receiver):
    alert_id = _alert(sessions, ["email", "webhook"])
    config = _config(webhook={"url": receiver.url})  # no email any more
    counts = deliver_due(config, sessions, env={})
    assert (counts["sent"], counts["failed"]) == (1, 1)
    states = _deliveries(sessions, alert_id)
    assert states["email"].status == "failed"
    assert "not configured" in states["email"].last_error
    assert states["webhook"].status == "sent"


def test_an_unexpected_error_in_a_sender_is_recorded_not_raised(sessions):
    alert_id = _alert(sessions, ["webhook"])

    def broken(config, channel, view, *, env):
        raise RuntimeError("template bug")

    counts = deliver_due(_config(webhook={"url": "http://127.0.0.1:9/"}), sessions, sender=broken)
    assert counts["retrying"] == 1
    assert _deliveries(sessions, alert_id)["webhook"].last_error == "RuntimeError: template bug"


# --- Apprise ---------------------------------------------------------------------------


def test_apprise_url_posts_to_the_local_receiver(sessions, receiver):
    alert_id = _alert(
        sessions, ["apprise:0"], title="Fresh border clash at Torkham", kind="new_clash", subtype="border_clash"
    )
    apprise_url = receiver.url.replace("http://", "json://")
    config = _config(apprise=[apprise_url])
    assert deliver_due(config, sessions, env={})["sent"] == 1
    (hit,) = receiver.hits
    payload = json.loads(hit.body)
    assert payload["title"] == "[newswatch] New clash: border clash — Fresh border clash at Torkham"
    assert "Both sides agreed to extend the ceasefire" in payload["message"]
    assert "https://news.example/a/0" in payload["message"]
    assert _deliveries(sessions, alert_id)["apprise:0"].status == "sent"


@pytest.mark.parametrize("status", [500, 404])
def test_apprise_failure_is_retried_without_leaking_the_url(sessions, receiver, status):
    receiver.statuses = [status]
    alert_id = _alert(sessions, ["apprise:0"])
    config = _config(apprise=[receiver.url.replace("http://", "json://") + "?token=supersecrettoken"])
    assert deliver_due(config, sessions, env={})["retrying"] == 1
    error = _deliveries(sessions, alert_id)["apprise:0"].last_error
    assert error.startswith("json notification failed")
    assert "supersecrettoken" not in error


def test_webhook_sender_refuses_a_url_that_is_not_http(tmp_path):
    # The loader refuses such a URL; the sender must too, should one get past it: urllib's
    # default opener read file:///etc/passwd.
    secret = tmp_path / "secret.txt"
    secret.write_text("not for a webhook", encoding="utf-8")
    config = _config(webhook={"url": "https://h.example/"})
    channels = config.alerts.channels
    assert channels.webhook is not None
    webhook = channels.webhook.model_copy(update={"url": secret.as_uri()})  # no validation
    alerts = config.alerts.model_copy(update={"channels": channels.model_copy(update={"webhook": webhook})})
    config = config.model_copy(update={"alerts": alerts})
    with pytest.raises(DeliveryError, match="not http"):
        send_webhook(config, {"id": 1}, env={})
