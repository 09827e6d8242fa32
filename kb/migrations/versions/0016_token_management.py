"""API tokens people can manage: expiry, scope (read / write), who revoked them

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 01:45:00.000000

Existing tokens keep working as before: scope `write`, no expiry.
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.Enum('read', 'write', name='token_scope', native_enum=False,
                                                       create_constraint=True, length=32),
                                      server_default='write', nullable=False))
        batch_op.add_column(sa.Column('revoked_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_api_token_revoked_by_id_user'), 'user', ['revoked_by_id'],
                                    ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_api_token_revoked_by_id_user'), type_='foreignkey')
        batch_op.drop_column('revoked_by_id')
        batch_op.drop_constraint(op.f('ck_api_token_token_scope'), type_='check')
        batch_op.drop_column('scope')
        batch_op.drop_column('expires_at')
