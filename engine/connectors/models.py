"""The call log: one row per call to another agency or the bank, for the connector health figures
and for an auditor asking who looked up whom. Personal numbers are stored masked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.models import Base, UtcDateTime


class ConnectorCall(Base):
    __tablename__ = "connector_calls"
    __table_args__ = (Index("ix_connector_calls_service_at", "service", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    service: Mapped[str] = mapped_column(String(40))
    operation: Mapped[str] = mapped_column(String(60))
    # Why it was asked ("registrasi", "permohonan REK-2026-000001", "pemeriksaan ulang terjadwal").
    purpose: Mapped[str] = mapped_column(String(120))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    subject: Mapped[str | None] = mapped_column(String(60))  # masked: 3171********0001
    # "ok" answers (a match, a mismatch, not found) count as the service working; "gagal" does not.
    ok: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(40))
    duration_ms: Mapped[int] = mapped_column(Integer)


class ConnectorMessage(Base):
    """A report owed to another agency (a decision for OSS), sent after the step that made it
    committed and again until the service takes it."""

    __tablename__ = "connector_outbox"
    __table_args__ = (Index("ix_connector_outbox_pending", "sent_at", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service: Mapped[str] = mapped_column(String(40))
    operation: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict] = mapped_column(JSON)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_try_at: Mapped[datetime] = mapped_column(UtcDateTime())
    tries: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    receipt: Mapped[str | None] = mapped_column(String(80))
    last_error: Mapped[str | None] = mapped_column(String(300))
