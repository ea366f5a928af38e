"""Alert notifications: rendering an alert and delivering it to e-mail, webhooks and Apprise.

A package of its own because delivery is its own concern with its own dependencies (SMTP,
HTTP, Apprise, Jinja2 templates) and failure modes (retries, backoff, leases); the outbox
rows it works from live in ``storage.alerts``, the jobs that call it in ``scheduler``.
"""
