"""dashboard visit index: an account's visits by visibility, kind and date, then archived state

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 15:10:00.000000
"""
from alembic import op


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Serves kb.services.dashboard_visits (home and group pages): an account's latest visit of one visibility
    # and kind is one backward index seek, and its visits per month one range per visibility and kind, read
    # index-only. ix_interaction_account_visible has `archived_at` before the date: PostgreSQL cannot read it
    # in date order under `archived_at IS NULL`, so it read and sorted every visit of the account (issue 9).
    op.create_index('ix_interaction_account_kind', 'interaction',
                    ['account_id', 'visibility', 'kind', 'occurred_on', 'archived_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_interaction_account_kind', table_name='interaction')
