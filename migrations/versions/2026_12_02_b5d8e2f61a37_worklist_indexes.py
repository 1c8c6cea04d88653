"""worklist and sweep indexes: the task list's orders over open tasks, the sweep's pending clocks,
audit events by action and time, applications newest first

Revision ID: b5d8e2f61a37
Revises: e4a7c1b9d3f2
Create Date: 2026-12-02

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d8e2f61a37"
down_revision = "e4a7c1b9d3f2"
branch_labels = None
depends_on = None

_OPEN = sa.text("state = 'open'")
_TO_WARN = sa.text("ended_at IS NULL AND stopped_by IS NULL AND warned_at IS NULL")
_TO_ESCALATE = sa.text("ended_at IS NULL AND stopped_by IS NULL AND breached_at IS NULL")


def _where(clause):
    return {"postgresql_where": clause, "sqlite_where": clause}


def upgrade():
    op.create_index("ix_work_items_queue_due", "work_items", ["due_at", "id"], **_where(_OPEN))
    op.create_index("ix_work_items_queue_received", "work_items", ["created_at", "id"], **_where(_OPEN))
    op.create_index("ix_work_items_held", "work_items", ["claimed_by_id", "due_at", "id"], **_where(_OPEN))
    op.create_index("ix_service_clocks_to_warn", "service_clocks", ["warn_at"], **_where(_TO_WARN))
    op.create_index("ix_service_clocks_to_escalate", "service_clocks", ["deadline"], **_where(_TO_ESCALATE))
    op.create_index("ix_audit_events_action_at", "audit_events", ["action", "at"])
    op.create_index("ix_applications_newest", "applications", ["created_at", "id"])


def downgrade():
    op.drop_index("ix_applications_newest", table_name="applications")
    op.drop_index("ix_audit_events_action_at", table_name="audit_events")
    op.drop_index("ix_service_clocks_to_escalate", table_name="service_clocks")
    op.drop_index("ix_service_clocks_to_warn", table_name="service_clocks")
    op.drop_index("ix_work_items_held", table_name="work_items")
    op.drop_index("ix_work_items_queue_received", table_name="work_items")
    op.drop_index("ix_work_items_queue_due", table_name="work_items")
