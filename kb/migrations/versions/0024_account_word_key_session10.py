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


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from kb.account_key_refill import refill_account_word_keys

    refill_account_word_keys(op.get_bind())  # (keyset batches: kb/account_key_refill.py)


def downgrade() -> None:
    # The keys stay as they are: the older list filter reads them the same way (whole words and starts of
    # pinyin forms), it only finds an account by one more reading of its name.
    pass
