"""Relational model of the permit service.

Plain SQLAlchemy (no Flask): the web layer builds Flask-SQLAlchemy on this ``Base``.
Workflow state lives in ``Application.workflow_json``; everything inboxes and reports
read (worklist, status, audit) is relational.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    and_,
    BigInteger,
    Date,
    LargeBinary,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, foreign, mapped_column, relationship


class UtcDateTime(TypeDecorator):
    """Instants stored in UTC and always read back timezone-aware (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    nip: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(20))
    # For officers' signature blocks: jabatan and pangkat/golongan.
    position: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, role: str) -> bool:
        return role in self.role_names
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Authority: an account reads every permit type, or only those its scopes name.
    all_permit_types: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    scopes: Mapped[list[AuthorityScope]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    # TOTP second factor: the shared secret, when it was confirmed, and the last time step used
    # (a code is accepted once).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # When the owner opened the activation link (self-registered applicants); staff accounts made
    # by the admin count as confirmed when created.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when an admin revokes one of the officer's certificates: no new one until an admin
    # approves it (a key suspected lost must not be replaced by whoever holds the session).
    certificate_hold_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    # The session-login protocol (is_active, is_authenticated, is_anonymous, get_id), kept here
    # as plain properties so the model does not depend on the web framework.
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        # The session version travels in the session: raising it (logout, a password change, a
        # deactivation) ends every session opened before, a copied cookie included.
        return f"{self.id}.{self.session_version or 1}"


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class AuthorityScope(Base):
    """One permit type, or every permit type of one unit, an account may read and work; for the
    Instansi Terkait role, whether the applicants' personal documents are granted too."""

    __tablename__ = "authority_scopes"
    __table_args__ = (UniqueConstraint("user_id", "permit_type_id", "unit", name="uq_authority_scopes_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    permit_type_id: Mapped[int | None] = mapped_column(ForeignKey("permit_types.id", ondelete="CASCADE"))
    unit: Mapped[str | None] = mapped_column(String(100))
    personal_documents: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    user: Mapped[User] = relationship(back_populates="scopes")


class PasswordReset(Base):
    """A password reset link sent by email: single use, expiring; only the nonce's hash is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    nonce_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = relationship()


class OutboxMail(Base):
    """An email waiting for the scheduler to send it. Queued in the request's transaction, so a
    page answers as fast whether or not it queued one; the body is emptied once sent."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(300))


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship()


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


class ProcessDraft(Base):
    """The bundle a process admin is editing for a permit type; one per type, mutable until published."""

    __tablename__ = "process_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"), unique=True)
    # The version the draft was opened from (None for a new permit type).
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id"))
    files: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    permit_type: Mapped[PermitType] = relationship()
    base_version: Mapped[ProcessVersion | None] = relationship()


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

    permit_type: Mapped[PermitType] = relationship()
    process_version: Mapped[ProcessVersion] = relationship()
    applicant: Mapped[User] = relationship()
    # What a task step reads of its file besides the workflow, loaded together with the task in
    # one query (``engine.tasks``). Never loaded on access: a collection kept from an earlier
    # verb in a long session would be stale.
    open_work_items: Mapped[list[WorkItem]] = relationship(
        primaryjoin="and_(Application.id == foreign(WorkItem.application_id), WorkItem.state == 'open')",
        viewonly=True, lazy="raise")
    service_clock: Mapped[ServiceClock | None] = relationship(
        primaryjoin="Application.id == foreign(ServiceClock.application_id)", viewonly=True, lazy="raise")
    applicant_waits: Mapped[list[ClockStop]] = relationship(primaryjoin=lambda: _applicant_waits(), viewonly=True,
                                                            lazy="raise")

    __mapper_args__ = {"version_id_col": version}


def _applicant_waits():
    from .specs import CLOCK_STOPS  # the kinds of wait a diagram may declare
    return and_(Application.id == foreign(ClockStop.application_id), ClockStop.reason.in_(list(CLOCK_STOPS)))


_OPEN = text("state = 'open'")
_TO_WARN = text("ended_at IS NULL AND stopped_by IS NULL AND warned_at IS NULL")
_TO_ESCALATE = text("ended_at IS NULL AND stopped_by IS NULL AND breached_at IS NULL")


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


class StoredFile(Base):
    """A blob on disk under instance/files, named by its SHA-256; stored once."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Document(Base):
    """An uploaded attachment or a generated document of one application."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    field: Mapped[str | None] = mapped_column(String(100))
    original_name: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"))
    number: Mapped[str | None] = mapped_column(String(80))
    verify_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    signed: Mapped[bool] = mapped_column(Boolean, default=False)
    source_task_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20), default="berlaku")
    # How it was signed: "segel" (agency e-seal), "tte" (officer's certificate), "basah" (scanned
    # hand-signed original), or None (unsigned, e.g. an upload or a draft awaiting hand signature).
    signature: Mapped[str | None] = mapped_column(String(10))
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signer_certificate_id: Mapped[int | None] = mapped_column(ForeignKey("signer_certificates.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status_reason: Mapped[str | None] = mapped_column(Text)
    # What a decision states as its reason (a warning, a revocation, a cancellation): shown with it.
    grounds: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A later document that ends this one (the revocation decision) or replaces a draft (hand-signed scan).
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # When its archive timestamp (PAdES B-LTA) is renewed: a while before the certificate of the
    # timestamp authority that made the last one expires.
    archive_renew_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)

    application: Mapped[Application] = relationship()
    file: Mapped[StoredFile] = relationship()
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    signer_certificate: Mapped[SignerCertificate | None] = relationship()
    superseded_by: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[superseded_by_id])


class ArchivedRevision(Base):
    """An earlier state of an archived document, before an archive timestamp was added on top:
    a copy downloaded then is still the agency's original."""

    __tablename__ = "archived_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_files.sha256"), index=True)
    superseded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SignerCertificate(Base):
    """An officer's signing certificate. The key stays inside the PKCS#12, which only the
    officer's passphrase opens; the passphrase is never stored."""

    __tablename__ = "signer_certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    serial: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(400))
    issuer: Mapped[str] = mapped_column(String(400))
    source: Mapped[str] = mapped_column(String(12))  # "agency" (issued here) or "import"
    p12: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    cert_der: Mapped[bytes] = mapped_column(LargeBinary)
    not_before: Mapped[datetime] = mapped_column(UtcDateTime())
    not_after: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(12), default="aktif")  # aktif | diganti | dicabut
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The earlier certificate of the same key, certified again when the CA's public address moved:
    # revoking one revokes the other, since the key is the same.
    recertifies_id: Mapped[int | None] = mapped_column(ForeignKey("signer_certificates.id"))

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_at", "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_items.id"))
    task_title: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    # The hash chain (``audit.seal``): the row's place in it, the previous link and its own hash.
    seq: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()


class Counter(Base):
    """Named sequences (registration and document numbers), incremented under a row lock."""

    __tablename__ = "counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


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


class Notification(Base):
    """A message for one user, or for everyone holding a role (SLA warnings and escalations)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_target", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str | None] = mapped_column(String(40))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when the warning or escalation turned out void (force majeure recorded afterwards).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


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


class SchedulerBeat(Base):
    """When a scheduler last finished a sweep, and where: the readiness check reads it, so a
    stopped scheduler (no SLA warnings, no timers) shows before anyone misses a deadline."""

    __tablename__ = "scheduler_beats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime())
    host: Mapped[str] = mapped_column(String(255))
