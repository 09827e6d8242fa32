"""word keys refilled: compound runs written together, words joined by an apostrophe together

The account list filter (kb.account_keys) matches a Latin word against `Account.pinyin_key`, the name's
words under the forms search indexes them by. Search now also indexes a compound's runs with a letter
written together (`Wi-Fi6` → wifi, `S/4HANA` → s4) and words joined by an apostrophe together (`O'Neil` →
oneil, `L'Oréal` → loreal; index SCHEMA_VERSION 10, issue 7 session 10), so every existing account's key is
refilled with the current rule (which also holds the accent-free forms of session 9); the schema does not
change. Only `pinyin_key` is written.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 22:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0024'
down_revision = '0023'
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
    while True:  # keyset batches, as 0020 and 0023
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
