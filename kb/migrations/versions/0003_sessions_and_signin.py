"""sessions and sign-in: user.session_token, signin_attempt

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 19:40:00.000000
"""
import secrets

from alembic import op
import sqlalchemy as sa
import models.base


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column, not a batch table copy: on SQLite a copy of "user" would cascade into its dependants.
    op.add_column('user', sa.Column('session_token', sa.String(length=64), server_default='', nullable=False))
    # Every existing user gets a random token of their own; their old cookies (plain ids) stop working.
    conn = op.get_bind()
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    for (user_id,) in conn.execute(sa.select(user.c.id)).all():
        conn.execute(user.update().where(user.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(24)))

    op.create_table('signin_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('remote_addr', sa.String(length=45), nullable=False),
    sa.Column('attempted_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signin_attempt'))
    )
    with op.batch_alter_table('signin_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signin_attempt_attempted_at'), ['attempted_at'], unique=False)
        batch_op.create_index('ix_signin_attempt_email_attempted_at', ['email', 'attempted_at'], unique=False)
        batch_op.create_index('ix_signin_attempt_remote_addr_attempted_at', ['remote_addr', 'attempted_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signin_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_signin_attempt_remote_addr_attempted_at')
        batch_op.drop_index('ix_signin_attempt_email_attempted_at')
        batch_op.drop_index(batch_op.f('ix_signin_attempt_attempted_at'))
    op.drop_table('signin_attempt')
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): no batch copy of "user", as in upgrade().
    op.drop_column('user', 'session_token')
