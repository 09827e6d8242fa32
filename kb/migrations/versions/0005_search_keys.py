"""search keys: the normalised names of each account, for the account list filter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kb.account_keys import account_search_key

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.Text(), nullable=False, server_default=''))
    account = sa.table('account', sa.column('id', sa.Integer()), sa.column('name', sa.String()),
                       sa.column('name_en', sa.String()), sa.column('aliases', sa.JSON()),
                       sa.column('search_key', sa.Text()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(account.c.id, account.c.name, account.c.name_en, account.c.aliases))
    for row in rows.all():
        connection.execute(account.update().where(account.c.id == row.id).values(
            search_key=account_search_key(row.name, row.name_en, row.aliases)))


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('search_key')
