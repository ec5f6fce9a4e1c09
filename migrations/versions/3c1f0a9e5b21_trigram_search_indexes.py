"""trigram indexes for the word searches (PostgreSQL only)

The lists search a word anywhere in `search_text` (LIKE '% mot%'), which reads the whole table. On
PostgreSQL a pg_trgm GIN index answers it from the index: on 50,000 young people the count of a search
went from 9 to 2 ms and the page of results from 19 to 3 ms (bench/RESULTS.md). SQLite (demonstration,
one Mission Locale) keeps reading the table. pg_trgm is a trusted extension (PostgreSQL 13+): the owner
of the database may create it without being superuser.

Revision ID: 3c1f0a9e5b21
Revises: d7515a865055
Create Date: 2026-12-01 20:40:00

"""
from alembic import op

revision = '3c1f0a9e5b21'
down_revision = 'd7515a865055'
branch_labels = None
depends_on = None

TABLES = ("youth_profile", "company", "offer", "directory_service")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON {table} "
                   "USING gin (search_text gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
