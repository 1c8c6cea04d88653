"""service clocks, stops, force majeure, calendar, notifications

Revision ID: d66893cf8fb7
Revises: 4519b3c1bdc6
Create Date: 2026-11-23

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d66893cf8fb7"
down_revision = "4519b3c1bdc6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "force_majeure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("permit_type_ids", sa.JSON(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_afterwards", sa.Boolean(), nullable=False),
        sa.Column("declared_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["declared_by_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "clock_stops",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("force_majeure_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["force_majeure_id"],
            ["force_majeure.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("clock_stops", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clock_stops_application_id"), ["application_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_clock_stops_force_majeure_id"), ["force_majeure_id"], unique=False)

    op.create_table(
        "service_clocks",
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("budget_minutes", sa.Integer(), nullable=False),
        sa.Column("used_minutes", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("warn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stopped_by", sa.String(length=20), nullable=True),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("breached_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
        ),
        sa.PrimaryKeyConstraint("application_id"),
    )
    with op.batch_alter_table("service_clocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_service_clocks_deadline"), ["deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_clocks_warn_at"), ["warn_at"], unique=False)

    op.create_table(
        "sla_stats",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("permit_type_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("quarter_days", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "permit_type_id", "stage", "officer_id", "on_time", "quarter_days"),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_target", ["user_id", "role"], unique=False)
        batch_op.create_index(batch_op.f("ix_notifications_application_id"), ["application_id"], unique=False)

    with op.batch_alter_table("permit_types", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sla_stages", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("sla_warning_ratio", sa.Double(), nullable=False, server_default="0.8"))
        batch_op.add_column(
            sa.Column("deadline_policy", sa.String(length=16), nullable=False, server_default="eskalasi")
        )

    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_work_items_open_due", ["state", "due_at"], unique=False)

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_timer_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_applications_next_timer_at"), ["next_timer_at"], unique=False)


def downgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_next_timer_at"))
        batch_op.drop_column("next_timer_at")

    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index("ix_work_items_open_due")
        batch_op.drop_column("overdue_at")
        batch_op.drop_column("stage")

    with op.batch_alter_table("permit_types", schema=None) as batch_op:
        batch_op.drop_column("deadline_policy")
        batch_op.drop_column("sla_warning_ratio")
        batch_op.drop_column("sla_stages")

    op.drop_table("notifications")
    op.drop_table("sla_stats")
    with op.batch_alter_table("service_clocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_clocks_warn_at"))
        batch_op.drop_index(batch_op.f("ix_service_clocks_deadline"))

    op.drop_table("service_clocks")
    with op.batch_alter_table("clock_stops", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clock_stops_force_majeure_id"))
        batch_op.drop_index(batch_op.f("ix_clock_stops_application_id"))

    op.drop_table("clock_stops")
    op.drop_table("force_majeure")
    op.drop_table("calendar_days")
