"""What the agency publishes about itself: its directory (one profile) and the regulations of its field."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.models import Base, UtcDateTime


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
    kind: Mapped[str] = mapped_column(String(40))        # "Peraturan Daerah", "Peraturan Wali Kota", ...
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
