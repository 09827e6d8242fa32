"""next steps keep their interaction's account, visibility and archived time, kept by the database

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 12:00:00.000000

The dashboards (home, group page) count the open next steps of up to 200 accounts: with only the
interaction holding the account, visibility and archived state, that meant visiting every interaction of
every account (a hash join over the whole next_step table on PostgreSQL: 30-50 ms at 2,000 accounts). The
copies on next_step let one index range per account answer (ix_next_step_account_open). Triggers keep
them equal to the interaction's on every write, whatever makes it (services, imports, the demo loader,
bulk inserts of the benchmark and tests): on insert into next_step (or a change of its interaction_id), and
on every change of an interaction's account_id, visibility or archived_at.
"""
from alembic import op
import sqlalchemy as sa

import models


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

KEPT = "account_id, visibility, interaction_archived_at"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER tr_next_step_kept_insert AFTER INSERT ON next_step BEGIN
        UPDATE next_step SET
            account_id = (SELECT account_id FROM interaction WHERE id = NEW.interaction_id),
            visibility = (SELECT visibility FROM interaction WHERE id = NEW.interaction_id),
            interaction_archived_at = (SELECT archived_at FROM interaction WHERE id = NEW.interaction_id)
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER tr_next_step_kept_move AFTER UPDATE OF interaction_id ON next_step BEGIN
        UPDATE next_step SET
            account_id = (SELECT account_id FROM interaction WHERE id = NEW.interaction_id),
            visibility = (SELECT visibility FROM interaction WHERE id = NEW.interaction_id),
            interaction_archived_at = (SELECT archived_at FROM interaction WHERE id = NEW.interaction_id)
        WHERE id = NEW.id;
    END""",
    """CREATE TRIGGER tr_interaction_kept_steps AFTER UPDATE OF account_id, visibility, archived_at
        ON interaction BEGIN
        UPDATE next_step SET account_id = NEW.account_id, visibility = NEW.visibility,
            interaction_archived_at = NEW.archived_at
        WHERE interaction_id = NEW.id;
    END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION next_step_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT i.account_id, i.visibility, i.archived_at
            INTO NEW.account_id, NEW.visibility, NEW.interaction_archived_at
            FROM interaction i WHERE i.id = NEW.interaction_id;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER tr_next_step_kept BEFORE INSERT OR UPDATE OF interaction_id ON next_step
        FOR EACH ROW EXECUTE FUNCTION next_step_kept()""",
    """CREATE FUNCTION interaction_kept_steps() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.visibility IS DISTINCT FROM OLD.visibility
                OR NEW.archived_at IS DISTINCT FROM OLD.archived_at THEN
            UPDATE next_step SET account_id = NEW.account_id, visibility = NEW.visibility,
                interaction_archived_at = NEW.archived_at
            WHERE interaction_id = NEW.id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER tr_interaction_kept_steps AFTER UPDATE OF account_id, visibility, archived_at
        ON interaction FOR EACH ROW EXECUTE FUNCTION interaction_kept_steps()""",
]


def upgrade() -> None:
    with op.batch_alter_table('next_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('visibility', sa.Enum('org', 'team', name='visibility', native_enum=False,
                                                            create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('interaction_archived_at', models.base.UTCDateTime(timezone=True),
                                      nullable=True))
    postgres = op.get_bind().dialect.name == 'postgresql'
    if postgres:
        op.execute("UPDATE next_step SET account_id = i.account_id, visibility = i.visibility, "
                   "interaction_archived_at = i.archived_at FROM interaction i WHERE i.id = next_step.interaction_id")
    else:
        op.execute("UPDATE next_step SET "
                   "account_id = (SELECT account_id FROM interaction WHERE id = next_step.interaction_id), "
                   "visibility = (SELECT visibility FROM interaction WHERE id = next_step.interaction_id), "
                   "interaction_archived_at = (SELECT archived_at FROM interaction "
                   "WHERE id = next_step.interaction_id)")
    op.create_index('ix_next_step_account_open', 'next_step',
                    ['account_id', 'done', 'interaction_archived_at', 'due_on', 'visibility'], unique=False)
    for statement in (POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS tr_interaction_kept_steps ON interaction")
        op.execute("DROP TRIGGER IF EXISTS tr_next_step_kept ON next_step")
        op.execute("DROP FUNCTION IF EXISTS interaction_kept_steps()")
        op.execute("DROP FUNCTION IF EXISTS next_step_kept()")
    else:
        for name in ("tr_interaction_kept_steps", "tr_next_step_kept_move", "tr_next_step_kept_insert"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index('ix_next_step_account_open', table_name='next_step')
    with op.batch_alter_table('next_step', schema=None) as batch_op:
        batch_op.drop_column('interaction_archived_at')
        batch_op.drop_constraint('visibility', type_='check')
        batch_op.drop_column('visibility')
        batch_op.drop_column('account_id')
