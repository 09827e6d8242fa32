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


def upgrade() -> None:
    from kb.account_key_refill import refill_account_word_keys

    # A plain ADD COLUMN (no batch copy of the table): both databases add a NOT NULL column with a default
    # in place, and the account table keeps its indexes and foreign keys untouched.
    op.add_column('account', sa.Column('pinyin_key', sa.Text(), nullable=False, server_default=''))
    refill_account_word_keys(op.get_bind())  # (keyset batches: kb/account_key_refill.py)


def downgrade() -> None:
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('pinyin_key')
