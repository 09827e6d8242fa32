"""word keys refilled: a compound's runs of letters and digits also written together (s/4 → s4)

Search indexes a run of a compound's letter and digit parts joined by other than a dot also written
together (`S/4HANA` has `s4`, so `S4 HANA` finds it; issue 7 §2, session 10; index SCHEMA_VERSION 10), and
the account list filter (kb.account_keys) matches a name's words under search's index forms, kept in
`Account.pinyin_key`. Every existing account's key is refilled with the current rule, as 0023 did; the
schema does not change.

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-30 22:50:00.000000
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
    # The keys stay as they are: the older list filter reads them too (one more word between spaces).
    pass
