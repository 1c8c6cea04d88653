"""notices and public information: each event's key, title and link on the in-app notice, its
deliveries by email, SMS and WhatsApp, the admin's templates, each person's channels; the files a
form with errors holds; the application a renewal renews and the district it names; the satisfaction
survey's answers; complaints; the agency's directory and regulations; queue tickets; help-desk threads

Revision ID: b5d1e8f3a2c6
Revises: 6a2f9c4e8b17
Create Date: 2026-12-03

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d1e8f3a2c6"
down_revision = "6a2f9c4e8b17"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("key", sa.String(160), nullable=True))
        batch.add_column(sa.Column("title", sa.String(200), nullable=True))
        batch.add_column(sa.Column("link", sa.String(300), nullable=True))
        batch.create_unique_constraint("uq_notifications_key", ["key"])
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notification_id", sa.Integer(), sa.ForeignKey("notifications.id"), nullable=False),
        sa.Column("channel", sa.String(12), nullable=False),
        sa.Column("address", sa.String(255), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attachment_document_id", sa.Integer(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("notification_id", "channel", name="uq_notification_deliveries_channel"),
    )
    op.create_index("ix_notification_deliveries_due", "notification_deliveries", ["status", "next_try_at"])
    op.create_table(
        "notification_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event", sa.String(30), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("short", sa.String(480), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.UniqueConstraint("event", "language", name="uq_notification_templates_event"),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("email", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("sms", sa.Boolean(), nullable=False),
        sa.Column("whatsapp", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("attach_pdf", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("language", sa.String(5), nullable=False, server_default="id"),
    )
    op.create_table(
        "held_uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("form_key", sa.String(80), nullable=False),
        sa.Column("field", sa.String(100), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "form_key", "field", "sha256", name="uq_held_uploads_file"),
    )
    op.create_index("ix_held_uploads_user_id", "held_uploads", ["user_id"])
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("applications.id"), nullable=False, unique=True),
        sa.Column("permit_type_id", sa.Integer(), sa.ForeignKey("permit_types.id"), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("score_version", sa.Integer(), nullable=False),
    )
    op.create_index("ix_survey_responses_permit_type_id", "survey_responses", ["permit_type_id"])
    op.create_index("ix_survey_responses_month", "survey_responses", ["month"])
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("email", sa.String(255), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=False),
        sa.Column("publish_consent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("unit", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ack_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ack_escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer_escalated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_complaints_status", "complaints", ["status"])
    op.create_table(
        "queue_tickets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("counter", sa.String(20), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("slot_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("desk", sa.String(20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("called_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_queue_tickets_day", "queue_tickets", ["day"])
    op.create_table(
        "help_threads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_help_threads_author_id", "help_threads", ["author_id"])
    op.create_table(
        "help_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("thread_id", sa.Integer(), sa.ForeignKey("help_threads.id"), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_help_messages_thread_id", "help_messages", ["thread_id"])
    op.create_table(
        "directory_entries",
        sa.Column("key", sa.String(20), primary_key=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_table(
        "regulations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("stored_files.sha256"), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("permit_type_codes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("renews_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("district", sa.String(100), nullable=True))
        batch.create_foreign_key("fk_applications_renews_id", "applications", ["renews_id"], ["id"])


def downgrade():
    op.drop_index("ix_help_messages_thread_id", table_name="help_messages")
    op.drop_table("help_messages")
    op.drop_index("ix_help_threads_author_id", table_name="help_threads")
    op.drop_table("help_threads")
    op.drop_index("ix_queue_tickets_day", table_name="queue_tickets")
    op.drop_table("queue_tickets")
    op.drop_table("regulations")
    op.drop_table("directory_entries")
    op.drop_index("ix_complaints_status", table_name="complaints")
    op.drop_table("complaints")
    op.drop_index("ix_survey_responses_month", table_name="survey_responses")
    op.drop_index("ix_survey_responses_permit_type_id", table_name="survey_responses")
    op.drop_table("survey_responses")
    with op.batch_alter_table("applications") as batch:
        batch.drop_constraint("fk_applications_renews_id", type_="foreignkey")
        batch.drop_column("renews_id")
        batch.drop_column("district")
    op.drop_index("ix_held_uploads_user_id", table_name="held_uploads")
    op.drop_table("held_uploads")
    op.drop_table("notification_preferences")
    op.drop_table("notification_templates")
    op.drop_index("ix_notification_deliveries_due", table_name="notification_deliveries")
    op.drop_table("notification_deliveries")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_constraint("uq_notifications_key", type_="unique")
        batch.drop_column("link")
        batch.drop_column("title")
        batch.drop_column("key")
