"""alert_updates: an alert's history, and deliveries of an update

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 05:00:00

A later report of an alerted event (more outlets, higher figures, a later subtype) is
recorded in ``alert_updates``; a material one may be delivered again, as deliveries tagged
with the update. The old UNIQUE (alert_id, channel) would refuse those, so it becomes a
partial unique index over the alert's own deliveries (``update_id IS NULL``), plus UNIQUE
(update_id, channel). SQLite cannot drop a constraint in place: batch mode rebuilds the
table (``deliveries`` has no triggers or expression indexes to lose).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FIRST = "uq_deliveries_alert_id_channel_first"


@contextmanager
def _deliveries_batch() -> Iterator[Any]:
    """``batch_alter_table("deliveries")``, quiet about the index SQLite cannot reflect.

    Batch mode reflects the tables ``deliveries`` refers to, ``articles`` among them, whose
    sort-key expression index SQLAlchemy skips with a warning (the tests turn warnings into
    errors); the index is not touched here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table("deliveries") as batch:
            yield batch


def upgrade() -> None:
    op.create_table(
        "alert_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("material", sa.Boolean(), nullable=False),
        sa.Column("delivery", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_updates_alert_id_alerts"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_alert_updates_article_id_articles"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_updates")),
    )
    op.create_index("ix_alert_updates_alert_id_created_at", "alert_updates", ["alert_id", "created_at"])
    with _deliveries_batch() as batch:
        batch.add_column(sa.Column("update_id", sa.Integer(), nullable=True))
        batch.drop_constraint("uq_deliveries_alert_id_channel", type_="unique")
        batch.create_foreign_key(
            op.f("fk_deliveries_update_id_alert_updates"), "alert_updates", ["update_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_unique_constraint(op.f("uq_deliveries_update_id_channel"), ["update_id", "channel"])
    op.create_index(
        FIRST,
        "deliveries",
        ["alert_id", "channel"],
        unique=True,
        sqlite_where=sa.text("update_id IS NULL"),
        postgresql_where=sa.text("update_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(FIRST, table_name="deliveries")
    op.execute("DELETE FROM deliveries WHERE update_id IS NOT NULL")
    with _deliveries_batch() as batch:
        batch.drop_constraint("uq_deliveries_update_id_channel", type_="unique")
        batch.drop_constraint("fk_deliveries_update_id_alert_updates", type_="foreignkey")
        batch.drop_column("update_id")
        batch.create_unique_constraint("uq_deliveries_alert_id_channel", ["alert_id", "channel"])
    op.drop_index("ix_alert_updates_alert_id_created_at", table_name="alert_updates")
    op.drop_table("alert_updates")
