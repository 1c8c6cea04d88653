"""Service-time clocks: started at the receipt, stopped while the file is with the applicant or
during force majeure, ended at issuance or rejection, measured in office time.

The clock's figures (minutes used, deadline) are always recomputed from the stored stops with
``working_time.read_clock``, so a pause never loses or double-counts time and a force majeure
recorded afterwards moves every affected deadline exactly. Every function takes ``now``.
"""
from __future__ import annotations

from dataclasses import dataclass
from time import monotonic
from datetime import date, datetime, time, timezone

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session, joinedload

from .audit import record, record_many
from .clock import utcnow
from .errors import NotFound, PermissionDenied, ValidationFailed
from .models import (Application, CalendarDay, ClockStop, ForceMajeure, Notification, PermitType, ServiceClock, User,
                     WorkItem)
from . import sla_stats
from .roles import ADMIN, APPLICANT, HEAD, SUPERVISOR
from .specs import CLOCK_STOPS
from .working_time import ClockReading, Stop, WorkCalendar, national_holidays, read_clock

# Metro Pasal 16: the kinds of force majeure that stop the service clock.
FORCE_MAJEURE_CATEGORIES = {
    "kerusakan_jaringan": "Kerusakan infrastruktur jaringan",
    "petugas_tidak_dapat_bekerja": "Petugas TI tidak dapat bekerja",
    "layanan_terhenti": "Layanan terhenti sampai keadaan stabil",
}
STOP_REASONS = {"pemohon": "Berkas dikembalikan kepada Pemohon untuk diperbaiki",
                "pembayaran": "Menunggu pembayaran retribusi oleh Pemohon (SKRD)",
                "force_majeure": "Keadaan kahar"}
# Stops that last while the file waits on the applicant (the rest are force majeure).
APPLICANT_WAITS = tuple(CLOCK_STOPS)


@dataclass(frozen=True)
class CalendarSettings:
    zone: str = "WIB"
    start: time = time(8, 0)
    end: time = time(16, 0)


_NATIONAL: dict[tuple[int, int], dict[date, str]] = {}
# The admin's calendar changes, re-read at most this often (seconds): they change a few times a year,
# and every process (web workers, scheduler) picks them up within this delay.
CALENDAR_TTL = 60.0
_OVERRIDES: dict[str, tuple[float, list[tuple[date, str, str]]]] = {}


def forget_calendar_changes() -> None:
    _OVERRIDES.clear()


def _overrides(session: Session) -> list[tuple[date, str, str]]:
    key = str(session.get_bind().url)
    cached = _OVERRIDES.get(key)
    if cached is None or monotonic() - cached[0] > CALENDAR_TTL:
        rows = [(r.day, r.kind, r.name) for r in session.scalars(select(CalendarDay))]
        cached = _OVERRIDES[key] = (monotonic(), rows)
    return cached[1]


def calendar_for(session: Session, settings: CalendarSettings, now: datetime | None = None) -> WorkCalendar:
    """The working calendar: national holidays and cuti bersama, then the admin's own changes."""
    year = (now or utcnow()).year
    key = (year - 1, year + 2)
    if key not in _NATIONAL:
        _NATIONAL[key] = national_holidays(range(key[0], key[1] + 1))
    days_off = dict(_NATIONAL[key])
    extra = set()
    for day, kind, name in _overrides(session):
        if kind == "libur":
            days_off[day] = name
        else:
            days_off.pop(day, None)
            extra.add(day)
    return WorkCalendar(zone=settings.zone, start=settings.start, end=settings.end, days_off=days_off,
                        extra_workdays=frozenset(extra))


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _stop_rows(session: Session, application_id: int) -> list[ClockStop]:
    return list(session.scalars(select(ClockStop).where(ClockStop.application_id == application_id)))


def _stops(rows: list[ClockStop]) -> list[Stop]:
    return [Stop(_aware(s.started_at), _aware(s.ended_at), s.reason) for s in rows]


def reading(session: Session, calendar: WorkCalendar, clock: ServiceClock, now: datetime) -> ClockReading:
    return read_clock(calendar, _aware(clock.started_at), clock.budget_minutes,
                      _stops(_stop_rows(session, clock.application_id)), now, _aware(clock.ended_at))


