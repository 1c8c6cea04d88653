"""What happens to an issued permit afterwards: revocation or cancellation by the head of agency
(a signed decision; the verification page reflects it at once), and archiving the scanned
original of a document signed by hand (permit types still in the ``manual`` signing mode)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from .audit import record
from .clock import utcnow
from .documents import SignatureRequest, get_document, issue_document
from .errors import Conflict, PermissionDenied, ValidationFailed
from .permissions import require_may_view
from .files import Upload, check_upload, reencoded
from .localtime import format_date
from .models import Document, User
from .roles import FRONT_OFFICE, HEAD

ENDINGS = {"pencabutan": "dicabut", "pembatalan": "dibatalkan"}
ENDING_LABELS = {"pencabutan": "Pencabutan izin", "pembatalan": "Pembatalan izin"}
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")


def end_permit(session: Session, services, actor: User, document_id: int, action: str, reason: str,
               legal_basis: str, signature: SignatureRequest | None, now: datetime | None = None) -> Document:
    """The head revokes (``pencabutan``) or cancels (``pembatalan``) an issued permit.

    Effects: a decision document signed by the head, the permit's status ``dicabut``/``dibatalkan``
    with the reason, audit ``permit_revoked``/``permit_cancelled``.
    Errors: PermissionDenied (not the head), Conflict (not an active permit), ValidationFailed
    (reason or legal basis missing), SigningRefused (nothing changed).
    """
    now = now or utcnow()
    if not actor.has_role(HEAD):
        raise PermissionDenied("Hanya Kepala Dinas yang dapat mencabut atau membatalkan izin.")
    if action not in ENDINGS:
        raise ValidationFailed("Tindakan tidak dikenal.", {"tindakan": "Pilih pencabutan atau pembatalan."})
    permit = get_document(session, document_id)
    require_may_view(actor, permit.application)
    if permit.kind != "izin" or permit.status != "berlaku":
        raise Conflict("Hanya izin yang masih berlaku yang dapat dicabut atau dibatalkan.")
    errors = {}
    if len((reason or "").strip()) < 10:
        errors["alasan"] = "Tuliskan alasan (paling sedikit 10 karakter)."
    if len((legal_basis or "").strip()) < 5:
        errors["dasar_hukum"] = "Tuliskan dasar hukum keputusan ini."
    if errors:
        raise ValidationFailed("Keputusan belum lengkap.", errors)
    application = permit.application
    decision = issue_document(
        session, services, application, action, {}, None, actor, now, signature=signature,
        extra={"alasan": reason.strip(), "dasar_hukum": legal_basis.strip(), "izin_nomor": permit.number,
               "izin_tanggal": format_date(permit.created_at, services.calendar.zone)})
    permit.status = ENDINGS[action]
    permit.status_reason = reason.strip()[:2000]
    permit.status_changed_at = now
    permit.superseded_by_id = decision.id
    session.flush()
    record(session, "permit_revoked" if action == "pencabutan" else "permit_cancelled", actor=actor,
           application=application, now=now,
           summary={"izin": permit.number, "keputusan": decision.number, "alasan": reason[:200],
                    "dasar_hukum": legal_basis[:200]})
    return decision


def upload_hand_signed(session: Session, services, actor: User, document_id: int, upload: Upload,
                       now: datetime | None = None) -> Document:
    """Archive the scan of a document that was printed, signed by hand and stamped.

    Effects: the scan as a new document (``signature`` = ``basah``) that takes the draft's place
    (the draft stays archived as ``diganti``), audit ``hand_signed_archived`` with its SHA-256.
    Errors: PermissionDenied, Conflict (not awaiting a hand signature), ValidationFailed (file).
    """
    now = now or utcnow()
    if not (actor.has_role(FRONT_OFFICE) or actor.has_role(HEAD)):
        raise PermissionDenied("Hanya Front Office atau Kepala Dinas yang dapat mengunggah dokumen bertanda "
                               "tangan basah.")
    draft = get_document(session, document_id)
    require_may_view(actor, draft.application)
    if draft.status != "menunggu_ttd":
        raise Conflict("Dokumen ini tidak sedang menunggu tanda tangan basah.")
    mime, error = check_upload(upload, SCAN_TYPES, 10)
    if error:
        raise ValidationFailed("Berkas pindaian ditolak.", {"berkas": error})
    stored = services.files.put(session, reencoded(upload.content, mime), mime)
    scan = Document(application_id=draft.application_id, kind=draft.kind, title=draft.title, number=draft.number,
                    sha256=stored.sha256, signed=True, signature="basah", signer_id=None,
                    signed_at=now, valid_until=draft.valid_until, status="berlaku",
                    original_name=(upload.filename or "pindaian")[:255], source_task_id=draft.source_task_id,
                    created_by_id=actor.id, created_at=now)
    session.add(scan)
    session.flush()
    draft.status, draft.status_changed_at, draft.superseded_by_id = "diganti", now, scan.id
    record(session, "hand_signed_archived", actor=actor, application=draft.application, now=now,
           summary={"nomor": draft.number, "sha256": stored.sha256, "berkas": upload.filename[:120]})
    return scan
