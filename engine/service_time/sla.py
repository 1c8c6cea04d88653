"""Service-time clocks: started at the receipt, stopped while the file is with the applicant or
during force majeure, ended at issuance or rejection, measured in office time.

The clock's figures (minutes used, deadline) are always recomputed from the stored stops with
``working_time.read_clock``, so a pause never loses or double-counts time and a force majeure
recorded afterwards moves every affected deadline exactly. Every function takes ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from time import monotonic

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.clock import aware, utcnow
from engine.core.localtime import N_
from engine.core.roles import APPLICANT
from engine.core.services import CalendarSettings
from engine.service_time import sla_stats
from engine.service_time.clock_refresh import (
    APPLICANT_WAITS,
    Voided,
    refresh_one,
    set_stage_due,
    stage_budget,
    stop_rows,
    stops_of,
    used_at,
    write_voided,
)
from engine.service_time.models import CalendarDay, ClockStop, ServiceClock
from engine.service_time.pause_windows import Window, force_stops, force_windows, in_scope
from engine.service_time.working_time import ClockReading, WorkCalendar, national_holidays, read_clock, shifted_due
from engine.workflow.models import Application, WorkItem

# Metro Pasal 16: the kinds of force majeure that stop the service clock.
FORCE_MAJEURE_CATEGORIES = {
    "kerusakan_jaringan": N_("Kerusakan infrastruktur jaringan"),
    "petugas_tidak_dapat_bekerja": N_("Petugas TI tidak dapat bekerja"),
    "layanan_terhenti": N_("Layanan terhenti sampai keadaan stabil"),
}
STOP_REASONS = {
    "pemohon": "Berkas dikembalikan kepada Pemohon untuk diperbaiki",
    "pembayaran": "Menunggu pembayaran retribusi oleh Pemohon (SKRD)",
    "force_majeure": "Keadaan kahar",
}


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
    return WorkCalendar(
        zone=settings.zone, start=settings.start, end=settings.end, days_off=days_off, extra_workdays=frozenset(extra)
    )


# --- pauses: the applicant's waits (rows per application) and force majeure (rows per declaration) --


@dataclass(frozen=True)
class Pause:
    """A pause going on, as staff, the applicant and public tracking see it."""

    started_at: datetime
    note: str
    reason: str


@dataclass(frozen=True)
class StepReads:
    """What a step reads of its file besides the workflow, when the verb loaded it together with
    the task (``Application.open_work_items`` and its siblings, eager-loaded fresh). The open tasks
    include the one being completed; ``sync_worklist`` leaves it out."""

    open_items: list[WorkItem]
    clock: ServiceClock | None
    waits: list[ClockStop]
    windows: list[Window]

    @classmethod
    def of(cls, application: Application, windows: list[Window]) -> StepReads:
        return cls(
            list(application.open_work_items), application.service_clock, list(application.applicant_waits), windows
        )


def due_rule(calendar: WorkCalendar, application: Application, windows: list[Window]):
    """When the application's BPMN timers are really due: force majeure moves them (see
    ``working_time.shifted_due``); the file's own waits on the applicant do not."""
    pauses = force_stops(windows, application.permit_type_id)
    if not pauses:
        return lambda nominal, armed, now: (nominal, False)
    return lambda nominal, armed, now: shifted_due(calendar, nominal, armed, pauses, now)


def reading(
    session: Session, calendar: WorkCalendar, clock: ServiceClock, now: datetime, windows: list[Window] | None = None
) -> ClockReading:
    application = session.get(Application, clock.application_id)
    windows = force_windows(session) if windows is None else windows
    stops = stops_of(stop_rows(session, clock.application_id), application, windows)
    return read_clock(calendar, aware(clock.started_at), clock.budget_minutes, stops, now, aware(clock.ended_at))


# --- recomputing deadlines from the pauses -------------------------------------------------------------


def stage_start(item: WorkItem, open_items: list[WorkItem], completed: WorkItem | None, now: datetime) -> datetime:
    """When a new task's stage began: with another open task of the same stage, or with the task
    just completed if it was of the same stage; otherwise now."""
    for other in open_items:
        if other is not item and other.stage == item.stage and other.stage_started_at is not None:
            return other.stage_started_at
    if completed is not None and completed.stage == item.stage:
        return completed.stage_started_at or completed.created_at
    return now


