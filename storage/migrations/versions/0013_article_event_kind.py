"""articles.event_kind: the event kind the write path read in an article, kept for the regrouping

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 18:00:00

The merge pass's regrouping (crawler.stories.regroup) clusters the recent articles again
with the event kind each one reports; the kind was not stored, so the topic's classifier
read every article of the window again after each restart (seconds on a large window),
against the publication time in UTC where the write path had read it in the outlet's own
time zone ("on Saturday", early on a Saturday in Islamabad, is a Friday in UTC). NULL: not
known (stored before this revision, or not analysed for stories); "" (empty): the write
path found no event.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch copy: SQLite adds a nullable column in place, so the
    # full-text triggers and the sort-key index on articles stay as they are.
    op.add_column("articles", sa.Column("event_kind", sa.String(length=32), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column that no index or trigger names in place as well.
    op.drop_column("articles", "event_kind")
