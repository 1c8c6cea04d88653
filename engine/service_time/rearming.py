"""Waiting BPMN timers moved when service time changes: after a force majeure is declared, ended or
recorded, or the working calendar changed, each waiting timer's due time is read again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.service_time import pause_windows, sla
from engine.workflow import runtime
from engine.workflow.models import Application
from engine.workflow.version_forms import load_workflow

BATCH = 500


def rearm_timers(session: Session, calendar, application_ids: list[int], now: datetime) -> int:
    """Re-read when the waiting timers of these applications can be due, after a force majeure was
    declared, ended or recorded, or the calendar changed (``force_majeure`` and ``sla_policy`` call this)."""
    windows = pause_windows.force_windows(session)
    wanted, ids = sorted(set(application_ids)), []
    for lo in range(0, len(wanted), BATCH):
        ids += session.scalars(
            select(Application.id).where(
                Application.id.in_(wanted[lo : lo + BATCH]), Application.next_timer_at.is_not(None)
            )
        )
    for app_id in ids:
        application = session.get(Application, app_id)
        workflow = load_workflow(application)
        application.next_timer_at = runtime.next_timer(workflow, sla.due_rule(calendar, application, windows), now)
    session.flush()
    return len(ids)
