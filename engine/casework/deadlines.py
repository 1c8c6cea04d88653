"""What happens when a stage's deadline passes without a decision, and when a BPMN timer is due.

The permit type's deadline policy decides a missed stage: ``eskalasi`` notifies the supervisor and
the head; ``fiktif_positif`` (PP 28/2025) deems the stage approved and the application goes on
along the diagram's approval path (each user task says what approval means in its
``deemedApproval`` property; a task without one, such as a payment, is escalated instead).
Both are recorded with the reason, and both are found by indexed columns, never by loading every
workflow. Each application is handled in a savepoint, so one failure does not stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, union_all, update
from sqlalchemy.orm import Session, joinedload

from engine.casework.applications import after_step, document_markers, flush_or_conflict, timer_rule
from engine.core.audit import record, record_many
from engine.core.clock import utcnow
from engine.core.errors import EngineError
from engine.core.models import AuditEvent
from engine.core.roles import APPLICANT, HEAD, SUPERVISOR
from engine.core.services import Services
from engine.notifications.models import Notification
from engine.workflow import runtime
from engine.workflow.models import Application, WorkItem
from engine.workflow.version_forms import load_workflow

log = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class StageSweep:
    escalated: list[int]
    deemed: list[int]


def _locked(session: Session, query):
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def _claim_overdue(session: Session, now: datetime) -> list[int]:
    """Stamp open staff tasks past their stage deadline, each exactly once across processes."""
    candidates = _locked(
        session,
        select(WorkItem.id)
        .where(
            WorkItem.state == "open", WorkItem.due_at <= now, WorkItem.overdue_at.is_(None), WorkItem.role != APPLICANT
        )
        .order_by(WorkItem.due_at)
        .limit(BATCH),
    )
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    result = session.execute(
        update(WorkItem)
        .where(WorkItem.id.in_(ids), WorkItem.overdue_at.is_(None))
        .values(overdue_at=now)
        .returning(WorkItem.id)
    )
    return sorted(result.scalars())


def deemed_reason(item: WorkItem, days: float) -> str:
    return (
        f"Tahap '{item.stage}' ({item.title}) tidak diputus dalam {days:g} hari kerja; "
        f"dianggap disetujui (fiktif positif, PP 28/2025)."
    )


def deem_approved(session: Session, services: Services, item: WorkItem, now: datetime) -> bool:
    """Complete ``item`` as approved on its deadline's behalf. False when the task has no approval
    path (then the caller escalates). Documents a person would sign get the agency seal.

    The approval is deemed given at the deadline itself, not when the sweep got to it a moment
    later: the stage (and a permit issued by it) is on time by law."""
    application = item.application
    if item.due_at is not None:  # (a task whose stage had run out before it was created: at its creation)
        now = min(now, max(item.due_at, item.created_at))
    workflow = load_workflow(application)
    approval = runtime.deemed_approval(workflow, item.task_id)
    if approval is None:
        return False
    task = runtime.find_ready(workflow, item.task_id)
    days = (application.permit_type.sla_stages or {}).get(item.stage, 0)
    reason = deemed_reason(item, days)
    issued_before = document_markers(workflow)
    runtime.complete(workflow, task, {**approval, "fiktif_positif": reason}, now)
    item.state, item.closed_at = "done", now
    after_step(session, services, application, workflow, None, now, issued_before, completed=item)
    record(
        session,
        "deemed_approved",
        application=application,
        work_item=item,
        now=now,
        summary={"tahap": item.stage, "alasan": reason},
    )
    flush_or_conflict(session)
    return True


def _escalation(item: WorkItem) -> tuple[list[dict], dict]:
    application = item.application
    text = (
        f"Tahap '{item.stage}' permohonan {application.reg_number} ({application.permit_type.name}) "
        f"melewati batas waktunya tanpa keputusan."
    )
    notes = [
        {"role": role, "user_id": None, "application_id": application.id, "kind": "tahap_terlambat", "message": text}
        for role in (SUPERVISOR, HEAD)
    ]
    event = {
        "application_id": application.id,
        "work_item_id": item.id,
        "task_title": item.title,
        "summary": {"tahap": item.stage, "batas": item.due_at.isoformat() if item.due_at else None},
    }
    return notes, event


def sweep_stages(session: Session, services: Services, now: datetime | None = None) -> StageSweep:
    """Apply each permit type's deadline policy to the stages that just missed their deadline."""
    now = now or utcnow()
    escalated, deemed, notes, events = [], [], [], []
    ids = _claim_overdue(session, now)
    items = (
        session.scalars(
            select(WorkItem)
            .where(WorkItem.id.in_(ids))
            .order_by(WorkItem.id)
            .options(joinedload(WorkItem.application).joinedload(Application.permit_type))
        ).all()
        if ids
        else []
    )
    for item in items:
        if item.application.permit_type.deadline_policy == "fiktif_positif":
            item_id = item.id
            try:
                with session.begin_nested():
                    if deem_approved(session, services, item, now):
                        deemed.append(item.application_id)
                        continue
            except EngineError as exc:  # e.g. an officer completed it at this very moment
                log.warning("Fiktif positif %s tidak dijalankan: %s", item_id, exc)
                session.expire_all()
                item = session.get(WorkItem, item_id)
                if item.state != "open":
                    continue
        more_notes, event = _escalation(item)
        notes += more_notes
        events.append(event)
        escalated.append(item.application_id)
    if notes:
        session.execute(insert(Notification), [{**n, "created_at": now} for n in notes])
    record_many(session, "stage_escalated", events, now)
    return StageSweep(escalated, deemed)


