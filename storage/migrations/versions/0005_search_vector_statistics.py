"""search_vector statistics: a lexeme list long enough for PostgreSQL to see a rare word

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:10:00

PostgreSQL estimates how many articles match a word from the most common lexemes ANALYZE
keeps for ``search_vector`` (ten per point of the statistics target: 1,000 by default). A
word outside that list is assumed to match half as often as the rarest word in it, about
4,500 articles in a million; the planner then reads "newest first" backwards through the
sort-key index expecting 50 matches soon, and for a word in 300 articles it walked a third
of the table (0.56 s at 1M in bench/search.py). With a target of 10,000 the list holds
100,000 lexemes, the estimate for words outside it falls to a handful of articles, and
such a query takes the GIN index (15 ms). SQLite: nothing to do (FTS5 has no planner
estimates of this kind).
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

STATISTICS_TARGET = 10_000


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS {STATISTICS_TARGET}")
    # Now, not at autovacuum's next analyze (after a tenth of the table has changed): about
    # 20 s at a million articles, once.
    op.execute("ANALYZE articles (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS -1")
