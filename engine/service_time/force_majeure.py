"""Force majeure (keadaan kahar, Metro 76/2018 art. 16): declared by the Kepala Dinas or an admin,
live or afterwards, for every permit type or some. A window pauses everything time-driven in its
scope (``pause_windows.force_stops``); declaring or ending one recomputes the files it touches at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase
from engine.core.roles import ADMIN, HEAD
from engine.core.services import Services
from engine.notifications import events
from engine.service_time.clock_refresh import refresh_many
from engine.service_time.models import ForceMajeure, ServiceClock
from engine.service_time.rearming import rearm_timers
from engine.service_time.sla import FORCE_MAJEURE_CATEGORIES, aware
from engine.service_time.working_time import WorkCalendar
from engine.workflow.models import Application, PermitType


def _require_declarer(actor: User) -> None:
    if not (actor.has_role(HEAD) or actor.has_role(ADMIN)):
        raise PermissionDenied(Phrase("Hanya Kepala Dinas atau Administrator yang dapat menyatakan keadaan kahar."))


def affected_by(session: Session, force: ForceMajeure) -> list[int]:
    """The files a force majeure touches: every open one in its scope, received or not, and those
    finished after it began (their service time is restated)."""
    scope = []
    if force.permit_type_ids is not None:
        scope.append(Application.permit_type_id.in_(force.permit_type_ids))
    open_ids = session.scalars(
        select(Application.id).where(Application.closed_at.is_(None), Application.submitted_at.is_not(None), *scope)
    )
    finished_ids = session.scalars(
        select(ServiceClock.application_id)
        .join(Application)
        .where(
            ServiceClock.ended_at > force.started_at,
            ServiceClock.started_at < (force.ended_at or ServiceClock.ended_at),
            *scope,
        )
    )
    return sorted(set(open_ids) | set(finished_ids))


def _apply(
    session: Session, calendar: WorkCalendar, force: ForceMajeure, now: datetime, cause: str, services: Services | None
) -> int:
    ids = affected_by(session, force)
    refresh_many(session, calendar, ids, now, cause=cause)
    rearm_timers(session, calendar, ids, now)
    if services is not None and ids:
        _tell_applicants(session, services, force, ids, now)
    return len(ids)


def _tell_applicants(session: Session, services: Services, force: ForceMajeure, ids: list[int], now: datetime) -> None:
    """The applicants of the open files hear of it: that their clock stopped while it goes on, and
    their new deadline once its end is known."""
    open_files = list(
        session.scalars(select(Application).where(Application.id.in_(ids), Application.closed_at.is_(None)))
    )
    if force.ended_at is None:
        what = FORCE_MAJEURE_CATEGORIES.get(force.category, force.category).lower()
        events.service_paused(session, services, open_files, force.id, aware(force.started_at), what, now)
        return
    deadlines = dict(
        session.execute(
            select(ServiceClock.application_id, ServiceClock.deadline).where(
                ServiceClock.application_id.in_([a.id for a in open_files])
            )
        ).all()
    )
    events.deadline_extended(
        session,
        services,
        [(a, deadlines.get(a.id)) for a in open_files],
        force.id,
        aware(force.started_at),
        aware(force.ended_at),
        now,
    )


def declare_force_majeure(
    session: Session,
    calendar: WorkCalendar,
    actor: User,
    *,
    category: str,
    description: str,
    permit_type_codes: list[str] | None,
    started_at: datetime,
    ended_at: datetime | None = None,
    now: datetime | None = None,
    rearm_timers=None,
    services: Services | None = None,
) -> ForceMajeure:
    """Declare force majeure from ``started_at`` (and, for an outage recorded afterwards, to
    ``ended_at``). Everything time-driven in scope pauses for exactly that window: service clocks
    (also those that start during it), stage deadlines of files received or not, the deadline
    policy, and BPMN timers (their due times move). Warnings and escalations
    that the window makes void are withdrawn and sent again when really due. With ``services``,
    the applicants of the open files are told (``notifications.events``).

    Errors: PermissionDenied, ValidationFailed (category, description, times, unknown permit type).
    """
    now = now or utcnow()
    _require_declarer(actor)
    errors = {}
    if category not in FORCE_MAJEURE_CATEGORIES:
        errors["kategori"] = Phrase("Pilih kategori keadaan kahar.")
    if len((description or "").strip()) < 10:
        errors["uraian"] = Phrase("Uraikan keadaannya (paling sedikit 10 karakter).")
    if started_at > now:
        errors["mulai"] = Phrase("Waktu mulai tidak boleh di masa depan.")
    if ended_at is not None and ended_at <= started_at:
        errors["selesai"] = Phrase("Waktu selesai harus setelah waktu mulai.")
    if ended_at is not None and ended_at > now:
        errors["selesai"] = Phrase("Waktu selesai tidak boleh di masa depan; akhiri keadaan kahar saat sudah pulih.")
    type_ids = None
    if permit_type_codes:
        found = {
            p.code: p.id for p in session.scalars(select(PermitType).where(PermitType.code.in_(permit_type_codes)))
        }
        missing = sorted(set(permit_type_codes) - set(found))
        if missing:
            errors["jenis_izin"] = Phrase("Jenis izin tidak dikenal: %(missing)s.", missing=", ".join(missing))
        type_ids = sorted(found.values())
    if errors:
        raise ValidationFailed(Phrase("Pernyataan keadaan kahar belum dapat disimpan."), errors)
    force = ForceMajeure(
        category=category,
        description=description.strip(),
        permit_type_ids=type_ids,
        started_at=started_at,
        ended_at=ended_at,
        recorded_afterwards=ended_at is not None,
        declared_by_id=actor.id,
        created_at=now,
    )
    session.add(force)
    session.flush()
    count = _apply(session, calendar, force, now, f"keadaan kahar #{force.id} dinyatakan", services)
    record(
        session,
        "force_majeure_declared",
        actor=actor,
        now=now,
        summary={
            "kategori": category,
            "mulai": started_at.isoformat(),
            "selesai": ended_at.isoformat() if ended_at else None,
            "cakupan": permit_type_codes or "semua",
            "permohonan_terdampak": count,
        },
    )
    return force


def end_force_majeure(
    session: Session,
    calendar: WorkCalendar,
    actor: User,
    force_id: int,
    ended_at: datetime | None = None,
    now: datetime | None = None,
    rearm_timers=None,
    services: Services | None = None,
) -> ForceMajeure:
    """Close a force majeure; everything it paused runs again with its remaining time intact (and,
    with ``services``, the applicants of the open files learn their new deadline)."""
    now = now or utcnow()
    _require_declarer(actor)
    force = session.get(ForceMajeure, force_id)
    if force is None:
        raise NotFound(Phrase("Keadaan kahar tidak ditemukan."))
    ended_at = ended_at or now
    if force.ended_at is not None:
        raise ValidationFailed(Phrase("Keadaan kahar ini sudah diakhiri."), {"selesai": Phrase("Sudah diakhiri.")})
    if ended_at <= aware(force.started_at) or ended_at > now:
        raise ValidationFailed(
            Phrase("Waktu selesai tidak valid."), {"selesai": Phrase("Harus setelah mulai dan tidak di masa depan.")}
        )
    force.ended_at = ended_at
    session.flush()
    count = _apply(session, calendar, force, now, f"keadaan kahar #{force.id} diakhiri", services)
    record(
        session,
        "force_majeure_ended",
        actor=actor,
        now=now,
        summary={"kategori": force.category, "selesai": ended_at.isoformat(), "permohonan_terdampak": count},
    )
    return force
