"""sort keys: each account's name in pinyin, so the account list orders Chinese names by pinyin

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 21:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kb.account_keys import account_sort_key

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_key', sa.Text(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_account_sort_key'), ['sort_key'], unique=False)
    account = sa.table('account', sa.column('id', sa.Integer()), sa.column('name', sa.String()),
                       sa.column('sort_key', sa.Text()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(account.c.id, account.c.name))
    for row in rows.all():
        connection.execute(account.update().where(account.c.id == row.id).values(
            sort_key=account_sort_key(row.name)))


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_sort_key'))
        batch_op.drop_column('sort_key')
