"""The head's sanctions on an applicant or permit holder (Palu 2019 art. 19(2)), each a signed
decision that the verification page and the holder see at once: a written warning, cancelling the
permit about to be issued (the process stops), and revoking or cancelling an issued permit. Also
archiving the scanned original of a document signed by hand (permit types in the ``manual`` mode)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.accounts.permissions import require_may_view
from engine.casework.applications import flush_or_conflict, sync_worklist
from engine.casework.queries import get_application
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import Conflict, PermissionDenied, ValidationFailed
from engine.core.files import Upload, check_upload, reencoded
from engine.core.localtime import N_, Phrase, format_date
from engine.core.roles import FRONT_OFFICE, HEAD
from engine.documents import bills
from engine.documents.documents import SignatureRequest, get_document, issue_document
from engine.documents.models import Document
from engine.notifications import events
from engine.service_time import sla
from engine.workflow import runtime
from engine.workflow.models import Application
from engine.workflow.version_forms import load_workflow

ENDINGS = {"pencabutan": "dicabut", "pembatalan": "dibatalkan"}
ENDING_LABELS = {
    "pencabutan": N_("Pencabutan izin"),
    "pembatalan": N_("Pembatalan izin"),
    "teguran": N_("Teguran tertulis"),
    "pembatalan_penerbitan": N_("Pembatalan penerbitan izin"),
}
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")
# The application is still running and no permit is out yet: its issue can be cancelled.
_OPEN = ("diproses", "dikembalikan")


def _require_head(actor: User) -> None:
    if not actor.has_role(HEAD):
        raise PermissionDenied(Phrase("Hanya Kepala Dinas yang dapat menetapkan sanksi administratif."))


def _grounds(reason: str, legal_basis: str, **more: tuple[str, str]) -> tuple[str, str]:
    """The reason and legal basis every decision states (and any other required text), stripped.
    Errors: ValidationFailed naming each missing field."""
    errors = {}
    reason, legal_basis = (reason or "").strip(), (legal_basis or "").strip()
    if len(reason) < 10:
        errors["alasan"] = Phrase("Tuliskan alasan (paling sedikit 10 karakter).")
    if len(legal_basis) < 5:
        errors["dasar_hukum"] = Phrase("Tuliskan dasar hukum keputusan ini.")
    for name, (value, message) in more.items():
        if len((value or "").strip()) < 5:
            errors[name] = message
    if errors:
        raise ValidationFailed(Phrase("Keputusan belum lengkap."), errors)
    return reason[:2000], legal_basis[:500]


def _tell_holder(
    session: Session, services, application: Application, decision: Document, text: str, now: datetime
) -> None:
    """The applicant learns of a sanction in the portal and on the channels they chose, with the link to verify it."""
    events.permit_ended(session, services, application, decision, text, now)


def end_permit(
    session: Session,
    services,
    actor: User,
    document_id: int,
    action: str,
    reason: str,
    legal_basis: str,
    signature: SignatureRequest | None,
    now: datetime | None = None,
) -> Document:
    """The head revokes (``pencabutan``) or cancels (``pembatalan``) an issued permit.

    Effects: a decision document signed by the head, the permit's status ``dicabut``/``dibatalkan``
    with the reason, audit ``permit_revoked``/``permit_cancelled``.
    Errors: PermissionDenied (not the head), Conflict (not an active permit), ValidationFailed
    (reason or legal basis missing), SigningRefused (nothing changed).
    """
    now = now or utcnow()
    _require_head(actor)
    if action not in ENDINGS:
        raise ValidationFailed(
            Phrase("Tindakan tidak dikenal."), {"tindakan": Phrase("Pilih pencabutan atau pembatalan.")}
        )
    permit = get_document(session, document_id)
    require_may_view(actor, permit.application)
    if permit.kind != "izin" or permit.status != "berlaku":
        raise Conflict(Phrase("Hanya izin yang masih berlaku yang dapat dicabut atau dibatalkan."))
    reason, legal_basis = _grounds(reason, legal_basis)
    application = permit.application
    decision = issue_document(
        session,
        services,
        application,
        action,
        {},
        None,
        actor,
        now,
        signature=signature,
        extra={
            "alasan": reason,
            "dasar_hukum": legal_basis,
            "izin_nomor": permit.number,
            "izin_tanggal": format_date(permit.created_at, services.calendar.zone),
        },
    )
    decision.grounds = reason
    permit.status = ENDINGS[action]
    permit.status_reason = reason
    permit.status_changed_at = now
    permit.superseded_by_id = decision.id
    session.flush()
    record(
        session,
        "permit_revoked" if action == "pencabutan" else "permit_cancelled",
        actor=actor,
        application=application,
        now=now,
        summary={
            "izin": permit.number,
            "keputusan": decision.number,
            "alasan": reason[:200],
            "dasar_hukum": legal_basis[:200],
        },
    )
    _tell_holder(
        session,
        services,
        application,
        decision,
        f"{permit.title} Nomor {permit.number} {ENDINGS[action]} dengan {decision.title} Nomor "
        f"{decision.number}. Alasan: {reason}",
        now,
    )
    return decision


def _issued_permit(session: Session, application: Application) -> Document | None:
    return session.scalar(
        select(Document)
        .where(
            Document.application_id == application.id,
            Document.kind == "izin",
            Document.status.in_(("berlaku", "menunggu_ttd", "dicabut", "dibatalkan")),
        )
        .limit(1)
    )


def warn(
    session: Session,
    services,
    actor: User,
    application_id: int,
    reason: str,
    legal_basis: str,
    required: str,
    signature: SignatureRequest | None,
    now: datetime | None = None,
) -> Document:
    """The head gives the applicant or permit holder a written warning (teguran tertulis).

    Effects: a signed warning letter stating the breach, its legal basis and what the holder must
    do; the holder is told in the portal and by email; audit ``written_warning_issued``. The
    application and its permit are otherwise unchanged.
    Errors: PermissionDenied, Conflict (not submitted yet), ValidationFailed, SigningRefused.
    """
    now = now or utcnow()
    _require_head(actor)
    application = get_application(session, application_id)
    require_may_view(actor, application)
    if application.submitted_at is None:
        raise Conflict(Phrase("Permohonan ini belum diajukan."))
    reason, legal_basis = _grounds(
        reason, legal_basis, kewajiban=(required, Phrase("Tuliskan apa yang wajib dilakukan Pemohon."))
    )
    permit = _issued_permit(session, application)
    decision = issue_document(
        session,
        services,
        application,
        "teguran",
        {},
        None,
        actor,
        now,
        signature=signature,
        extra={
            "alasan": reason,
            "dasar_hukum": legal_basis,
            "kewajiban": required.strip()[:2000],
            "subjek": "pemegang" if permit else "pemohon",
            "izin_keterangan": f" dan Nomor Izin {permit.number}" if permit else "",
        },
    )
    decision.grounds = reason
    session.flush()
    record(
        session,
        "written_warning_issued",
        actor=actor,
        application=application,
        now=now,
        summary={
            "teguran": decision.number,
            "izin": permit.number if permit else None,
            "alasan": reason[:200],
            "dasar_hukum": legal_basis[:200],
        },
    )
    _tell_holder(
        session,
        services,
        application,
        decision,
        f"Anda menerima {decision.title} Nomor {decision.number} atas permohonan {application.reg_number}. "
        f"Alasan: {reason} Yang wajib Anda lakukan: {required.strip()}",
        now,
    )
    return decision


def sanction(
    session: Session,
    services,
    actor: User,
    application_id: int,
    action: str,
    reason: str,
    legal_basis: str,
    required: str,
    signature: SignatureRequest | None,
    now: datetime | None = None,
) -> Document:
    """``teguran`` (see ``warn``) or ``pembatalan_penerbitan`` (see ``cancel_before_issue``)."""
    _require_head(actor)
    if action == "teguran":
        return warn(session, services, actor, application_id, reason, legal_basis, required, signature, now)
    if action == "pembatalan_penerbitan":
        return cancel_before_issue(session, services, actor, application_id, reason, legal_basis, signature, now)
    raise ValidationFailed(
        Phrase("Tindakan tidak dikenal."),
        {"tindakan": Phrase("Pilih teguran tertulis atau pembatalan penerbitan izin.")},
    )


def cancel_before_issue(
    session: Session,
    services,
    actor: User,
    application_id: int,
    reason: str,
    legal_basis: str,
    signature: SignatureRequest | None,
    now: datetime | None = None,
) -> Document:
    """The head cancels the permit an application was about to get (pembatalan izin yang akan
    diterbitkan): the process stops for good and no permit is issued.

    Effects: a signed cancellation decision; the application ``dibatalkan`` (closed, its open tasks
    cancelled, its timers and service clock stopped); an unpaid SKRD of it no longer in force; the
    applicant told in the portal and by email; audit ``permit_issue_cancelled``.
    Errors: PermissionDenied, Conflict (the application has ended, or its permit is already issued:
    revoke or cancel that instead), ValidationFailed, SigningRefused (nothing changed).
    """
    now = now or utcnow()
    _require_head(actor)
    application = get_application(session, application_id)
    require_may_view(actor, application)
    if _issued_permit(session, application) is not None:
        raise Conflict(Phrase("Izin atas permohonan ini sudah diterbitkan: gunakan pencabutan atau pembatalan izin."))
    if application.status not in _OPEN or application.closed_at is not None:
        raise Conflict(Phrase("Permohonan ini sudah berakhir; tidak ada izin yang akan diterbitkan."))
    reason, legal_basis = _grounds(reason, legal_basis)
    decision = issue_document(
        session,
        services,
        application,
        "pembatalan_penerbitan",
        {},
        None,
        actor,
        now,
        signature=signature,
        extra={
            "alasan": reason,
            "dasar_hukum": legal_basis,
            "permohonan_tanggal": format_date(application.submitted_at, services.calendar.zone),
        },
    )
    decision.grounds = reason
    workflow = load_workflow(application)
    runtime.cancel(workflow)
    sync_worklist(session, application, [], now)
    application.workflow_json = runtime.dump(workflow)
    application.status, application.stage = "dibatalkan", "Dibatalkan (sanksi administratif)"
    application.closed_at, application.outcome_reason, application.next_timer_at = now, reason, None
    for bill in session.scalars(
        select(Document).where(
            Document.application_id == application.id, Document.kind == "skrd", Document.status == "berlaku"
        )
    ):
        bill.status, bill.status_changed_at, bill.superseded_by_id = "dibatalkan", now, decision.id
        bill.status_reason = "Penerbitan izin dibatalkan; retribusi tidak lagi terutang."
    bills.void_open(session, application.id, now)
    flush_or_conflict(session)
    sla.on_step(
        session,
        services.calendar,
        application,
        receipt_issued=False,
        decided=True,
        waiting=None,
        finished=True,
        now=now,
    )
    record(
        session,
        "permit_issue_cancelled",
        actor=actor,
        application=application,
        now=now,
        summary={"keputusan": decision.number, "alasan": reason[:200], "dasar_hukum": legal_basis[:200]},
    )
    _tell_holder(
        session,
        services,
        application,
        decision,
        f"Penerbitan {application.permit_type.name} atas permohonan {application.reg_number} dibatalkan "
        f"dengan {decision.title} Nomor {decision.number}. Alasan: {reason}",
        now,
    )
    return decision


def upload_hand_signed(
    session: Session, services, actor: User, document_id: int, upload: Upload, now: datetime | None = None
) -> Document:
    """Archive the scan of a document that was printed, signed by hand and stamped.

    Effects: the scan as a new document (``signature`` = ``basah``) that takes the draft's place
    (the draft stays archived as ``diganti``), audit ``hand_signed_archived`` with its SHA-256.
    Errors: PermissionDenied, Conflict (not awaiting a hand signature), ValidationFailed (file).
    """
    now = now or utcnow()
    if not (actor.has_role(FRONT_OFFICE) or actor.has_role(HEAD)):
        raise PermissionDenied(
            Phrase("Hanya Front Office atau Kepala Dinas yang dapat mengunggah dokumen bertanda tangan basah.")
        )
    draft = get_document(session, document_id)
    require_may_view(actor, draft.application)
    if draft.status != "menunggu_ttd":
        raise Conflict(Phrase("Dokumen ini tidak sedang menunggu tanda tangan basah."))
    mime, error = check_upload(upload, SCAN_TYPES, 10)
    if error:
        raise ValidationFailed(Phrase("Berkas pindaian ditolak."), {"berkas": error})
    stored = services.files.put(session, reencoded(upload.content, mime), mime)
    scan = Document(
        application_id=draft.application_id,
        kind=draft.kind,
        title=draft.title,
        number=draft.number,
        sha256=stored.sha256,
        signed=True,
        signature="basah",
        signer_id=None,
        signed_at=now,
        valid_until=draft.valid_until,
        status="berlaku",
        original_name=(upload.filename or "pindaian")[:255],
        source_task_id=draft.source_task_id,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(scan)
    session.flush()
    draft.status, draft.status_changed_at, draft.superseded_by_id = "diganti", now, scan.id
    record(
        session,
        "hand_signed_archived",
        actor=actor,
        application=draft.application,
        now=now,
        summary={"nomor": draft.number, "sha256": stored.sha256, "berkas": upload.filename[:120]},
    )
    return scan
