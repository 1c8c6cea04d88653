"""scheduler beats: when a scheduler last finished a sweep, for the readiness check

Revision ID: e4a7c1b9d3f2
Revises: c7b2e94d1f05
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e4a7c1b9d3f2"
down_revision = "c7b2e94d1f05"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scheduler_beats",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade():
    op.drop_table("scheduler_beats")
