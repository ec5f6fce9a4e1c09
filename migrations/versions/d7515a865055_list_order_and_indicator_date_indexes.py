"""list order and indicator date indexes

The company, young people and offer lists read their first page from an index on their sort order
instead of sorting every row (measured on 20,000 companies / 50,000 young people / 10,000 offers:
42 → 16 ms, 63 → 12 ms, 69 → 13 ms); the indicators count positionings by creation and proposal date.

Revision ID: d7515a865055
Revises: b58c648697f3
Create Date: 2026-12-01 19:46:22.025157

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7515a865055'
down_revision = 'b58c648697f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index('ix_company_name_id', ['name', 'id'], unique=False)

    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.create_index('ix_offer_updated_at_id', ['updated_at', 'id'], unique=False)

    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.create_index('ix_positioning_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_positioning_proposed_at', ['proposed_at'], unique=False)

    with op.batch_alter_table('youth_profile', schema=None) as batch_op:
        batch_op.create_index('ix_youth_profile_name', ['last_name', 'first_name', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('youth_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_youth_profile_name')

    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.drop_index('ix_positioning_proposed_at')
        batch_op.drop_index('ix_positioning_created_at')

    with op.batch_alter_table('offer', schema=None) as batch_op:
        batch_op.drop_index('ix_offer_updated_at_id')

    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index('ix_company_name_id')

