"""positioning created_by index

The counsellor's home lists the positionings they created that wait on them: without an index, every
kept or interview positioning was read (issue 19 §3).

Revision ID: 9b1d4e7c2a60
Revises: a2f2fc04b302
Create Date: 2026-12-05 06:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9b1d4e7c2a60'
down_revision = 'a2f2fc04b302'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positioning_created_by_id'), ['created_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('positioning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positioning_created_by_id'))
