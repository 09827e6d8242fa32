"""plan targets: the account plan in numbers (metric, unit, baseline, target, typed actual, gap kind)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 23:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'plan_target',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('metric', sa.Enum('revenue', 'orders', 'share_of_wallet', 'new_products',
                                    'customer_satisfaction', 'custom', name='target_metric',
                                    native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('custom_name', sa.String(length=100), nullable=False),
        sa.Column('unit', sa.String(length=20), nullable=False),
        sa.Column('baseline', sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column('target', sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column('actual', sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column('gap_kind', sa.Enum('performance', 'opportunity', name='gap_kind', native_enum=False,
                                      create_constraint=True, length=32), nullable=True),
        sa.ForeignKeyConstraint(['plan_id'], ['account_plan.id'],
                                name=op.f('fk_plan_target_plan_id_account_plan'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_target')),
    )
    op.create_index(op.f('ix_plan_target_plan_id'), 'plan_target', ['plan_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_plan_target_plan_id'), table_name='plan_target')
    op.drop_table('plan_target')
