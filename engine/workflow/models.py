"""Permit types, their process versions, applications and their open tasks (the work items).

Workflow state lives in ``Application.workflow_json``; everything inboxes and reports read is
relational.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, UtcDateTime
from engine.workflow.diagram_terms import CLOCK_STOPS

if TYPE_CHECKING:  # relationships name these classes; the ORM resolves them by name
    from engine.accounts.models import User
    from engine.service_time.models import ClockStop, ServiceClock


class PermitType(Base):
    __tablename__ = "permit_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    prefix: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    has_retribution: Mapped[bool] = mapped_column(Boolean, default=False)
    sla_working_days: Mapped[int] = mapped_column(Integer, default=0)
    requirements: Mapped[list] = mapped_column(JSON, default=list)
    procedure: Mapped[list] = mapped_column(JSON, default=list)
    cost_note: Mapped[str] = mapped_column(Text, default="")
    # "elektronik": signers sign with their certificate; "manual": the signed paper original is
    # scanned and uploaded (staged adoption of e-signatures).
    signing_mode: Mapped[str] = mapped_column(String(12), default="elektronik")
    # The organisational unit (bidang) that handles this permit type; staff may be assigned by unit.
    unit: Mapped[str | None] = mapped_column(String(100))
    # Service-time policy: a target in working days per stage (keyed by the BPMN ``stage`` name),
    # the share of a target after which officers are warned, and what a missed deadline means:
    # "eskalasi" (to supervisor and head) or "fiktif_positif" (deemed approved, PP 28/2025).
    sla_stages: Mapped[dict] = mapped_column(JSON, default=dict)
    sla_warning_ratio: Mapped[float] = mapped_column(default=0.8)
    deadline_policy: Mapped[str] = mapped_column(String(16), default="eskalasi")
    # How long an issued permit holds: {"years_field": name} or {"until_field": name} of the form data.
    validity: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Whether an application needs the applicant's identity to match the population registry: a
    # mismatch stops it; a registry that does not answer does not (the file is marked, checked later).
    requires_identity_match: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    versions: Mapped[list[ProcessVersion]] = relationship(
        back_populates="permit_type", order_by="ProcessVersion.number"
    )


class ProcessVersion(Base):
    """One immutable bundle of BPMN, DMN and forms, identified by its content hash."""

    __tablename__ = "process_versions"
    __table_args__ = (UniqueConstraint("permit_type_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    process_id: Mapped[str] = mapped_column(String(100))
    # Loaded only on a cache miss: specs and forms are cached by content hash.
    files: Mapped[dict] = mapped_column(JSON, deferred=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    permit_type: Mapped[PermitType] = relationship(back_populates="versions")


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_newest", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reg_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    # Loaded only by the verbs that step the workflow: lists and reports never carry it.
    workflow_json: Mapped[str] = mapped_column(Text, deferred=True)
    # Optimistic lock: two simultaneous completions cannot both write.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the workflow's earliest BPMN timer is due: the scheduler finds due timers by this
    # indexed column instead of loading every workflow.
    next_timer_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    # The district (kecamatan) the submission names, for the public statistics.
    district: Mapped[str | None] = mapped_column(String(100))
    # A renewal names the application whose permit it renews.
    renews_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))

    permit_type: Mapped[PermitType] = relationship()
    process_version: Mapped[ProcessVersion] = relationship()
    applicant: Mapped[User] = relationship()
    # What a task step reads of its file besides the workflow, loaded together with the task in
    # one query (``engine.casework.tasks``). Never loaded on access: a collection kept from an earlier
    # verb in a long session would be stale.
    open_work_items: Mapped[list[WorkItem]] = relationship(
        primaryjoin="and_(Application.id == foreign(WorkItem.application_id), WorkItem.state == 'open')",
        viewonly=True,
        lazy="raise",
    )
    service_clock: Mapped[ServiceClock | None] = relationship(
        primaryjoin="Application.id == foreign(ServiceClock.application_id)", viewonly=True, lazy="raise"
    )
    # The kinds of wait a diagram may declare; the stops' table is service time's.
    applicant_waits: Mapped[list[ClockStop]] = relationship(
        primaryjoin="and_(Application.id == foreign(ClockStop.application_id), "
        f"ClockStop.reason.in_({sorted(CLOCK_STOPS)!r}))",
        viewonly=True,
        lazy="raise",
    )

    __mapper_args__ = {"version_id_col": version}


_OPEN = text("state = 'open'")


class WorkItem(Base):
    """A ready user task, mirrored from the workflow so inboxes never deserialize it."""

    __tablename__ = "work_items"
    __table_args__ = (
        UniqueConstraint("application_id", "task_id"),
        Index("ix_work_items_open_role", "state", "role"),
        Index("ix_work_items_open_due", "state", "due_at"),
        # The task list's two orders, over open tasks only (done ones pile up by the million).
        Index("ix_work_items_queue_due", "due_at", "id", postgresql_where=_OPEN, sqlite_where=_OPEN),
        Index("ix_work_items_queue_received", "created_at", "id", postgresql_where=_OPEN, sqlite_where=_OPEN),
        Index("ix_work_items_held", "claimed_by_id", "due_at", "id", postgresql_where=_OPEN, sqlite_where=_OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    task_spec: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    form_schema: Mapped[str | None] = mapped_column(String(200))
    form_ui: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(200), default="")
    # The task's completion may sign a document with the officer's certificate: ask for the passphrase.
    signs: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(12), default="open")
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When this task's stage began: consecutive tasks of one stage share the stage's target.
    stage_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Stamped once when the stage's deadline passed without a decision (escalated or deemed approved).
    overdue_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    application: Mapped[Application] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
