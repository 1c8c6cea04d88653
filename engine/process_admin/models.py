"""A permit type's draft process, as a process admin edits it before publishing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.core.models import Base, UtcDateTime

if TYPE_CHECKING:  # relationships name these classes; the ORM resolves them by name
    from engine.workflow.models import PermitType, ProcessVersion


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
