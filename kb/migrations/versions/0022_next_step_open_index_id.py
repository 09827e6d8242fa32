"""next steps' open-step index ends with the step's id: the dashboards read it index-only on PostgreSQL

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 18:50:00.000000
"""
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

COLUMNS = ['account_id', 'done', 'interaction_archived_at', 'due_on', 'visibility']


def upgrade() -> None:
    # The dashboards (home, group page) count and rank the open steps of up to 200 accounts by their id
    # (kb.services.dashboard._steps). SQLite's index entries carry the rowid (the id), so it read the index
    # alone; PostgreSQL's carry only the row's place, so it fetched every step of the range from the table to
    # learn its id (a bitmap heap scan of ~1,250 pages for a group of 50 accounts at 2,000 accounts: 3.1 ms,
    # 1.7 ms index-only; issue 9).
    op.drop_index('ix_next_step_account_open', table_name='next_step')
    op.create_index('ix_next_step_account_open', 'next_step', [*COLUMNS, 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_next_step_account_open', table_name='next_step')
    op.create_index('ix_next_step_account_open', 'next_step', COLUMNS, unique=False)
