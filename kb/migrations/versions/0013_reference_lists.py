"""managed lists: industry and region values with their English labels

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 22:30:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

#: The lists a new instance starts with (admins add, rename and deactivate values on /admin/lists).
#: Kept here literally: a migration must not change when application code does.
INDUSTRIES = [
    ("电信", "Telecommunications"), ("广电", "Broadcasting"), ("银行", "Banking"), ("保险", "Insurance"),
    ("证券", "Securities"), ("电网", "Power grid"), ("能源", "Energy"), ("汽车", "Automotive"),
    ("制造", "Manufacturing"), ("交通", "Transport"), ("政府", "Government"), ("医疗", "Healthcare"),
    ("教育", "Education"), ("零售", "Retail"), ("互联网", "Internet"),
]
REGIONS = [
    ("华东", "East China"), ("华南", "South China"), ("华北", "North China"), ("华中", "Central China"),
    ("西南", "Southwest China"), ("西北", "Northwest China"), ("东北", "Northeast China"),
    ("港澳台", "Hong Kong, Macao and Taiwan"), ("海外", "Overseas"),
]


def upgrade() -> None:
    table = op.create_table(
        'reference_value',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('value', sa.String(length=50), nullable=False),
        sa.Column('label_en', sa.String(length=50), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_value')),
        sa.UniqueConstraint('kind', 'value', name='uq_reference_value_kind_value'),
    )
    rows = [dict(kind=kind, value=value, label_en=label, position=i, active=True, version=1)
            for kind, values in (("industry", INDUSTRIES), ("region", REGIONS))
            for i, (value, label) in enumerate(values)]
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('reference_value')
