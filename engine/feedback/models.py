"""The survey's answers: one response per application, nine answers on a 1–4 scale."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
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
