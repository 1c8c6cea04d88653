"""The satisfaction survey offered once a permit is handed over: the applicant answers the nine
elements once per application; supervisors read the index per period and permit type."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import Phrase, local
from engine.feedback.ikm import UNSUR, Index, index
from engine.feedback.models import SurveyResponse
from engine.workflow.models import Application

# Files whose service is over for the applicant: the permit was handed over.
DONE = ("selesai",)


def answered(session: Session, application_id: int) -> bool:
    return session.scalar(select(SurveyResponse.id).where(SurveyResponse.application_id == application_id)) is not None


def open_for(session: Session, application: Application) -> bool:
    """Whether the applicant may answer the survey for this file now."""
    return application.status in DONE and not answered(session, application.id)


def answer(
    session: Session, actor: User, application_id: int, given: dict, zone: str, now: datetime | None = None
) -> SurveyResponse:
    """The applicant's answers (``unsur_1`` … ``unsur_9``, each 1–4, and an optional comment).

    Effects: the response (without who gave it), audit ``survey_answered``.
    Errors: NotFound, PermissionDenied (not the applicant), Conflict (not handed over, or answered),
    ValidationFailed (an element unanswered)."""
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(Phrase("Permohonan tidak ditemukan."))
    if application.applicant_id != actor.id:
        raise PermissionDenied(Phrase("Survei diisi oleh Pemohon permohonan ini."))
    return _store(session, application, given, zone, actor, now or utcnow())


def answer_at_kiosk(
    session: Session, reg_number: str, nik_end: str, given: dict, zone: str, now: datetime | None = None
) -> SurveyResponse:
    """The same at the kiosk, without signing in: the registration number and the last four digits of
    the applicant's NIK show it is theirs. Errors: as ``answer``; a wrong pair is NotFound."""
    application = session.scalar(
        select(Application).where(Application.reg_number == (reg_number or "").strip().upper())
    )
    nik = application.applicant.nik if application is not None else None
    if application is None or not nik or len((nik_end or "").strip()) != 4 or not nik.endswith(nik_end.strip()):
        raise NotFound(Phrase("Nomor registrasi dan 4 angka terakhir NIK tidak cocok."))
    return _store(session, application, given, zone, None, now or utcnow())


def _store(
    session: Session, application: Application, given: dict, zone: str, actor: User | None, now: datetime
) -> SurveyResponse:
    if application.status not in DONE:
        raise Conflict(Phrase("Survei kepuasan dibuka setelah izin diserahkan."))
    if answered(session, application.id):
        raise Conflict(Phrase("Survei untuk permohonan ini sudah diisi. Terima kasih."))
    answers, errors = [], {}
    for number, (title, _question) in enumerate(UNSUR, start=1):
        value = str(given.get(f"unsur_{number}", "")).strip()
        if value not in ("1", "2", "3", "4"):
            errors[f"unsur_{number}"] = Phrase("Pilih penilaian untuk %(title)s.", title=title.lower())
        else:
            answers.append(int(value))
    if errors:
        raise ValidationFailed(Phrase("Survei belum lengkap."), errors)
    response = SurveyResponse(
        application_id=application.id,
        permit_type_id=application.permit_type_id,
        answers=answers,
        comment=(str(given.get("saran") or "").strip()[:2000] or None),
        month=local(now, zone).strftime("%Y-%m"),
        submitted_at=now,
    )
    session.add(response)
    record(
        session, "survey_answered", actor=actor, application=application, now=now, summary={"anjungan": actor is None}
    )
    return response


@dataclass(frozen=True)
class Report:
    start: str  # YYYY-MM
    end: str
    index: Index | None
    comments: list[str]


def report(session: Session, start: str, end: str, permit_types: Collection[int] | None = None) -> Report:
    """The index of the responses of months ``start`` to ``end``, of the given permit types (None: all)."""
    query = select(SurveyResponse.answers, SurveyResponse.comment).where(
        SurveyResponse.month >= start, SurveyResponse.month <= end
    )
    if permit_types is not None:
        query = query.where(SurveyResponse.permit_type_id.in_(list(permit_types)))
    rows = session.execute(query.order_by(SurveyResponse.id)).all()
    return Report(
        start, end, index([answers for answers, _ in rows]), [comment for _, comment in rows if comment][:200]
    )
