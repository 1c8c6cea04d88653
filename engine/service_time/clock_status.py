"""Service time as people read it: one file's clock for staff, the applicant and public tracking,
the files at risk or overdue, the declared force majeure, and a user's notifications."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, joinedload

from engine.accounts.models import User
from engine.accounts.permissions import readable
from engine.core.clock import utcnow
from engine.core.services import CalendarSettings
from engine.notifications.models import Notification
from engine.service_time.models import ForceMajeure, ServiceClock
from engine.service_time.pause_windows import force_windows
from engine.service_time.sla import Pause, active_stops, calendar_for, reading
from engine.workflow.models import Application


@dataclass(frozen=True)
class ClockStatus:
    """What staff, the applicant and public tracking see of an application's service time."""

    started_at: datetime | None
    deadline: datetime | None
    used_minutes: int
    budget_minutes: int
    ended: bool
    pauses: list[Pause]
    minutes_per_day: int
    # While paused: when it would end if the pause ended now (the remaining budget from now).
    if_resumed: datetime | None = None

    @property
    def paused(self) -> bool:
        return bool(self.pauses)

    @property
    def used_days(self) -> float:
        return round(self.used_minutes / self.minutes_per_day, 1)

    @property
    def budget_days(self) -> float:
        return round(self.budget_minutes / self.minutes_per_day, 1)

    @property
    def used_whole_days(self) -> int:
        """Working days begun, as the applicant counts them (a day started is a day used)."""
        return -(-self.used_minutes // self.minutes_per_day) if self.used_minutes > 0 else 0

    @property
    def budget_whole_days(self) -> int:
        return round(self.budget_minutes / self.minutes_per_day)


def status_of(
    session: Session, settings: CalendarSettings, application: Application, now: datetime | None = None
) -> ClockStatus | None:
    clock = session.get(ServiceClock, application.id)
    if clock is None:
        return None
    now = now or utcnow()
    calendar = calendar_for(session, settings, now)
    windows = force_windows(session)
    current = reading(session, calendar, clock, now, windows)
    pauses = active_stops(session, application, now, windows)
    ended = clock.ended_at is not None
    if_resumed = None
    if pauses and not ended:
        if_resumed = calendar.add_minutes(now, max(clock.budget_minutes - current.used_minutes, 0))
    return ClockStatus(
        started_at=clock.started_at,
        deadline=current.deadline,
        used_minutes=current.used_minutes,
        budget_minutes=clock.budget_minutes,
        ended=ended,
        pauses=pauses,
        minutes_per_day=calendar.minutes_per_day,
        if_resumed=if_resumed,
    )


def force_majeure_list(session: Session) -> list[ForceMajeure]:
    return list(session.scalars(select(ForceMajeure).order_by(ForceMajeure.started_at.desc())))


def at_risk_and_overdue(
    session: Session, now: datetime | None = None, limit: int = 200, permit_types: Collection[int] | None = None
):
    """Running clocks past their warning point, and those past their deadline (indexed columns), of
    the given permit types (None: all of them)."""
    now = now or utcnow()
    running = and_(ServiceClock.ended_at.is_(None), ServiceClock.stopped_by.is_(None))
    if permit_types is not None:
        running = and_(
            running,
            ServiceClock.application_id.in_(
                select(Application.id).where(Application.permit_type_id.in_(list(permit_types)))
            ),
        )
    # The lists name each file and its permit type: loaded with the clocks, not row by row.
    shown = joinedload(ServiceClock.application).joinedload(Application.permit_type)
    overdue = list(
        session.scalars(
            select(ServiceClock)
            .where(running, ServiceClock.deadline <= now)
            .options(shown)
            .order_by(ServiceClock.deadline)
            .limit(limit)
        )
    )
    at_risk = list(
        session.scalars(
            select(ServiceClock)
            .where(running, ServiceClock.warn_at <= now, ServiceClock.deadline > now)
            .options(shown)
            .order_by(ServiceClock.deadline)
            .limit(limit)
        )
    )
    return at_risk, overdue


def notifications_for(session: Session, user: User, limit: int = 10) -> list[Notification]:
    # A notice to a role concerns one file: it reaches only those of the role who may read that file.
    # A probe per notice (correlated), not the list of every readable file: the same cost at 100k files.
    in_scope = Notification.application_id.is_(None) | exists(
        select(Application.id).where(Application.id == Notification.application_id, readable(session, user))
    )
    return list(
        session.scalars(
            select(Notification)
            .where(
                (Notification.user_id == user.id) | (Notification.role.in_(user.role_names) & in_scope),
                Notification.withdrawn_at.is_(None),
            )
            .order_by(Notification.created_at.desc())
            .limit(limit)
        )
    )
