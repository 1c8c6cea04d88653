"""connectors and identity checks: the log of calls to other agencies; each account's birth data
and its last verdict from the population registry; whether a permit type requires a match; the
bills SKRDs open (with their bank virtual account) and the bank's payment notifications received; the reports owed
to other agencies (decisions for OSS) and the applications OSS forwards

Revision ID: 6a2f9c4e8b17
Revises: 9d41c7e2a6b3
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "6a2f9c4e8b17"
down_revision = "9d41c7e2a6b3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "connector_calls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("operation", sa.String(60), nullable=False),
        sa.Column("purpose", sa.String(120), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=True),
        sa.Column("subject", sa.String(60), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
    )
    op.create_index("ix_connector_calls_service_at", "connector_calls", ["service", "at"])
    op.create_table(
        "connector_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("operation", sa.String(60), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("receipt", sa.String(80), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
    )
    op.create_index("ix_connector_outbox_pending", "connector_outbox", ["sent_at", "next_try_at"])
    op.create_table(
        "forwarded_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False, unique=True),
        sa.Column("permit_type_id", sa.Integer(), sa.ForeignKey("permit_types.id"), nullable=False),
        sa.Column("nib", sa.String(20), nullable=False),
        sa.Column("business_name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("nik", sa.String(16), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=True),
    )
    op.create_table(
        "payment_bills",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=False),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=False, unique=True),
        sa.Column("number", sa.String(80), nullable=False, unique=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("va_number", sa.String(40), nullable=True, unique=True),
        sa.Column("qris", sa.Text(), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open_tried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_amount", sa.BigInteger(), nullable=True),
        sa.Column("channel", sa.String(12), nullable=True),
        sa.Column("bank_reference", sa.String(80), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_payment_bills_application_id", "payment_bills", ["application_id"])
    op.create_index("ix_payment_bills_status", "payment_bills", ["status"])
    op.create_table(
        "payment_notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("external_id", sa.String(64), nullable=False, unique=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bill_id", sa.Integer(), sa.ForeignKey("payment_bills.id"), nullable=True),
        sa.Column("outcome", sa.String(40), nullable=False),
    )
    with op.batch_alter_table("permit_types") as batch:
        batch.add_column(sa.Column("requires_identity_match", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("birth_place", sa.String(100), nullable=True))
        batch.add_column(sa.Column("identity_status", sa.String(20), nullable=False, server_default="belum"))
        batch.add_column(sa.Column("identity_mismatch", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("identity_checked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("identity_tried_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        for column in (
            "identity_tried_at",
            "identity_checked_at",
            "identity_mismatch",
            "identity_status",
            "birth_place",
            "birth_date",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("permit_types") as batch:
        batch.drop_column("requires_identity_match")
    op.drop_table("payment_notifications")
    op.drop_table("forwarded_requests")
    op.drop_table("payment_bills")
    op.drop_table("connector_outbox")
    op.drop_index("ix_connector_calls_service_at", table_name="connector_calls")
    op.drop_table("connector_calls")
