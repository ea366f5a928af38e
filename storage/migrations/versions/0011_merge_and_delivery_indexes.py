"""Indexes for merged stories and events, and for an alert's deliveries

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 06:15:00

``events.merged_into`` is read for every article that may alert (has the event, or one
found to be it, alerted?) and ``stories.merged_into`` by every merge and redirect; since
0008 replaced UNIQUE (alert_id, channel) with a partial index, lookups of an alert's
deliveries that do not say ``update_id IS NULL`` had no index either.
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_merged_into", "events", ["merged_into"])
    op.create_index("ix_stories_merged_into", "stories", ["merged_into"])
    op.create_index("ix_deliveries_alert_id", "deliveries", ["alert_id"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_alert_id", table_name="deliveries")
    op.drop_index("ix_stories_merged_into", table_name="stories")
    op.drop_index("ix_events_merged_into", table_name="events")
