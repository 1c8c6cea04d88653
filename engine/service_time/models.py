"""Service-time clocks, their stops, force majeure, the agency's calendar days and statistics."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, UtcDateTime

_TO_WARN = text("ended_at IS NULL AND stopped_by IS NULL AND warned_at IS NULL")
_TO_ESCALATE = text("ended_at IS NULL AND stopped_by IS NULL AND breached_at IS NULL")


if TYPE_CHECKING:  # relationships name these classes; the ORM resolves them by name
    from engine.accounts.models import User
    from engine.workflow.models import Application


class ServiceClock(Base):
    """The legal service time of one application, in office minutes. Starts at the receipt, stops
    while the file is with the applicant or during force majeure, ends at issuance or rejection.
    ``used_minutes`` and ``deadline`` are recomputed from ``clock_stops`` on every change."""

    __tablename__ = "service_clocks"
    # The sweep looks for running clocks whose warning or deadline passed and was not yet acted on:
    # these hold only those, so a steady sweep reads what it returns, not every past deadline.
    __table_args__ = (
        Index("ix_service_clocks_to_warn", "warn_at", postgresql_where=_TO_WARN, sqlite_where=_TO_WARN),
        Index("ix_service_clocks_to_escalate", "deadline", postgresql_where=_TO_ESCALATE, sqlite_where=_TO_ESCALATE),
    )

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    budget_minutes: Mapped[int] = mapped_column(Integer)
    used_minutes: Mapped[int] = mapped_column(Integer, default=0)
    deadline: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    # When the warning threshold of the budget is reached (None while stopped or once passed and sent).
    warn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    stopped_by: Mapped[str | None] = mapped_column(String(20))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    warned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    breached_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    application: Mapped[Application] = relationship()


class ClockStop(Base):
    """A span when an application's clock does not run (``ended_at`` None: still going on)."""

    __tablename__ = "clock_stops"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str] = mapped_column(String(20))  # "pemohon" | "force_majeure"
    note: Mapped[str] = mapped_column(Text, default="")
    force_majeure_id: Mapped[int | None] = mapped_column(ForeignKey("force_majeure.id"), index=True)


class ForceMajeure(Base):
    """A declared keadaan kahar (Metro Pasal 16): every running clock in scope stops for its window."""

    __tablename__ = "force_majeure"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    permit_type_ids: Mapped[list | None] = mapped_column(JSON)  # None: every permit type
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    recorded_afterwards: Mapped[bool] = mapped_column(Boolean, default=False)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    declared_by: Mapped[User] = relationship()


class CalendarDay(Base):
    """An admin's change to the working calendar: a local day off, or a day worked that is not usually."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "libur" | "kerja"
    name: Mapped[str] = mapped_column(String(200))


class SlaStat(Base):
    """Service times rolled up as they end, so the dashboard reads a small table whatever the
    number of applications: counts per month, permit type, stage ('' = the whole service),
    officer (0 = none), on time or not, and duration in quarter working days."""

    __tablename__ = "sla_stats"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    permit_type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[str] = mapped_column(String(200), primary_key=True)
    officer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    on_time: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    quarter_days: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A cell is spread over ``sla_stats.SLOTS`` rows, summed when read: concurrent completions
    # of one stage by one officer in one month do not queue on a single row lock.
    slot: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    count: Mapped[int] = mapped_column(Integer, default=0)