def refresh(session: Session, calendar: WorkCalendar, application: Application, now: datetime,
            open_items: list[WorkItem] | None = None, stop_rows: list[ClockStop] | None = None) -> None:
    """Recompute the application's clock and the due times of its open tasks from the stops."""
    clock = session.get(ServiceClock, application.id)
    if clock is None:
        return
    stops = _stops(stop_rows if stop_rows is not None else _stop_rows(session, application.id))
    current = read_clock(calendar, _aware(clock.started_at), clock.budget_minutes, stops, now, _aware(clock.ended_at))
    clock.used_minutes, clock.deadline, clock.stopped_by = current.used_minutes, current.deadline, current.stopped_by
    clock.computed_at = now
    clock.warn_at = None
    if current.deadline is not None:
        before_warning = round(application.permit_type.sla_warning_ratio * clock.budget_minutes) - current.used_minutes
        clock.warn_at = calendar.add_minutes(now, before_warning) if before_warning > 0 else now
    if open_items is None:
        open_items = list(session.scalars(select(WorkItem).where(WorkItem.application_id == application.id,
                                                                 WorkItem.state == "open")))
    _set_stage_due(application, calendar, stops, now, open_items)


def _set_stage_due(application: Application, calendar: WorkCalendar, stops: list[Stop], now: datetime,
                   open_items: list[WorkItem] | None) -> None:
    targets = application.permit_type.sla_stages or {}
    for item in open_items or []:
        days = targets.get(item.stage)
        if days:
            item.due_at = read_clock(calendar, _aware(item.created_at), round(days * calendar.minutes_per_day),
                                     stops, now).deadline


def on_step(session: Session, settings: CalendarSettings, application: Application, *, receipt_issued: bool,
            waiting: str | None, finished: bool, now: datetime, open_items: list[WorkItem] | None = None,
            completed: WorkItem | None = None) -> None:
    """Called by every verb's final step: start, stop, resume or end the clock as the file moves,
    and count the finished stage (and service) for the statistics. ``waiting`` names why the file
    now waits on the applicant ("pemohon": returned for correction, "pembayaran": the SKRD), if it does."""
    clock = session.get(ServiceClock, application.id)
    calendar = calendar_for(session, settings, now)
    if clock is None and not receipt_issued:
        _set_stage_due(application, calendar, [], now, open_items)  # e.g. the front office's check
        return
    if clock is None:
        budget = round((application.permit_type.sla_working_days or 0) * calendar.minutes_per_day)
        clock = ServiceClock(application_id=application.id, started_at=now, budget_minutes=budget,
                             used_minutes=0, computed_at=now)
        session.add(clock)
        session.flush()
    rows = _stop_rows(session, application.id)
    waiting = None if finished else waiting
    open_wait = next((r for r in rows if r.reason in APPLICANT_WAITS and r.ended_at is None), None)
    if open_wait is not None and open_wait.reason != waiting:
        open_wait.ended_at = now
        open_wait = None
    if waiting and open_wait is None:
        stop = ClockStop(application_id=application.id, started_at=now, reason=waiting,
                         note=STOP_REASONS.get(waiting, waiting))
        session.add(stop)
        rows.append(stop)
    stops = _stops(rows)
    if completed is not None and completed.role != APPLICANT:
        stage_used = read_clock(calendar, _aware(completed.created_at), 0, stops, now, now).used_minutes
        due = _aware(completed.due_at)
        sla_stats.add(session, calendar, ended=now, permit_type_id=application.permit_type_id,
                      stage=completed.stage or completed.title, officer_id=completed.completed_by_id,
                      used_minutes=stage_used, on_time=due is None or now <= due)
    if finished and clock.ended_at is None:
        clock.ended_at = now
        used = read_clock(calendar, _aware(clock.started_at), clock.budget_minutes, stops, now, now).used_minutes
        sla_stats.add(session, calendar, ended=now, permit_type_id=application.permit_type_id, stage="",
                      officer_id=None, used_minutes=used, on_time=used <= clock.budget_minutes)
    refresh(session, calendar, application, now, open_items, rows)


# --- force majeure -----------------------------------------------------------------------------

def _require_declarer(actor: User) -> None:
    if not (actor.has_role(HEAD) or actor.has_role(ADMIN)):
        raise PermissionDenied("Hanya Kepala Dinas atau Administrator yang dapat menyatakan keadaan kahar.")


def _affected_clocks(session: Session, force: ForceMajeure, until: datetime) -> list[ServiceClock]:
    query = select(ServiceClock).join(Application).where(ServiceClock.started_at < until)
    if force.permit_type_ids is not None:
        query = query.where(Application.permit_type_id.in_(force.permit_type_ids))
    return [c for c in session.scalars(query)
            if c.ended_at is None or _aware(c.ended_at) > _aware(force.started_at)]


