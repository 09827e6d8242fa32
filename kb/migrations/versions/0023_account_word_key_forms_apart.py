"""word keys refilled: names' words as search indexes them, then a line break, then the pinyin forms

The account list filter (kb.account_keys) now reads `Account.pinyin_key` as search reads names (issue 7,
session 9): compound words under search's index forms (`s/4`, `ecommerce`, not `5` of 1.5), and the pinyin
forms after a line break, because only they are matched by a word's start without `*` (`yinh`, not
`mobi`). Every existing account's key is refilled with the current rule; the schema does not change.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 19:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

#: Accounts read and written per statement while refilling the keys (bounded memory on a big database).
BATCH = 500


def upgrade() -> None:
    from kb.account_keys import account_word_key

    account = sa.table('account', sa.column('id', sa.Integer()), sa.column('name', sa.String()),
                       sa.column('name_en', sa.String()), sa.column('aliases', sa.JSON()),
                       sa.column('pinyin_key', sa.Text()))
    connection = op.get_bind()
    update = account.update().where(account.c.id == sa.bindparam('account_id')).values(
        pinyin_key=sa.bindparam('key'))
    after = 0
    while True:  # keyset batches, as 0020
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
    # The keys stay as they are: the rule before this revision is gone from the code, and the older list
    # filter still reads these keys (a word between spaces; the line break is a blank to it).
    pass
