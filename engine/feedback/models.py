"""The survey's answers (one response per application, nine answers on a 1–4 scale) and complaints."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.core.models import Base, UtcDateTime


class SurveyResponse(Base):
    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One response per application; the respondent is not kept with the answers.
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    permit_type_id: Mapped[int] = mapped_column(ForeignKey("permit_types.id"), index=True)
    answers: Mapped[list] = mapped_column(JSON)  # nine integers 1..4, in the order of the unsur
    comment: Mapped[str | None] = mapped_column(Text)
    month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM in the agency's zone
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    score_version: Mapped[int] = mapped_column(Integer, default=1)


class Complaint(Base):
    """A complaint (pengaduan) from anyone, tracked by its code through the LAPOR! timelines."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    # Contact, only if the complainant gave it (a complaint may be anonymous).
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # [{"nama", "sha256"}]
    publish_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="baru", index=True)  # baru|diproses|dijawab|ditutup
    unit: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ack_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answer_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answer: Mapped[str | None] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When a missed deadline was escalated (once each).
    ack_escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answer_escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
