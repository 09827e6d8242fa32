"""Refilling `Account.pinyin_key` (the account list filter's word key) for every existing account, as a
migration does when the key's rule changes (kb.migrations versions 0020, 0023, 0024): the current rule,
kb.account_keys.account_word_key, in keyset batches — one indexed read and one executemany per batch, so
memory stays bounded on a big database. SQLite and PostgreSQL alike."""
from __future__ import annotations

import sqlalchemy as sa

#: Accounts read and written per statement while refilling the keys.
BATCH = 500


def refill_account_word_keys(connection: sa.engine.Connection, batch: int = BATCH) -> int:
    """Write `pinyin_key` of every row of table `account` with the current rule, `batch` rows a statement;
    returns the number of rows written. Reads only id, name, name_en and aliases (a migration's table as
    it stands, not the ORM model)."""
    from .account_keys import account_word_key

    account = sa.table('account', sa.column('id', sa.Integer()), sa.column('name', sa.String()),
                       sa.column('name_en', sa.String()), sa.column('aliases', sa.JSON()),
                       sa.column('pinyin_key', sa.Text()))
    update = account.update().where(account.c.id == sa.bindparam('account_id')).values(
        pinyin_key=sa.bindparam('key'))
    after, written = 0, 0
    while True:
        rows = connection.execute(sa.select(account.c.id, account.c.name, account.c.name_en,
                                            account.c.aliases)
                                  .where(account.c.id > after).order_by(account.c.id).limit(batch)).all()
        if not rows:
            return written
        connection.execute(update, [{'account_id': row.id,
                                     'key': account_word_key(row.name, row.name_en, row.aliases)}
                                    for row in rows])
        after, written = rows[-1].id, written + len(rows)
