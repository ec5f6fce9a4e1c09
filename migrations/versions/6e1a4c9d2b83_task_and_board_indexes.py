"""task and prospection board indexes

Two indexes measured at large scale (issue 19 §3, bench/RESULTS.md): one assignee's open tasks in due order
(the tasks page and the counsellor's home read them from the index instead of every open task of the team),
and the prospection board's count of active companies by stage, read from an index alone. Each replaces the
one-column index it starts with (assignee, archived_at).

Revision ID: 6e1a4c9d2b83
Revises: 5d8e2f1a9c47
Create Date: 2026-12-05 08:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '6e1a4c9d2b83'
down_revision = '5d8e2f1a9c47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_assignee_open_due', ['assignee_id', 'done_at', 'due_on', 'id'], unique=False)
        batch_op.drop_index('ix_task_assignee_id')
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index('ix_company_archived_stage', ['archived_at', 'stage'], unique=False)
        batch_op.drop_index('ix_company_archived_at')


def downgrade():
    with op.batch_alter_table('company', schema=None) as batch_op:
        batch_op.create_index('ix_company_archived_at', ['archived_at'], unique=False)
        batch_op.drop_index('ix_company_archived_stage')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_assignee_id', ['assignee_id'], unique=False)
        batch_op.drop_index('ix_task_assignee_open_due')