def fire_due_timers(session: Session, services: Services, now: datetime | None = None) -> list[int]:
    """Fire the BPMN timers that are due (found by ``applications.next_timer_at``) and run on."""
    now = now or utcnow()
    ids = list(
        session.scalars(
            _locked(
                session,
                select(Application.id)
                .where(Application.next_timer_at <= now)
                .order_by(Application.next_timer_at)
                .limit(BATCH),
            )
        )
    )
    fired_for = []
    for app_id in ids:
        try:
            with session.begin_nested():
                application = session.get(Application, app_id)
                workflow = load_workflow(application)
                issued_before = document_markers(workflow)
                rule = timer_rule(session, services, application, now)
                fired = runtime.fire_timers(workflow, rule, now)
                if not fired:  # paused by force majeure, or moved by it: look again when it can be due
                    application.next_timer_at = runtime.next_timer(workflow, rule, now)
                    flush_or_conflict(session)
                    continue
                after_step(session, services, application, workflow, None, now, issued_before)
                record(session, "timer_fired", application=application, now=now, summary={"timer": fired})
                flush_or_conflict(session)
                fired_for.append(app_id)
        except EngineError as exc:  # another scheduler got there first, or the diagram failed
            log.warning("Timer permohonan %s tidak dijalankan: %s", app_id, exc)
            session.expire_all()
    return fired_for


# --- for the dashboard -----------------------------------------------------------------------------

MISSED_ACTIONS = ("stage_escalated", "deemed_approved")


@dataclass(frozen=True)
class MissedStage:
    at: datetime
    application_id: int
    reg_number: str
    permit_type: str
    stage: str
    deemed: bool
    note: str


def missed_stages(
    session: Session, start: datetime, end: datetime, permit_types: Collection[int] | None = None, limit: int = 50
) -> tuple[dict[str, int], list[MissedStage]]:
    """Stages that missed their deadline in [start, end): counts per outcome and the latest ones, of
    the given permit types (None: all of them)."""

    def among(query, action=None):
        # Each reads the (action, at) index over the audit trail's few missed stages; the files are
        # joined only to keep a supervisor within their permit types.
        query = query.where(
            AuditEvent.action.in_(MISSED_ACTIONS) if action is None else AuditEvent.action == action,
            AuditEvent.at >= start,
            AuditEvent.at < end,
        )
        if permit_types is None:
            return query
        return query.join(Application, Application.id == AuditEvent.application_id).where(
            Application.permit_type_id.in_(list(permit_types))
        )

    counts = dict.fromkeys(MISSED_ACTIONS, 0)
    for action, count in session.execute(among(select(AuditEvent.action, func.count())).group_by(AuditEvent.action)):
        counts[action] = count
    # The latest of each kind, newest first along the index, then the latest of those: ordering
    # all of them by time instead walks the whole trail's time index past every other action.
    newest = [
        among(select(AuditEvent.id), action).order_by(AuditEvent.at.desc()).limit(limit).subquery()
        for action in MISSED_ACTIONS
    ]
    chosen = union_all(*(select(part.c.id) for part in newest))
    latest = []
    rows = session.execute(
        select(AuditEvent, Application)
        .join(Application, Application.id == AuditEvent.application_id)
        .where(AuditEvent.id.in_(chosen))
        .options(joinedload(Application.permit_type))
        .order_by(AuditEvent.at.desc())
        .limit(limit)
    )
    for event, application in rows:
        deemed = event.action == "deemed_approved"
        latest.append(
            MissedStage(
                at=event.at,
                application_id=application.id,
                reg_number=application.reg_number,
                permit_type=application.permit_type.name,
                stage=event.summary.get("tahap", ""),
                deemed=deemed,
                note=event.summary.get("alasan", "") if deemed else "Dieskalasikan kepada pengawas dan Kepala Dinas",
            )
        )
    return counts, latest
