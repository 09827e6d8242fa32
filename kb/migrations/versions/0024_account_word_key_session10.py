"""word keys refilled with session 10's name rules (one refill for all of them)

The account list filter matches `Account.pinyin_key` (kb.account_keys.account_word_key), the name's words
under the forms search indexes them by; session 10 (issue 7) changed those forms (index SCHEMA_VERSION 10+):
- names inside account names read as names (阿卜杜·热合曼商贸 abudureheman, 曾氏集团 zengshi; kb.search.pinyin);
- a compound's runs with a letter also written together (`Wi-Fi6` → wifi, `S/4HANA` → s4) and words joined by
  an apostrophe together (`O'Neil` → oneil, `L'Oréal` → loreal); `iphone16` also as "iPhone 16";
so every existing account's key is refilled with the current rule, in keyset batches as 0023; the schema
does not change. Only `pinyin_key` is written.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 22:30:00.000000
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
    # The keys stay as they are: the older list filter reads them the same way (whole words and starts of
    # pinyin forms), it only finds an account by one more reading of its name.
    pass
