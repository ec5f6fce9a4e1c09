"""task team queue

A task may be held by nobody yet: it waits in the team's queue (a need from a company that no
counsellor follows, a stale offer of such a company) until someone takes it.

Revision ID: f4b2d1e5a7c3
Revises: fc7b1f090abd
Create Date: 2026-12-04 16:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4b2d1e5a7c3'
down_revision = 'fc7b1f090abd'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.alter_column('assignee_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.alter_column('assignee_id', existing_type=sa.Integer(), nullable=False)
