"""company last interaction day

The day of each company's latest exchange, derived by portal.search from its interactions (like its search
text), indexed: the list's « sans échange depuis N jours » reads it instead of every company's exchanges
(issue 19 §3). Filled here from the exchanges already recorded.

Revision ID: 5d8e2f1a9c47
Revises: 9b1d4e7c2a60
Create Date: 2026-12-05 06:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d8e2f1a9c47'
down_revision = '9b1d4e7c2a60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_interaction_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_company_last_interaction_on'), ['last_interaction_on'], unique=False)
    op.execute("UPDATE company SET last_interaction_on = "
               "(SELECT max(interaction.occurred_on) FROM interaction WHERE interaction.company_id = company.id)")


def downgrade():
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_last_interaction_on'))
        batch_op.drop_column('last_interaction_on')
