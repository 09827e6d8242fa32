"""scale indexes: the foreign keys and orderings the account, plan and stakeholder pages query by

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 22:45:00.000000
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

#: (index, table, columns): each serves a query a page runs (checked with EXPLAIN on PostgreSQL in
#: tests/test_scale_postgres_indexes.py); without them PostgreSQL scanned whole tables at 2,000 accounts.
INDEXES = [
    ('ix_account_parent_id', 'account', ['parent_id']),
    ('ix_stakeholder_reports_to_id', 'stakeholder', ['reports_to_id']),
    ('ix_plan_decision_maker_stakeholder_id', 'plan_decision_maker', ['stakeholder_id']),
    ('ix_next_step_interaction_open', 'next_step', ['interaction_id', 'done', 'due_on']),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
