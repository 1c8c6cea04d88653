"""What the agency publishes about itself (its directory and the regulations of its field), the queue at
its counters, and the help desk's threads."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, UtcDateTime

if TYPE_CHECKING:  # relationships name these classes; the ORM resolves them by name
    from engine.accounts.models import User


class DirectoryEntry(Base):
    """One part of the agency's public profile, by key: ``profil`` (address, hours, contact, map),
    ``unit`` (bidang and their tasks), ``loket`` (service counters), ``pejabat`` (officials by position)."""

    __tablename__ = "directory_entries"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    content: Mapped[dict | list] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Regulation(Base):
    __tablename__ = "regulations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # "Peraturan Daerah", "Peraturan Wali Kota", ...
    number: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_files.sha256"))
    file_name: Mapped[str | None] = mapped_column(String(255))
    permit_type_codes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QueueTicket(Base):
    """A queue number for one service counter on one day, taken at the kiosk or online (with a time
    slot); ``status``: menunggu, dipanggil, selesai, lewat (called and not there)."""

    __tablename__ = "queue_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    counter: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(10))  # kiosk | online
    slot_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(10), default="menunggu")
    desk: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    called_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class HelpThread(Base):
    """A help-desk thread (R4.2): an applicant's consultation request, answered by the front office,
    or a staff member's question to the admins. ``status``: terbuka, dijawab, selesai."""

    __tablename__ = "help_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # konsultasi | bantuan
    subject: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="terbuka")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    messages: Mapped[list[HelpMessage]] = relationship(order_by="HelpMessage.id", cascade="all, delete-orphan")


class HelpMessage(Base):
    __tablename__ = "help_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("help_threads.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    author: Mapped[User] = relationship()
