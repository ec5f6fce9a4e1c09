"""placement search text

A PMSMP convention's search text: its young person's search text and its company's, joined by « | » (no
folded search term holds it: a searched phrase is found in one of the two, never across them), derived by
portal.search (crm/pmsmp/search.py). The list's search reads it through one trigram index on PostgreSQL
instead of finding the matching young people and companies, then their conventions (issue 19 §3,
bench/RESULTS.md). Filled here from the search texts already stored.

Revision ID: 8d3f5a1c7e24
Revises: 6e1a4c9d2b83
Create Date: 2026-12-05 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d3f5a1c7e24'
down_revision = '6e1a4c9d2b83'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=1001), nullable=False, server_default=''))
    op.execute("UPDATE placement SET search_text = "
               "(SELECT youth_profile.search_text FROM youth_profile WHERE youth_profile.id = placement.youth_id)"
               " || '|' || (SELECT company.search_text FROM company WHERE company.id = placement.company_id)")
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.alter_column('search_text', server_default=None)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX IF NOT EXISTS ix_placement_search_trgm ON placement "
                   "USING gin (search_text gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_placement_search_trgm")
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('search_text')
