"""The sweep the scheduler runs: clocks near their deadline are warned about and clocks past it are
escalated, each claimed once, with a notification to whoever must act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session, joinedload

from engine.core.audit import record_many
from engine.core.clock import utcnow
from engine.core.roles import HEAD, SUPERVISOR
from engine.notifications.models import Notification
from engine.service_time.models import ServiceClock
from engine.workflow.models import Application, WorkItem


@dataclass(frozen=True)
class SweepResult:
    warned: list[int]
    escalated: list[int]


def _claim(session: Session, condition, stamp_column, now: datetime) -> list[int]:
    """Stamp the clocks matching ``condition`` and return their ids, each exactly once even when
    several sweeps run at the same time: rows another sweep holds are skipped (SKIP LOCKED on
    PostgreSQL), and the conditional UPDATE only returns rows it changed itself."""
    candidates = select(ServiceClock.application_id).where(condition, stamp_column.is_(None))
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    result = session.execute(
        update(ServiceClock)
        .where(ServiceClock.application_id.in_(ids), stamp_column.is_(None))
        .values({stamp_column.key: now})
        .returning(ServiceClock.application_id)
    )
    return sorted(result.scalars())


def sweep(session: Session, now: datetime | None = None) -> SweepResult:
    """Warn officers at the threshold and escalate breaches to the supervisor and the head, once each.

    Set-based: two UPDATE statements over the indexed ``warn_at`` and ``deadline`` columns; only the
    notifications are written per application. The caller commits.
    """
    now = now or utcnow()
    running = (ServiceClock.ended_at.is_(None), ServiceClock.stopped_by.is_(None))
    warned = _claim(session, and_(*running, ServiceClock.warn_at <= now), ServiceClock.warned_at, now)
    escalated = _claim(session, and_(*running, ServiceClock.deadline <= now), ServiceClock.breached_at, now)
    if warned or escalated:
        _notify(session, warned, escalated, now)
    return SweepResult(warned, escalated)


def _notify(session: Session, warned: list[int], escalated: list[int], now: datetime) -> None:
    """Notifications and audit rows for the sweep, written in bulk (a catch-up can be thousands)."""
    ids = set(warned) | set(escalated)
    applications = {
        a.id: a
        for a in session.scalars(
            select(Application).where(Application.id.in_(ids)).options(joinedload(Application.permit_type))
        )
    }
    items: dict[int, list[WorkItem]] = {}
    for item in session.scalars(select(WorkItem).where(WorkItem.application_id.in_(ids), WorkItem.state == "open")):
        items.setdefault(item.application_id, []).append(item)
    notes, warnings, escalations = [], [], []
    for app_id in warned:
        application = applications[app_id]
        text = (
            f"Permohonan {application.reg_number} ({application.permit_type.name}) mendekati batas waktu "
            f"layanan. Tahap: {application.stage}."
        )
        targets = {(i.claimed_by_id, None if i.claimed_by_id else i.role) for i in items.get(app_id, [])}
        for user_id, role in sorted(targets or {(None, "front_office")}, key=str):
            notes.append(
                {
                    "user_id": user_id,
                    "role": role,
                    "application_id": app_id,
                    "kind": "sla_peringatan",
                    "message": text,
                    "created_at": now,
                }
            )
        warnings.append({"application_id": app_id, "summary": {"tahap": application.stage}})
    for app_id in escalated:
        application = applications[app_id]
        text = (
            f"Permohonan {application.reg_number} ({application.permit_type.name}) MELEWATI batas waktu "
            f"layanan. Tahap: {application.stage}."
        )
        for role in (SUPERVISOR, HEAD):
            notes.append(
                {
                    "user_id": None,
                    "role": role,
                    "application_id": app_id,
                    "kind": "sla_eskalasi",
                    "message": text,
                    "created_at": now,
                }
            )
        escalations.append({"application_id": app_id, "summary": {"tahap": application.stage}})
    session.execute(insert(Notification), notes)
    record_many(session, "sla_warning", warnings, now)
    record_many(session, "sla_escalated", escalations, now)
