"""dashboard index: an account's visits by archived state, visibility, kind and date, read index-only

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 05:00:00.000000
"""
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Serves kb.services.dashboard (home and group pages): open next steps of the accounts' visible
    # visits, last visit per account, visits per month — without reading the interaction rows.
    op.create_index('ix_interaction_account_visible', 'interaction',
                    ['account_id', 'archived_at', 'visibility', 'kind', 'occurred_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_interaction_account_visible', table_name='interaction')
