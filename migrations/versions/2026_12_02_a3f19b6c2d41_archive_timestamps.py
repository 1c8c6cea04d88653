"""archive timestamps: when each signed document's B-LTA timestamp is renewed, and the earlier
revisions of renewed documents

Revision ID: a3f19b6c2d41
Revises: 8c3d2e7f4a10
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a3f19b6c2d41"
down_revision = "8c3d2e7f4a10"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("archive_renew_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_documents_archive_renew_at", ["archive_renew_at"])
    op.create_table(
        "archived_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"]),
        sa.ForeignKeyConstraint(["sha256"], ["stored_files.sha256"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_archived_revisions_document_id", "archived_revisions", ["document_id"])
    op.create_index("ix_archived_revisions_sha256", "archived_revisions", ["sha256"])
    # Documents signed before B-LTA (no document timestamp yet) get one at the next sweeps.
    op.execute(sa.text("UPDATE documents SET archive_renew_at = CURRENT_TIMESTAMP WHERE signature IN ('segel', 'tte')"))


def downgrade():
    op.drop_index("ix_archived_revisions_sha256", table_name="archived_revisions")
    op.drop_index("ix_archived_revisions_document_id", table_name="archived_revisions")
    op.drop_table("archived_revisions")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_archive_renew_at")
        batch.drop_column("archive_renew_at")