def declare_force_majeure(session: Session, calendar: WorkCalendar, actor: User, *, category: str,
                          description: str, permit_type_codes: list[str] | None, started_at: datetime,
                          ended_at: datetime | None = None, now: datetime | None = None) -> ForceMajeure:
    """Declare force majeure from ``started_at`` (and, for an outage recorded afterwards, to
    ``ended_at``). Every running clock in scope stops for exactly that window; no other clock moves.

    Errors: PermissionDenied, ValidationFailed (category, description, times, unknown permit type).
    """
    now = now or utcnow()
    _require_declarer(actor)
    errors = {}
    if category not in FORCE_MAJEURE_CATEGORIES:
        errors["kategori"] = "Pilih kategori keadaan kahar."
    if len((description or "").strip()) < 10:
        errors["uraian"] = "Uraikan keadaannya (paling sedikit 10 karakter)."
    if started_at > now:
        errors["mulai"] = "Waktu mulai tidak boleh di masa depan."
    if ended_at is not None and ended_at <= started_at:
        errors["selesai"] = "Waktu selesai harus setelah waktu mulai."
    if ended_at is not None and ended_at > now:
        errors["selesai"] = "Waktu selesai tidak boleh di masa depan; akhiri keadaan kahar saat sudah pulih."
    type_ids = None
    if permit_type_codes:
        found = {p.code: p.id for p in session.scalars(select(PermitType).where(PermitType.code.in_(permit_type_codes)))}
        missing = sorted(set(permit_type_codes) - set(found))
        if missing:
            errors["jenis_izin"] = f"Jenis izin tidak dikenal: {', '.join(missing)}."
        type_ids = sorted(found.values())
    if errors:
        raise ValidationFailed("Pernyataan keadaan kahar belum dapat disimpan.", errors)
    force = ForceMajeure(category=category, description=description.strip(), permit_type_ids=type_ids,
                         started_at=started_at, ended_at=ended_at, recorded_afterwards=ended_at is not None,
                         declared_by_id=actor.id, created_at=now)
    session.add(force)
    session.flush()
    clocks = _affected_clocks(session, force, ended_at or now)
    for clock in clocks:
        session.add(ClockStop(application_id=clock.application_id, reason="force_majeure",
                              started_at=max(started_at, _aware(clock.started_at)), ended_at=ended_at,
                              note=f"{FORCE_MAJEURE_CATEGORIES[category]}: {force.description}"[:2000],
                              force_majeure_id=force.id))
    session.flush()
    for clock in clocks:
        refresh(session, calendar, clock.application, now)
    record(session, "force_majeure_declared", actor=actor, now=now,
           summary={"kategori": category, "mulai": started_at.isoformat(),
                    "selesai": ended_at.isoformat() if ended_at else None,
                    "cakupan": permit_type_codes or "semua", "permohonan_terdampak": len(clocks)})
    return force


def end_force_majeure(session: Session, calendar: WorkCalendar, actor: User, force_id: int,
                      ended_at: datetime | None = None, now: datetime | None = None) -> ForceMajeure:
    """Close a force majeure; the stopped clocks run again with their remaining time intact."""
    now = now or utcnow()
    _require_declarer(actor)
    force = session.get(ForceMajeure, force_id)
    if force is None:
        raise NotFound("Keadaan kahar tidak ditemukan.")
    ended_at = ended_at or now
    if force.ended_at is not None:
        raise ValidationFailed("Keadaan kahar ini sudah diakhiri.", {"selesai": "Sudah diakhiri."})
    if ended_at <= _aware(force.started_at) or ended_at > now:
        raise ValidationFailed("Waktu selesai tidak valid.", {"selesai": "Harus setelah mulai dan tidak di masa depan."})
    force.ended_at = ended_at
    stops = list(session.scalars(select(ClockStop).where(ClockStop.force_majeure_id == force.id)))
    for stop in stops:
        stop.ended_at = ended_at
    session.flush()
    for stop in stops:
        refresh(session, calendar, session.get(Application, stop.application_id), now)
    record(session, "force_majeure_ended", actor=actor, now=now,
           summary={"kategori": force.category, "selesai": ended_at.isoformat(), "permohonan_terdampak": len(stops)})
    return force


def active_stops(session: Session, application: Application) -> list[ClockStop]:
    """Stops going on now, for the pause notice shown to staff, the applicant and public tracking."""
    return list(session.scalars(select(ClockStop).where(ClockStop.application_id == application.id,
                                                        ClockStop.ended_at.is_(None))))


