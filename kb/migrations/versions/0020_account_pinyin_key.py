"""word keys: the words of the names and the pinyin forms search finds each account by, for the list filter

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 15:00:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

#: Accounts read and written per statement while filling the keys (bounded memory on a big database).
BATCH = 500


def upgrade() -> None:
    from kb.account_keys import account_word_key

    # A plain ADD COLUMN (no batch copy of the table): both databases add a NOT NULL column with a default
    # in place, and the account table keeps its indexes and foreign keys untouched.
    op.add_column('account', sa.Column('pinyin_key', sa.Text(), nullable=False, server_default=''))
    account = sa.table('account', sa.column('id', sa.Integer()), sa.column('name', sa.String()),
                       sa.column('name_en', sa.String()), sa.column('aliases', sa.JSON()),
                       sa.column('pinyin_key', sa.Text()))
    connection = op.get_bind()
    update = account.update().where(account.c.id == sa.bindparam('account_id')).values(
        pinyin_key=sa.bindparam('key'))
    after = 0
    while True:  # keyset batches: each one indexed read, then one executemany
        rows = connection.execute(sa.select(account.c.id, account.c.name, account.c.name_en,
                                            account.c.aliases)
                                  .where(account.c.id > after).order_by(account.c.id).limit(BATCH)).all()
        if not rows:
            break
        connection.execute(update, [{'account_id': row.id,
                                     'key': account_word_key(row.name, row.name_en, row.aliases)}
                                    for row in rows])
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('pinyin_key')
