"""Requests other systems forward to the agency: an application OSS RBA sends on for a regional
permit (PB UMKU, a commitment to fulfil), waiting for the business to complete it here."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.models import Base, UtcDateTime


class ForwardedRequest(Base):
    __tablename__ = "forwarded_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))          # "oss"
    external_id: Mapped[str] = mapped_column(String(64), unique=True)  # OSS's own id for the request
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"))
    nib: Mapped[str] = mapped_column(String(20))
    business_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(255))
    nik: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
