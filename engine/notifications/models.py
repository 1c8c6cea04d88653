"""Notices: the in-app message (for one user, or for everyone holding a role), its deliveries by
email, SMS and WhatsApp, the templates they are written from, and each user's choice of channels."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, UtcDateTime


class Notification(Base):
    """A message for one user, or for everyone holding a role (SLA warnings and escalations)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_target", "user_id", "role"),
        UniqueConstraint("key", name="uq_notifications_key"),
    )

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
    # An applicant's notice of an event: the event's identity (one notice per event and person,
    # however often the step that causes it is retried), its title and the page it points to.
    key: Mapped[str | None] = mapped_column(String(160))
    title: Mapped[str | None] = mapped_column(String(200))
    link: Mapped[str | None] = mapped_column(String(300))

    deliveries: Mapped[list[NotificationDelivery]] = relationship(
        back_populates="notification", order_by="NotificationDelivery.id"
    )


class NotificationDelivery(Base):
    """One notice on one channel, written with the notice and sent after commit by the scheduler.
    ``status``: "menunggu" (waiting or being retried), "terkirim", "gagal" (gave up)."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel", name="uq_notification_deliveries_channel"),
        Index("ix_notification_deliveries_due", "status", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    channel: Mapped[str] = mapped_column(String(12))  # email | sms | whatsapp
    address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255), default="")
    text: Mapped[str] = mapped_column(Text)
    # The signed PDF an email carries, when the applicant wants it attached.
    attachment_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    status: Mapped[str] = mapped_column(String(12), default="menunggu")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    notification: Mapped[Notification] = relationship(back_populates="deliveries")


class NotificationTemplate(Base):
    """The admin's wording of one event's notice in one language; the built-in text otherwise."""

    __tablename__ = "notification_templates"
    __table_args__ = (UniqueConstraint("event", "language", name="uq_notification_templates_event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    short: Mapped[str] = mapped_column(String(480))  # SMS and WhatsApp
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class NotificationPreference(Base):
    """How a person wants to hear from the agency; without a row, email (and WhatsApp when they gave
    a number) with the permit attached, in Indonesian."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    sms: Mapped[bool] = mapped_column(Boolean, default=False)
    whatsapp: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    attach_pdf: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    language: Mapped[str] = mapped_column(String(5), default="id", server_default="id")
