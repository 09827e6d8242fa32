"""imports: import runs, and where imported accounts, stakeholders and interactions came from

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 22:20:00.000000
"""
from alembic import op
import sqlalchemy as sa

import models.base


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

PROVENANCE = (('account', ['external_key']), ('stakeholder', ['account_id', 'external_key']),
              ('interaction', ['account_id', 'external_key']))


def upgrade() -> None:
    op.create_table(
        'import_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('created', sa.Integer(), nullable=False),
        sa.Column('updated', sa.Integer(), nullable=False),
        sa.Column('unchanged', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_import_run_user_id_user'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_run')),
    )
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_run_user_id'), ['user_id'], unique=False)
    for table, key_columns in PROVENANCE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('external_key', sa.String(length=100), nullable=True))
            batch_op.add_column(sa.Column('import_run_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_import_run_id_import_run'), 'import_run',
                                        ['import_run_id'], ['id'], ondelete='SET NULL')
            name = 'uq_account_external_key' if table == 'account' else f'uq_{table}_account_external_key'
            batch_op.create_index(name, key_columns, unique=True)


def downgrade() -> None:
    for table, _columns in reversed(PROVENANCE):
        with op.batch_alter_table(table, schema=None) as batch_op:
            name = 'uq_account_external_key' if table == 'account' else f'uq_{table}_account_external_key'
            batch_op.drop_index(name)
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_import_run_id_import_run'), type_='foreignkey')
            batch_op.drop_column('import_run_id')
            batch_op.drop_column('external_key')
    with op.batch_alter_table('import_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_run_user_id'))
    op.drop_table('import_run')
