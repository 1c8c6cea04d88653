"""stage start per work item, withdrawn notifications, session versions, audit hash chain; force majeure read from its own table

Revision ID: 5e1f0c2a9b7d
Revises: d47c2ec3e2cf
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1f0c2a9b7d"
down_revision = "d47c2ec3e2cf"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("work_items") as batch:
        batch.add_column(sa.Column("stage_started_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("audit_events") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_audit_events_seq", ["seq"])
    op.execute("UPDATE work_items SET stage_started_at = created_at")
    # Force majeure now pauses files through its own window rows; the per-file copies are gone.
    op.execute("DELETE FROM clock_stops WHERE reason = 'force_majeure'")


def downgrade():
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_constraint("uq_audit_events_seq", type_="unique")
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
        batch.drop_column("seq")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_version")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("withdrawn_at")
    with op.batch_alter_table("work_items") as batch:
        batch.drop_column("stage_started_at")
