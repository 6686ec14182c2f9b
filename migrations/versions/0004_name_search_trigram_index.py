"""Name search by words: a trigram index on actors.search_name (PostgreSQL)

Every typed word is matched with LIKE '%word%' (crm.actors.name_contains). A B-tree index
cannot serve a pattern that starts with '%'; on PostgreSQL a GIN index with pg_trgm's operator
class can, so the search stays fast at 100 000 actors. SQLite has no such index: there the
search scans the names (docs/performance.md#sql).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 15:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    # pg_trgm ships with PostgreSQL (contrib); creating it needs a role allowed to create
    # extensions in the database (the owner on PostgreSQL 13+, it is a trusted extension).
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.execute(
        'CREATE INDEX IF NOT EXISTS ix_actors_search_name_trigram '
        'ON actors USING gin (search_name gin_trgm_ops)'
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP INDEX IF EXISTS ix_actors_search_name_trigram')
