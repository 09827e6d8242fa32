"""record versions: optimistic locking for accounts, stakeholders, interactions, next steps, groups, users

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 19:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

#: Every table whose rows are edited by several people; existing rows start at version 1.
TABLES = ('account', 'stakeholder', 'interaction', 'next_step', 'customer_group', 'user')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
