"""signatures, certificates, document status

Revision ID: 4519b3c1bdc6
Revises: ad1bfe3a9c04
Create Date: 2026-11-23

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "4519b3c1bdc6"
down_revision = "ad1bfe3a9c04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signer_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=400), nullable=False),
        sa.Column("issuer", sa.String(length=400), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("p12", sa.LargeBinary(), nullable=True),
        sa.Column("cert_der", sa.LargeBinary(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("serial"),
    )
    with op.batch_alter_table("signer_certificates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signer_certificates_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("signer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signer_certificate_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("status_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("superseded_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_documents_superseded_by", "documents", ["superseded_by_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_documents_signer_certificate", "signer_certificates", ["signer_certificate_id"], ["id"]
        )
        batch_op.create_foreign_key("fk_documents_signer", "users", ["signer_id"], ["id"])

    with op.batch_alter_table("permit_types", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("signing_mode", sa.String(length=12), nullable=False, server_default="elektronik")
        )
        batch_op.add_column(sa.Column("validity", sa.JSON(), nullable=False, server_default="{}"))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("rank", sa.String(length=100), nullable=True))

    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signs", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_column("signs")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("rank")
        batch_op.drop_column("position")

    with op.batch_alter_table("permit_types", schema=None) as batch_op:
        batch_op.drop_column("validity")
        batch_op.drop_column("signing_mode")

    with op.batch_alter_table("documents", schema=None) as batch_op:
        for name in ("fk_documents_superseded_by", "fk_documents_signer_certificate", "fk_documents_signer"):
            batch_op.drop_constraint(name, type_="foreignkey")
        batch_op.drop_column("superseded_by_id")
        batch_op.drop_column("status_changed_at")
        batch_op.drop_column("status_reason")
        batch_op.drop_column("valid_until")
        batch_op.drop_column("signed_at")
        batch_op.drop_column("signer_certificate_id")
        batch_op.drop_column("signer_id")
        batch_op.drop_column("signature")

    with op.batch_alter_table("signer_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signer_certificates_user_id"))

    op.drop_table("signer_certificates")
