"""Requests other systems forward to the agency (an application OSS RBA sends on for a regional
permit, PB UMKU, waiting for the business to complete it here), and the files a form with errors holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.models import Base, UtcDateTime


class ForwardedRequest(Base):
    __tablename__ = "forwarded_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # "oss"
    external_id: Mapped[str] = mapped_column(String(64), unique=True)  # OSS's own id for the request
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"))
    nib: Mapped[str] = mapped_column(String(20))
    business_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(255))
    nik: Mapped[str | None] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))


class HeldUpload(Base):
    """A file a person uploaded with a form that came back with errors, held (by its hash) so the
    corrected form does not ask for it again; taken by the form's next post, dropped after two days."""

    __tablename__ = "held_uploads"
    __table_args__ = (UniqueConstraint("user_id", "form_key", "field", "sha256", name="uq_held_uploads_file"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    form_key: Mapped[str] = mapped_column(String(80))  # "ajukan:<permit type>" or "tugas:<work item>"
    field: Mapped[str] = mapped_column(String(100))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
