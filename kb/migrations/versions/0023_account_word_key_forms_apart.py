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


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kb.account_key_refill import refill_account_word_keys

    refill_account_word_keys(op.get_bind())  # (keyset batches: kb/account_key_refill.py)


def downgrade() -> None:
    # The keys stay as they are: the rule before this revision is gone from the code, and the older list
    # filter still reads these keys (a word between spaces; the line break is a blank to it).
    pass
