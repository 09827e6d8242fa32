"""stakeholders: "unknown" decision role, attitude and influence; contact details; field history; erasures

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 22:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_ROLES = ['decision_maker', 'influencer', 'evaluator', 'purchaser', 'user', 'coach', 'blocker']
_ATTITUDES = ['support', 'neutral', 'oppose']
_INFLUENCES = ['high', 'medium', 'low']
_CONTACTS = [('phone', 40), ('mobile', 40), ('email', 254), ('wechat_id', 64), ('assistant_name', 100),
             ('assistant_contact', 200)]


def _enum(values: list[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _swap_enums(extra: list[str]) -> None:
    """Re-create the CHECK constraints of the three enum columns with (or without) `extra` values."""
    with op.batch_alter_table('stakeholder', schema=None) as batch_op:
        for column, values in (('decision_role', _ROLES), ('attitude', _ATTITUDES), ('influence', _INFLUENCES)):
            old = values + ([] if extra else ['unknown'])
            new = values + extra
            batch_op.alter_column(column, existing_type=_enum(old, column), type_=_enum(new, column),
                                  existing_nullable=False)


def upgrade() -> None:
    _swap_enums(['unknown'])
    with op.batch_alter_table('stakeholder', schema=None) as batch_op:
        for name, length in _CONTACTS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=''))
    op.create_table('stakeholder_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stakeholder_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=False),
    sa.Column('new_value', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_stakeholder_change_changed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholder.id'], name=op.f('fk_stakeholder_change_stakeholder_id_stakeholder'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stakeholder_change'))
    )
    with op.batch_alter_table('stakeholder_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stakeholder_change_stakeholder_id'), ['stakeholder_id'], unique=False)
    op.create_table('personal_data_erasure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stakeholder_id', sa.Integer(), nullable=False),
    sa.Column('erased_by_id', sa.Integer(), nullable=True),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['erased_by_id'], ['user.id'], name=op.f('fk_personal_data_erasure_erased_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['stakeholder_id'], ['stakeholder.id'], name=op.f('fk_personal_data_erasure_stakeholder_id_stakeholder'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_erasure'))
    )
    with op.batch_alter_table('personal_data_erasure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_personal_data_erasure_stakeholder_id'), ['stakeholder_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('personal_data_erasure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_personal_data_erasure_stakeholder_id'))
    op.drop_table('personal_data_erasure')
    with op.batch_alter_table('stakeholder_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stakeholder_change_stakeholder_id'))
    op.drop_table('stakeholder_change')
    with op.batch_alter_table('stakeholder', schema=None) as batch_op:
        for name, _length in reversed(_CONTACTS):
            batch_op.drop_column(name)
    stakeholder = sa.table('stakeholder', sa.column('decision_role', sa.String()), sa.column('attitude', sa.String()),
                           sa.column('influence', sa.String()))
    op.execute(stakeholder.update().where(stakeholder.c.decision_role == 'unknown').values(decision_role='influencer'))
    op.execute(stakeholder.update().where(stakeholder.c.attitude == 'unknown').values(attitude='neutral'))
    op.execute(stakeholder.update().where(stakeholder.c.influence == 'unknown').values(influence='medium'))
    _swap_enums([])
