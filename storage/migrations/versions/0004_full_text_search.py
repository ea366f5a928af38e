"""full-text search: FTS5 table on SQLite, tsvector with GIN on PostgreSQL, sort-key index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 16:10:00

Self-contained (the objects are spelled out here, not imported), so a later change to
storage/search.py cannot change what this revision did. The names must match
storage.search (FTS_TABLE, SEARCH_VECTOR, SORT_KEY_INDEX, SEARCH_VECTOR_INDEX) and the
separators storage.query.PG_SEPARATORS.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Marks (M*) are word characters: Devanagari vowel signs and Arabic harakat belong to the
# word. Diacritics are kept (remove_diacritics 0) because PostgreSQL's 'simple'
# configuration keeps them too, and both backends must find the same articles.
SQLITE_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

# PostgreSQL's parser glues words with these (hyphenated words, hosts, URLs, numbers, tags);
# as spaces, it splits words where SQLite's tokenizer does.
PG_SEPARATORS = "-+./:@_<>&#=?%~\\"

SORT_KEY_INDEX = "CREATE INDEX ix_articles_sort_key ON articles (coalesce(published_at, fetched_at), id)"


def _pg_words(column: str) -> str:
    spaces = " " * len(PG_SEPARATORS)
    # A quote would be doubled for the SQL literal; a backslash is literal (standard_conforming_strings).
    separators = PG_SEPARATORS.replace("'", "''")
    return f"to_tsvector('simple'::regconfig, translate(coalesce({column}, ''), '{separators}', '{spaces}'))"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(SORT_KEY_INDEX)
    if dialect == "postgresql":
        vector = f"setweight({_pg_words('title')}, 'A') || setweight({_pg_words('text')}, 'B')"
        # A stored generated column: filled for existing rows by this statement, kept up to
        # date by PostgreSQL on every insert and update.
        op.execute(f"ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({vector}) STORED")
        op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")
        return
    # External content: the text is stored once, in articles; the FTS5 table holds the index.
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5("
        f"title, text, content='articles', content_rowid='id', tokenize=\"{SQLITE_TOKENIZER}\")"
    )
    # Triggers keep the index in step with every write, whoever makes it (the pipeline, a
    # migration, a person with the sqlite3 shell). An external-content 'delete' must be given
    # the old values, hence the AFTER UPDATE pair of delete + insert.
    op.execute(
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
        "END"
    )
    op.execute(
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    # Backfill whatever was stored before this revision.
    op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    else:
        for trigger in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.execute("DROP INDEX IF EXISTS ix_articles_sort_key")