def on_step(
    session: Session,
    settings: CalendarSettings,
    application: Application,
    *,
    receipt_issued: bool,
    decided: bool,
    waiting: str | None,
    finished: bool,
    now: datetime,
    open_items: list[WorkItem] | None = None,
    completed: WorkItem | None = None,
    windows: list[Window] | None = None,
    loaded: StepReads | None = None,
) -> ServiceClock | None:
    """Called by every verb's final step: start, stop, resume or end the clock as the file moves,
    and count the finished stage (and service) for the statistics. ``waiting`` names why the file
    now waits on the applicant ("pemohon": returned for correction, "pembayaran": the SKRD), if it does.

    The service time is the agency's: it ends when the decision (the permit or the rejection letter)
    is issued, or when the process ends another way (a lapsed SKRD). Handing the permit over, which
    waits on the applicant, is outside it (Metro 76/2018 art. 16; the service standard)."""
    clock = session.get(ServiceClock, application.id) if loaded is None else loaded.clock
    calendar = calendar_for(session, settings, now)
    windows = force_windows(session) if windows is None else windows
    open_items = open_items or []
    if clock is None and not receipt_issued:
        set_stage_due(application, calendar, force_stops(windows, application.permit_type_id), now, open_items)
        return None
    if clock is None:
        budget = round((application.permit_type.sla_working_days or 0) * calendar.minutes_per_day)
        clock = ServiceClock(
            application_id=application.id, started_at=now, budget_minutes=budget, used_minutes=0, computed_at=now
        )
        session.add(clock)
    rows = stop_rows(session, application.id) if loaded is None else list(loaded.waits)
    ends = finished or decided
    waiting = None if ends else waiting
    open_wait = next((r for r in rows if r.ended_at is None), None)
    if open_wait is not None and open_wait.reason != waiting:
        open_wait.ended_at = now
        open_wait = None
    if waiting and open_wait is None:
        stop = ClockStop(
            application_id=application.id, started_at=now, reason=waiting, note=STOP_REASONS.get(waiting, waiting)
        )
        session.add(stop)
        rows.append(stop)
    stops = stops_of(rows, application, windows)
    if (
        completed is not None
        and completed.role != APPLICANT
        and not any(item.stage == completed.stage for item in open_items)
    ):
        start = aware(completed.stage_started_at or completed.created_at)
        stage_used = used_at(calendar, start, stops, now)
        budget = stage_budget(application, calendar, completed.stage)
        sla_stats.add(
            session,
            calendar,
            application_id=application.id,
            ended=now,
            permit_type_id=application.permit_type_id,
            stage=completed.stage or completed.title,
            officer_id=completed.completed_by_id,
            used_minutes=stage_used,
            on_time=budget is None or stage_used <= budget,
        )
    if ends and clock.ended_at is None:
        clock.ended_at = now
        used = used_at(calendar, aware(clock.started_at), stops, now)
        clock.used_minutes = used
        sla_stats.add(
            session,
            calendar,
            application_id=application.id,
            ended=now,
            permit_type_id=application.permit_type_id,
            stage="",
            officer_id=None,
            used_minutes=used,
            on_time=used <= clock.budget_minutes,
        )
    voided = Voided(None)
    refresh_one(session, calendar, application, clock, rows, open_items, windows, now, voided)
    write_voided(session, voided, now)
    return clock


# --- pauses going on ------------------------------------------------------------------------


def active_stops(
    session: Session, application: Application, now: datetime | None = None, windows: list[Window] | None = None
) -> list[Pause]:
    """Pauses going on now, for the notice shown to staff, the applicant and public tracking."""
    now = now or utcnow()
    pauses = [
        Pause(aware(r.started_at), r.note, r.reason)
        for r in session.scalars(
            select(ClockStop).where(
                ClockStop.application_id == application.id,
                ClockStop.ended_at.is_(None),
                ClockStop.reason.in_(APPLICANT_WAITS),
            )
        )
    ]
    for force in force_windows(session) if windows is None else windows:
        if (
            in_scope(force, application.permit_type_id)
            and aware(force.started_at) <= now
            and (force.ended_at is None or aware(force.ended_at) > now)
        ):
            note = f"{STOP_REASONS['force_majeure']} — {FORCE_MAJEURE_CATEGORIES.get(force.category, force.category)}: "
            pauses.append(Pause(aware(force.started_at), note + force.description, "force_majeure"))
    return pauses
