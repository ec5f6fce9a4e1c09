"""user session version

Each session holds the session version it was opened with; raising it ends every session of the account
(logout, password change, deactivation, an admin's « déconnecter partout ») (issue 20 §4).

Revision ID: 2860c4996b07
Revises: 7e2b9c4d1a30
Create Date: 2026-12-04 15:53:24.267557

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2860c4996b07'
down_revision = '7e2b9c4d1a30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_version')