# --- the sweep ---------------------------------------------------------------------------------

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
    result = session.execute(update(ServiceClock).where(ServiceClock.application_id.in_(ids), stamp_column.is_(None))
                             .values({stamp_column.key: now}).returning(ServiceClock.application_id))
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
    applications = {a.id: a for a in session.scalars(select(Application).where(Application.id.in_(ids))
                                                     .options(joinedload(Application.permit_type)))}
    items: dict[int, list[WorkItem]] = {}
    for item in session.scalars(select(WorkItem).where(WorkItem.application_id.in_(ids), WorkItem.state == "open")):
        items.setdefault(item.application_id, []).append(item)
    notes, warnings, escalations = [], [], []
    for app_id in warned:
        application = applications[app_id]
        text = (f"Permohonan {application.reg_number} ({application.permit_type.name}) mendekati batas waktu "
                f"layanan. Tahap: {application.stage}.")
        targets = {(i.claimed_by_id, None if i.claimed_by_id else i.role) for i in items.get(app_id, [])}
        for user_id, role in sorted(targets or {(None, "front_office")}, key=str):
            notes.append({"user_id": user_id, "role": role, "application_id": app_id, "kind": "sla_peringatan",
                          "message": text, "created_at": now})
        warnings.append({"application_id": app_id, "summary": {"tahap": application.stage}})
    for app_id in escalated:
        application = applications[app_id]
        text = (f"Permohonan {application.reg_number} ({application.permit_type.name}) MELEWATI batas waktu "
                f"layanan. Tahap: {application.stage}.")
        for role in (SUPERVISOR, HEAD):
            notes.append({"user_id": None, "role": role, "application_id": app_id, "kind": "sla_eskalasi",
                          "message": text, "created_at": now})
        escalations.append({"application_id": app_id, "summary": {"tahap": application.stage}})
    session.execute(insert(Notification), notes)
    record_many(session, "sla_warning", warnings, now)
    record_many(session, "sla_escalated", escalations, now)


@dataclass(frozen=True)
class ClockStatus:
    """What staff, the applicant and public tracking see of an application's service time."""
    started_at: datetime | None
    deadline: datetime | None
    used_minutes: int
    budget_minutes: int
    ended: bool
    pauses: list[ClockStop]
    minutes_per_day: int

    @property
    def paused(self) -> bool:
        return bool(self.pauses)

    @property
    def used_days(self) -> float:
        return round(self.used_minutes / self.minutes_per_day, 1)

    @property
    def budget_days(self) -> float:
        return round(self.budget_minutes / self.minutes_per_day, 1)


def status_of(session: Session, settings: CalendarSettings, application: Application,
              now: datetime | None = None) -> ClockStatus | None:
    clock = session.get(ServiceClock, application.id)
    if clock is None:
        return None
    now = now or utcnow()
    calendar = calendar_for(session, settings, now)
    current = reading(session, calendar, clock, now)
    return ClockStatus(started_at=clock.started_at, deadline=current.deadline, used_minutes=current.used_minutes,
                       budget_minutes=clock.budget_minutes, ended=clock.ended_at is not None,
                       pauses=active_stops(session, application), minutes_per_day=calendar.minutes_per_day)


def force_majeure_list(session: Session) -> list[ForceMajeure]:
    return list(session.scalars(select(ForceMajeure).order_by(ForceMajeure.started_at.desc())))


def at_risk_and_overdue(session: Session, now: datetime | None = None, limit: int = 200):
    """Running clocks past their warning point, and those past their deadline (indexed columns)."""
    now = now or utcnow()
    running = and_(ServiceClock.ended_at.is_(None), ServiceClock.stopped_by.is_(None))
    overdue = list(session.scalars(select(ServiceClock).where(running, ServiceClock.deadline <= now)
                                   .order_by(ServiceClock.deadline).limit(limit)))
    at_risk = list(session.scalars(select(ServiceClock).where(running, ServiceClock.warn_at <= now,
                                                              ServiceClock.deadline > now)
                                   .order_by(ServiceClock.deadline).limit(limit)))
    return at_risk, overdue


def notifications_for(session: Session, user: User, limit: int = 10) -> list[Notification]:
    return list(session.scalars(select(Notification).where(
        (Notification.user_id == user.id) | (Notification.role.in_(user.role_names)))
        .order_by(Notification.created_at.desc()).limit(limit)))
