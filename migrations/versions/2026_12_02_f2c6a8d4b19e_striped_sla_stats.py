"""striped service-time statistics: each histogram cell is spread over a few rows, so completions
of one stage by one officer in one month do not all wait on a single row lock

Revision ID: f2c6a8d4b19e
Revises: b5d8e2f61a37
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f2c6a8d4b19e"
down_revision = "b5d8e2f61a37"
branch_labels = None
depends_on = None

_CELL = ["month", "permit_type_id", "stage", "officer_id", "on_time", "quarter_days"]


def _table(name, striped):
    columns = [
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("permit_type_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("quarter_days", sa.Integer(), nullable=False),
    ]
    if striped:
        columns.append(sa.Column("slot", sa.Integer(), nullable=False))
    columns.append(sa.Column("count", sa.Integer(), nullable=False))
    key = _CELL + (["slot"] if striped else [])
    op.create_table(name, *columns, sa.PrimaryKeyConstraint(*key))


def _move(striped):
    _table("sla_stats_new", striped)
    cell = ", ".join(_CELL)
    if striped:
        op.execute(f"INSERT INTO sla_stats_new ({cell}, slot, count) SELECT {cell}, 0, count FROM sla_stats")
    else:
        op.execute(
            f"INSERT INTO sla_stats_new ({cell}, count) SELECT {cell}, SUM(count) FROM sla_stats GROUP BY {cell}"
        )
    op.drop_table("sla_stats")
    op.rename_table("sla_stats_new", "sla_stats")


def upgrade():
    _move(striped=True)


def downgrade():
    _move(striped=False)
