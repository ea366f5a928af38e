"""Serving the archive over HTTP: the read-only JSON API, the Atom feed of alerts, the dashboard.

A package of its own because it has its own dependencies (FastAPI, uvicorn, Jinja2 pages),
its own security surface (a listening socket, a bearer token, hostile scraped text in HTML
and XML) and two ways to run: ``newswatch serve`` alone, or inside ``newswatch run``'s
event loop (:func:`web.server.start_api`).
"""
