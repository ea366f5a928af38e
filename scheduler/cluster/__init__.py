"""The cluster mode: one acting scheduler (plus standbys) and N workers sharing PostgreSQL.

``queue`` names the jobs and reaches procrastinate, ``leader`` elects the acting scheduler,
``acting`` is what it does (defer due polls, the delivery and digest sweeps, retry stalled
jobs), ``worker`` runs the jobs. See docs/scaling.md.
"""
