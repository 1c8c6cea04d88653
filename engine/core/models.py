"""Tables every domain shares: the declarative base, stored files, counters, the outbox, the audit
trail and the scheduler's heartbeat.

Plain SQLAlchemy (no Flask): the web layer builds Flask-SQLAlchemy on this ``Base``. Every domain's
tables hang on this one metadata, so migrations see one schema.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:  # relationships name these classes; the ORM resolves them by name
    from engine.accounts.models import User


class UtcDateTime(TypeDecorator):
    """Instants stored in UTC and always read back timezone-aware (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


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


class StoredFile(Base):
    """A blob on disk under instance/files, named by its SHA-256; stored once."""

    __tablename__ = "stored_files"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


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


class SchedulerBeat(Base):
    """When a scheduler last finished a sweep, and where: the readiness check reads it, so a
    stopped scheduler (no SLA warnings, no timers) shows before anyone misses a deadline."""

    __tablename__ = "scheduler_beats"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime())
    host: Mapped[str] = mapped_column(String(255))
