"""contracts (MCE) with milestones; handovers move project-triangle seats

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 23:20:00.000000
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

OLD_KINDS = ('seat', 'stakeholder_owner', 'next_step', 'account_member')
NEW_KINDS = OLD_KINDS + ('project_seat',)


def _kind_check(kinds: tuple[str, ...]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _audit_columns() -> list:
    return [
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('notes', sa.String(length=1000), nullable=False),
    *_audit_columns(),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_contract_amount_not_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_contract_account_id_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_contract_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunity.id'], name=op.f('fk_contract_opportunity_id_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_contract_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract')),
    sa.UniqueConstraint('number', name=op.f('uq_contract_number')),
    sa.UniqueConstraint('opportunity_id', name=op.f('uq_contract_opportunity_id'))
    )
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_account_id'), ['account_id'], unique=False)

    op.create_table('contract_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('delivery', 'acceptance', 'invoicing', 'payment', name='milestone_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('actual_on', sa.Date(), nullable=True),
    sa.Column('planned_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('actual_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    *_audit_columns(),
    sa.CheckConstraint('planned_amount IS NULL OR planned_amount >= 0', name=op.f('ck_contract_milestone_planned_not_negative')),
    sa.CheckConstraint('actual_amount IS NULL OR actual_amount >= 0', name=op.f('ck_contract_milestone_actual_not_negative')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_milestone_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_contract_milestone_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_contract_milestone_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_milestone'))
    )
    with op.batch_alter_table('contract_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_milestone_contract_id'), ['contract_id'], unique=False)

    # HandoverKind is a CHECK-constrained string (models.base.enum_column): let it take "project_seat".
    with op.batch_alter_table('handover_change', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_handover_change_handover_kind'), type_='check')
        batch_op.create_check_constraint('handover_kind', sa.text(_kind_check(NEW_KINDS)))


def downgrade() -> None:
    op.execute("DELETE FROM handover_change WHERE kind = 'project_seat'")
    with op.batch_alter_table('handover_change', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_handover_change_handover_kind'), type_='check')
        batch_op.create_check_constraint('handover_kind', sa.text(_kind_check(OLD_KINDS)))
    with op.batch_alter_table('contract_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_milestone_contract_id'))
    op.drop_table('contract_milestone')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_account_id'))
    op.drop_table('contract')
