"""latest visit and team indexes: an account's visits by visibility, date, archived state; a group's accounts

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 11:30:00.000000
"""
from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Serves kb.services.activity (the account list's last activity): the latest visit of one visibility
    # of an account is one index seek, not a read of every visit row (issue 9).
    op.create_index('ix_interaction_account_latest', 'interaction',
                    ['account_id', 'visibility', 'occurred_on', 'archived_at'], unique=False)
    # Serves kb.policy.team_account_ids (the reader's team, in every visibility test): a customer group's
    # accounts read from the index alone, not by scanning all accounts (PostgreSQL).
    op.create_index('ix_account_group_account', 'account', ['customer_group_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_account_group_account', table_name='account')
    op.drop_index('ix_interaction_account_latest', table_name='interaction')
