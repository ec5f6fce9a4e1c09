"""check-in needs attention

A check-in's « difficulté signalée » flag, derived by portal.search (crm/followup/derived.py): trouble reported
on the check-in (« plus en poste » or « difficultés » in an answer) or another check-in of the same hire
recorded « difficulté ». « Mes suivis » reads its order (flagged first, then by due date) from an index on the
open check-ins instead of looking at every open check-in's siblings (issue 19 §3). Filled here by one UPDATE.

Revision ID: 7f3b9e2c5a14
Revises: 8d3f5a1c7e24
Create Date: 2026-12-05 08:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f3b9e2c5a14'
down_revision = '8d3f5a1c7e24'
branch_labels = None
depends_on = None

OPEN = sa.text("done_at IS NULL AND cancelled_at IS NULL")


def upgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_attention', sa.Boolean(), server_default=sa.false(), nullable=False))
    # only the flagged rows are written (the others keep the default): fewer dead rows left behind
    op.execute("UPDATE check_in SET needs_attention = TRUE WHERE "
               "employer_difficulties IS TRUE OR employer_in_post IS FALSE "
               "OR youth_difficulties IS TRUE OR youth_in_post IS FALSE "
               "OR EXISTS (SELECT 1 FROM check_in AS other WHERE other.hire_id = check_in.hire_id "
               "AND other.situation = 'difficulte' AND other.id <> check_in.id)")
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index('ix_check_in_queue', [sa.text('needs_attention DESC'), 'due_on', 'id'], unique=False,
                              postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index('ix_check_in_queue', postgresql_where=OPEN, sqlite_where=OPEN)
        batch_op.drop_column('needs_attention')
