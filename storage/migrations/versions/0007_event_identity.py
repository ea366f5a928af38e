"""event identity: one alert per event, events and stories that merge

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 05:00:00

An event is now found by its identity (who, what, when, where), not by its story and kind:
its signature is stored with it, an alert is unique per event (it was per story and kind),
and a story or event found to be another's has ``merged_into`` pointing at the one that
stays (its id keeps resolving).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


@contextmanager
def _quiet_reflection() -> Iterator[None]:
    # SQLite's batch mode copies a table by reflecting it and the tables its keys point at;
    # articles has an expression index (ix_articles_sort_key) SQLAlchemy cannot reflect and
    # warns about. The copy does not touch that table or index.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        yield


def upgrade() -> None:
    with _quiet_reflection():
        _upgrade()


def downgrade() -> None:
    with _quiet_reflection():
        _downgrade()


def _upgrade() -> None:
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_stories_merged_into_stories"), "stories", ["merged_into"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint("uq_events_story_id_kind", type_="unique")
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signature", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_events_merged_into_events"), "events", ["merged_into"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index("ix_events_kind_event_date", ["kind", "event_date"])
        batch_op.create_index("ix_events_story_id", ["story_id"])
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_alerts_story_id_kind", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_alerts_event_id"), ["event_id"])


def _downgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_alerts_event_id", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_alerts_story_id_kind"), ["story_id", "kind"])
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_story_id")
        batch_op.drop_index("ix_events_kind_event_date")
        batch_op.drop_constraint("fk_events_merged_into_events", type_="foreignkey")
        batch_op.drop_column("signature")
        batch_op.drop_column("merged_into")
        batch_op.create_unique_constraint(batch_op.f("uq_events_story_id_kind"), ["story_id", "kind"])
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_constraint("fk_stories_merged_into_stories", type_="foreignkey")
        batch_op.drop_column("merged_into")
