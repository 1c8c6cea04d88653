"""authority scopes (permit types and units per account), password reset links, TOTP second factor,
confirmed emails, the mail outbox, signing holds after a revocation

Revision ID: 8c3d2e7f4a10
Revises: 5e1f0c2a9b7d
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c3d2e7f4a10"
down_revision = "5e1f0c2a9b7d"
branch_labels = None
depends_on = None

# Accounts that read applications before scopes existed keep reading all of them after the upgrade;
# the admin narrows them afterwards.
_READERS = ("front_office", "tim_teknis", "bendahara", "kepala_dinas", "pengawas")


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("all_permit_types", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("email_confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("certificate_hold_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("permit_types") as batch:
        batch.add_column(sa.Column("unit", sa.String(length=100), nullable=True))
    op.create_table(
        "authority_scopes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("permit_type_id", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("personal_documents", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["permit_type_id"], ["permit_types.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "permit_type_id", "unit", name="uq_authority_scopes_target"),
    )
    op.create_index("ix_authority_scopes_user_id", "authority_scopes", ["user_id"])
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("nonce_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_password_resets_user_id", "password_resets", ["user_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_sent_at", "outbox", ["sent_at"])
    op.execute("UPDATE users SET email_confirmed_at = created_at")
    readers = ", ".join(f"'{r}'" for r in _READERS)
    op.execute(
        f"UPDATE users SET all_permit_types = true WHERE id IN "
        f"(SELECT user_id FROM user_roles WHERE role IN ({readers}))"
    )


def downgrade():
    op.drop_index("ix_outbox_sent_at", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_password_resets_user_id", table_name="password_resets")
    op.drop_table("password_resets")
    op.drop_index("ix_authority_scopes_user_id", table_name="authority_scopes")
    op.drop_table("authority_scopes")
    with op.batch_alter_table("permit_types") as batch:
        batch.drop_column("unit")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("certificate_hold_at")
        batch.drop_column("email_confirmed_at")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_confirmed_at")
        batch.drop_column("totp_secret")
        batch.drop_column("all_permit_types")
