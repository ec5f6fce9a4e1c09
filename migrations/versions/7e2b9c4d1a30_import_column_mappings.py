"""import column mappings

The column mapping a person chose for an import file, remembered for the next file of the same import with
the same headers (issue 18).

Revision ID: 7e2b9c4d1a30
Revises: f4b2d1e5a7c3
Create Date: 2026-12-04 16:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7e2b9c4d1a30'
down_revision = 'f4b2d1e5a7c3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_mapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('spec', sa.String(length=40), nullable=False),
        sa.Column('signature', sa.String(length=64), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                                name=op.f('fk_import_mapping_updated_by_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
        sa.UniqueConstraint('spec', 'signature', name=op.f('uq_import_mapping_spec')),
    )


def downgrade():
    op.drop_table('import_mapping')
