"""search_vector: a gap between title and text, so a phrase cannot run from one into the other

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 06:05:00

``tsvector || tsvector`` shifts the right operand's positions by the left one's largest,
so the title's last word and the text's first were adjacent: ``"torkham troops"`` matched
an article titled "... at Torkham" whose text starts "Troops ...", on PostgreSQL only
(SQLite's FTS5 keeps the two columns apart, and both backends must find the same
articles). A placeholder lexeme between the two parts pushes the text one position
further, and ``ts_delete`` removes the placeholder again. Its name, ``-``, is one no word
can produce: the column's text has every ``-`` turned into a space first (the separators
below).

PostgreSQL 15 cannot change a generated column's expression in place (``SET EXPRESSION``
is 17+), so the column, its GIN index and its statistics target (0005) are made anew:
PostgreSQL recomputes every row, about a minute per million articles. SQLite: nothing to
do. Self-contained, like 0004.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# As in 0004 (storage.query.PG_SEPARATORS at the time).
PG_SEPARATORS = "-+./:@_<>&#=?%~\\"
STATISTICS_TARGET = 10_000
GAP = "-"


def _pg_words(column: str) -> str:
    spaces = " " * len(PG_SEPARATORS)
    separators = PG_SEPARATORS.replace("'", "''")
    return f"to_tsvector('simple'::regconfig, translate(coalesce({column}, ''), '{separators}', '{spaces}'))"


def _title_and_text(gap: bool) -> str:
    title = f"setweight({_pg_words('title')}, 'A')"
    text = f"setweight({_pg_words('text')}, 'B')"
    if not gap:
        return f"{title} || {text}"
    # "\\:" keeps SQLAlchemy's text() from reading ":1" as a bind parameter.
    return f"ts_delete({title} || '{GAP}\\:1'::tsvector || {text}, '{GAP}'::text)"


def _rebuild(vector: str) -> None:
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN search_vector")
    op.execute(f"ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({vector}) STORED")
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")
    op.execute(f"ALTER TABLE articles ALTER COLUMN search_vector SET STATISTICS {STATISTICS_TARGET}")
    op.execute("ANALYZE articles (search_vector)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(_title_and_text(gap=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(_title_and_text(gap=False))
