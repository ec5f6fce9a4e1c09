"""check-ins cancelled by a rupture

A check-in due after a rupture is no longer deleted: it is kept, cancelled, with its reason (and any
answer already given), so the follow-up shows why it did not take place and a rupture withdrawn by
mistake brings it back.

Revision ID: e3a1c0d4f6b2
Revises: 3c1f0a9e5b21
Create Date: 2026-12-04 15:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e3a1c0d4f6b2'
down_revision = '3c1f0a9e5b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
