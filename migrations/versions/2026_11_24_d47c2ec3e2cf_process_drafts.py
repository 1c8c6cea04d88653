"""process drafts

Revision ID: d47c2ec3e2cf
Revises: d66893cf8fb7
Create Date: 2026-11-24

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d47c2ec3e2cf"
down_revision = "d66893cf8fb7"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "process_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permit_type_id", sa.Integer(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_version_id"],
            ["process_versions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["permit_type_id"],
            ["permit_types.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("permit_type_id"),
    )


def downgrade():
    op.drop_table("process_drafts")
