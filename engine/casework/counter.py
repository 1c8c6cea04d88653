"""Applying at the counter for a person who cannot use the system themselves (R2.13): the front
office fills the application with them and keeps their signed consent with the file."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework.applications import submit_application
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.files import Upload, check_upload, reencoded
from engine.core.localtime import Phrase
from engine.core.roles import APPLICANT, FRONT_OFFICE
from engine.core.services import Services
from engine.documents.models import Document
from engine.workflow.models import Application, PermitType

CONSENT_TYPES = ["application/pdf", "image/jpeg", "image/png"]
CONSENT_MAX_MB = 5


def submit_for(
    session: Session,
    services: Services,
    officer: User,
    person: User,
    permit_type: PermitType,
    raw: dict,
    uploads: list[Upload],
    consent: Upload | None,
    now: datetime | None = None,
) -> Application:
    """The front office submits ``person``'s application, with the person's signed statement that
    they asked for it (a scan or photo of the signed receipt or statement).

    Effects: what ``submit_application`` does (the person is the applicant), the consent as a
    document of the file, audit ``submitted_at_counter`` naming the officer.
    Errors: PermissionDenied, ValidationFailed (the form, or the consent missing or unreadable)."""
    now = now or utcnow()
    if not officer.has_role(FRONT_OFFICE):
        raise PermissionDenied(Phrase("Hanya Front Office yang dapat mengajukan permohonan atas nama Pemohon."))
    if not person.has_role(APPLICANT) or not person.active:
        raise PermissionDenied(Phrase("Permohonan hanya dapat diajukan atas nama akun Pemohon yang aktif."))
    mime, problem = (
        (None, "Unggah pindaian atau foto surat pernyataan yang ditandatangani Pemohon.")
        if (consent is None or not consent.content)
        else check_upload(consent, CONSENT_TYPES, CONSENT_MAX_MB)
    )
    if problem:
        raise ValidationFailed(Phrase("Persetujuan Pemohon belum ada."), {"persetujuan": problem})
    application = submit_application(session, services, permit_type, person, raw, uploads, now)
    stored = services.files.put(session, reencoded(consent.content, mime), mime)
    document = Document(
        application_id=application.id,
        kind="persetujuan",
        title="Pernyataan persetujuan Pemohon",
        field="persetujuan",
        original_name=consent.filename[:255],
        sha256=stored.sha256,
        created_by_id=officer.id,
        created_at=now,
    )
    session.add(document)
    session.flush()
    record(
        session,
        "submitted_at_counter",
        actor=officer,
        application=application,
        now=now,
        summary={"pemohon": person.id, "persetujuan": document.id},
    )
    return application
