"""Relational model of the permit service.

Plain SQLAlchemy (no Flask): the web layer builds Flask-SQLAlchemy on this ``Base``.
Workflow state lives in ``Application.workflow_json``; everything inboxes and reports
read (worklist, status, audit) is relational.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    LargeBinary,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    # The session-login protocol (is_active, is_authenticated, is_anonymous, get_id), kept here
    # as plain properties so the model does not depend on the web framework.
    @property
    def is_active(self) -> bool:
        return bool(self.active)

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    permit_type: Mapped[PermitType] = relationship(back_populates="versions")


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    reg_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    stage: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    workflow_json: Mapped[str] = mapped_column(Text)
    # Optimistic lock: two simultaneous completions cannot both write.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    permit_type: Mapped[PermitType] = relationship()
    process_version: Mapped[ProcessVersion] = relationship()
    applicant: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}


class WorkItem(Base):
    """A ready user task, mirrored from the workflow so inboxes never deserialize it."""

    __tablename__ = "work_items"
    __table_args__ = (
        UniqueConstraint("application_id", "task_id"),
        Index("ix_work_items_open_role", "state", "role"),
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
    # The task's completion may sign a document with the officer's certificate: ask for the passphrase.
    signs: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(12), default="open")
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    application: Mapped[Application] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])


class StoredFile(Base):
    """A blob on disk under instance/files, named by its SHA-256; stored once."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A later document that ends this one (the revocation decision) or replaces a draft (hand-signed scan).
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    application: Mapped[Application] = relationship()
    file: Mapped[StoredFile] = relationship()
    signer: Mapped[User | None] = relationship(foreign_keys=[signer_id])
    signer_certificate: Mapped[SignerCertificate | None] = relationship()
    superseded_by: Mapped[Document | None] = relationship(remote_side=[id], foreign_keys=[superseded_by_id])


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
    not_before: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    not_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(12), default="aktif")  # aktif | diganti | dicabut
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    work_item_id: Mapped[int | None] = mapped_column(ForeignKey("work_items.id"))
    task_title: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class Counter(Base):
    """Named sequences (registration and document numbers), incremented under a row lock."""

    __tablename__ = "counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
