"""Recomputing service clocks from their stops: an application's clock and the due times of its
open tasks, one file or thousands at once (a force majeure recorded afterwards, a calendar change),
withdrawing the warnings and escalations the new figures make void. ``sla`` keeps the clock's
events (receipt, each step, issuance); this is the arithmetic they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from engine.core.audit import record_many
from engine.core.clock import aware
from engine.notifications.models import Notification
from engine.service_time import sla_stats
from engine.service_time.models import ClockStop, ServiceClock
from engine.service_time.pause_windows import Window, force_stops, force_windows
from engine.service_time.working_time import Stop, WorkCalendar, read_clock
from engine.workflow.diagram_terms import CLOCK_STOPS
from engine.workflow.models import Application, WorkItem

# Stops that last while the file waits on the applicant (the rest are force majeure).
APPLICANT_WAITS = tuple(CLOCK_STOPS)


def stop_rows(session: Session, application_id: int) -> list[ClockStop]:
    return list(
        session.scalars(
            select(ClockStop).where(ClockStop.application_id == application_id, ClockStop.reason.in_(APPLICANT_WAITS))
        )
    )


def stops_of(rows: list[ClockStop], application: Application, windows: list[Window]) -> list[Stop]:
    waits = [Stop(aware(s.started_at), aware(s.ended_at), s.reason) for s in rows if s.reason in APPLICANT_WAITS]
    return waits + force_stops(windows, application.permit_type_id)


@dataclass
class Voided:
    """Warnings and escalations that a pause recorded later (or a calendar change) made void."""

    cause: str | None
    warnings: list[dict] = field(default_factory=list)
    escalations: list[dict] = field(default_factory=list)
    stages: list[dict] = field(default_factory=list)
    withdrawn: list[tuple[int, str, datetime | None]] = field(default_factory=list)  # (application, kind, at)


def refresh(
    session: Session,
    calendar: WorkCalendar,
    application: Application,
    now: datetime,
    open_items: list[WorkItem] | None = None,
    stop_rows: list[ClockStop] | None = None,
    windows: list[Window] | None = None,
    cause: str | None = None,
) -> None:
    """Recompute the application's clock and the due times of its open tasks from the pauses,
    received or not; a warning or escalation the new figures make void is withdrawn (and audited),
    so the sweep sends it again when it is really due."""
    clock = session.get(ServiceClock, application.id)
    if open_items is None:
        open_items = list(
            session.scalars(select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open"))
        )
    if stop_rows is None:
        stop_rows = stop_rows(session, application.id) if clock is not None else []
    voided = Voided(cause)
    refresh_one(
        session,
        calendar,
        application,
        clock,
        stop_rows,
        open_items,
        force_windows(session) if windows is None else windows,
        now,
        voided,
    )
    write_voided(session, voided, now)


def refresh_many(
    session: Session,
    calendar: WorkCalendar,
    application_ids: list[int],
    now: datetime,
    cause: str | None = None,
    chunk: int = 500,
) -> int:
    """``refresh`` for many applications, loading their clocks, waits and open tasks in bulk."""
    windows = force_windows(session)
    ids = sorted(set(application_ids))
    for lo in range(0, len(ids), chunk):
        part = ids[lo : lo + chunk]
        applications = session.scalars(
            select(Application).where(Application.id.in_(part)).options(joinedload(Application.permit_type))
        ).all()
        clocks = {
            c.application_id: c
            for c in session.scalars(select(ServiceClock).where(ServiceClock.application_id.in_(part)))
        }
        rows: dict[int, list[ClockStop]] = {}
        for row in session.scalars(
            select(ClockStop).where(ClockStop.application_id.in_(part), ClockStop.reason.in_(APPLICANT_WAITS))
        ):
            rows.setdefault(row.application_id, []).append(row)
        items: dict[int, list[WorkItem]] = {}
        for item in session.scalars(
            select(WorkItem).where(WorkItem.application_id.in_(part), WorkItem.state == "open")
        ):
            items.setdefault(item.application_id, []).append(item)
        voided = Voided(cause)
        for application in applications:
            refresh_one(
                session,
                calendar,
                application,
                clocks.get(application.id),
                rows.get(application.id, []),
                items.get(application.id, []),
                windows,
                now,
                voided,
            )
        write_voided(session, voided, now)
        session.flush()
    return len(ids)


def refresh_one(
    session: Session,
    calendar: WorkCalendar,
    application: Application,
    clock: ServiceClock | None,
    stop_rows: list[ClockStop],
    open_items: list[WorkItem],
    windows: list[Window],
    now: datetime,
    voided: Voided,
) -> None:
    stops = stops_of(stop_rows, application, windows)
    if clock is not None:
        _refresh_clock(session, calendar, application, clock, stops, now, voided)
    set_stage_due(application, calendar, stops, now, open_items, voided)


def used_at(calendar: WorkCalendar, start: datetime, stops: list[Stop], moment: datetime) -> int:
    return read_clock(calendar, start, 0, stops, moment, moment).used_minutes


def _refresh_clock(
    session: Session,
    calendar: WorkCalendar,
    application: Application,
    clock: ServiceClock,
    stops: list[Stop],
    now: datetime,
    voided: Voided,
) -> None:
    started, ended = aware(clock.started_at), aware(clock.ended_at)
    current = read_clock(calendar, started, clock.budget_minutes, stops, now, ended)
    if ended is not None and current.used_minutes != clock.used_minutes:
        # A pause recorded after the file was finished restates its count in the statistics.
        sla_stats.restate(
            session,
            calendar,
            application_id=application.id,
            ended=ended,
            permit_type_id=application.permit_type_id,
            budget=clock.budget_minutes,
            before=clock.used_minutes,
            after=current.used_minutes,
        )
    figures = (current.used_minutes, current.deadline, current.stopped_by)
    if figures != (clock.used_minutes, aware(clock.deadline), clock.stopped_by):
        clock.used_minutes, clock.deadline, clock.stopped_by = figures
        clock.computed_at = now
    threshold = round(application.permit_type.sla_warning_ratio * clock.budget_minutes)
    warn_at = None
    if current.deadline is not None:
        before_warning = threshold - current.used_minutes
        warn_at = calendar.add_minutes(now, before_warning) if before_warning > 0 else now
    stored = aware(clock.warn_at)
    already_due = warn_at == now and stored is not None and stored <= now  # a passed point stays as it was
    if warn_at != stored and not already_due:
        clock.warn_at = warn_at
    summary = {"batas_baru": current.deadline.isoformat() if current.deadline else None, "sebab": voided.cause}
    breached = aware(clock.breached_at)
    if breached is not None and used_at(calendar, started, stops, breached) < clock.budget_minutes:
        voided.escalations.append(
            {"application_id": application.id, "summary": {"dikirim": breached.isoformat(), **summary}}
        )
        voided.withdrawn.append((application.id, "sla_eskalasi", None))
        clock.breached_at = None
    warned = aware(clock.warned_at)
    if warned is not None and used_at(calendar, started, stops, warned) < threshold:
        voided.warnings.append(
            {"application_id": application.id, "summary": {"dikirim": warned.isoformat(), **summary}}
        )
        voided.withdrawn.append((application.id, "sla_peringatan", None))
        clock.warned_at = None


def stage_budget(application: Application, calendar: WorkCalendar, stage: str) -> int | None:
    days = (application.permit_type.sla_stages or {}).get(stage)
    return round(days * calendar.minutes_per_day) if days else None


def set_stage_due(
    application: Application,
    calendar: WorkCalendar,
    stops: list[Stop],
    now: datetime,
    open_items: list[WorkItem],
    voided: Voided | None = None,
) -> None:
    """A stage's target counts from the stage's first task: consecutive tasks of one stage (the
    technical team's survey and its berita acara) share it, so the targets add up to the total."""
    for item in open_items:
        budget = stage_budget(application, calendar, item.stage)
        if not budget:
            item.due_at = None
            continue
        start = aware(item.stage_started_at or item.created_at)
        item.due_at = read_clock(calendar, start, budget, stops, now).deadline
        overdue = aware(item.overdue_at)
        if voided is not None and overdue is not None and used_at(calendar, start, stops, overdue) < budget:
            voided.stages.append(
                {
                    "application_id": application.id,
                    "work_item_id": item.id,
                    "task_title": item.title,
                    "summary": {
                        "tahap": item.stage,
                        "dikirim": overdue.isoformat(),
                        "batas_baru": item.due_at.isoformat() if item.due_at else None,
                        "sebab": voided.cause,
                    },
                }
            )
            voided.withdrawn.append((application.id, "tahap_terlambat", overdue))
            item.overdue_at = None


def write_voided(session: Session, voided: Voided, now: datetime) -> None:
    # One statement per kind and sending time, not per file: a window recorded afterwards can void
    # the warnings of thousands of files at once.
    groups: dict[tuple[str, datetime | None], list[int]] = {}
    for application_id, kind, at in voided.withdrawn:
        groups.setdefault((kind, at), []).append(application_id)
    for (kind, at), ids in groups.items():
        condition = [
            Notification.application_id.in_(ids),
            Notification.kind == kind,
            Notification.withdrawn_at.is_(None),
        ]
        if at is not None:
            condition.append(Notification.created_at == at)
        session.execute(update(Notification).where(*condition).values(withdrawn_at=now))
    record_many(session, "sla_warning_voided", voided.warnings, now)
    record_many(session, "sla_escalation_voided", voided.escalations, now)
    record_many(session, "stage_escalation_voided", voided.stages, now)
