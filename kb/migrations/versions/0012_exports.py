"""export records: who exported what, when, in which format, how many rows

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-29 22:20:00.000000
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0012'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('export_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('row_format', sa.String(length=10), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_export_record_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_export_record_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_record'))
    )
    with op.batch_alter_table('export_record', schema=None) as batch_op:
        batch_op.create_index('ix_export_record_account_created', ['account_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_record_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_record_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('export_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_record_user_id'))
        batch_op.drop_index(batch_op.f('ix_export_record_created_at'))
        batch_op.drop_index('ix_export_record_account_created')

    op.drop_table('export_record')
