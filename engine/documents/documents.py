"""Documents the process issues, from the process version's templates, and reading them back.

A task in the diagram with the extension property ``document`` = ``tanda_terima`` | ``skrd`` |
``berita_acara`` | ``izin`` | ``penolakan`` asks for that document once the task completes. The
template names who signs: ``segel`` (the agency's electronic seal, applied by the system),
``petugas`` (the officer who completed the task) or ``kepala_dinas`` (the head, who must be the
acting officer). Personal signatures need the officer's passphrase, typed for that one step and
never stored. In the permit type's ``manual`` signing mode, personally signed documents come out
unsigned for a wet signature; the scanned original is uploaded later (``signatures``).

Generated PDFs are archived like uploads: stored once by hash, listed per application, never
overwritten.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.core.audit import record
from engine.core.clock import aware
from engine.core.errors import NotFound, SigningRefused
from engine.core.localtime import N_, Phrase, local
from engine.core.numbers import next_value
from engine.core.roles import HEAD
from engine.core.services import Services
from engine.documents.bills import open_bill
from engine.documents.certificates import credential_for, require_passphrase_attempts_left
from engine.documents.letters import letter_facts
from engine.documents.models import ArchivedRevision, Document
from engine.workflow import runtime
from engine.workflow.diagram_terms import KIND_TITLES
from engine.workflow.forms import FormDef
from engine.workflow.models import Application
from engine.workflow.version_forms import form_of, template_of

if TYPE_CHECKING:  # accounts sit above this domain; the type is only named
    from engine.accounts.models import User

log = logging.getLogger(__name__)

# Documents anyone may check on the public verification page (the QR code leads there).
VERIFIABLE = (
    "tanda_terima",
    "skrd",
    "berita_acara",
    "izin",
    "penolakan",
    "pencabutan",
    "pembatalan",
    "teguran",
    "pembatalan_penerbitan",
)
# The administrative sanctions on an applicant or permit holder (Palu 2019 art. 19(2)), each a
# signed decision: shown with every document of the application.
SANCTIONS = ("teguran", "pembatalan_penerbitan", "pencabutan", "pembatalan")
STATUS_LABELS = {
    "berlaku": N_("Berlaku"),
    "dicabut": N_("Dicabut"),
    "dibatalkan": N_("Dibatalkan"),
    "kedaluwarsa": N_("Kedaluwarsa (masa berlaku habis)"),
    "menunggu_ttd": N_("Menunggu tanda tangan basah"),
    "diganti": N_("Diganti oleh dokumen bertanda tangan basah"),
}
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_NUMBER_CODES = {
    "izin": "{p}",
    "penolakan": "TOLAK-{p}",
    "berita_acara": "BA-{p}",
    "pencabutan": "CABUT-{p}",
    "pembatalan": "BATAL-{p}",
    "teguran": "TEGUR-{p}",
    "pembatalan_penerbitan": "BATAL-TERBIT-{p}",
}


@dataclass(frozen=True)
class SignatureRequest:
    """The acting officer's passphrase for this one step; it goes to the signer and nowhere else."""

    passphrase: str


def _number(session: Session, kind: str, prefix: str, now: datetime, zone: str) -> str:
    """The document's number; its year and month are the agency's (a letter signed at 02:42 WIB on
    1 January is numbered in the new year)."""
    now = local(now, zone)
    seq = next_value(session, f"doc:{kind}:{prefix}:{now.year}")
    if kind == "tanda_terima":
        return f"TT/{prefix}/{now.year}/{seq:05d}"
    if kind == "skrd":
        return f"SKRD/{prefix}/{now.year}/{seq:05d}"
    code = _NUMBER_CODES.get(kind, "{p}").format(p=prefix)
    return f"503/{seq:04d}/{code}/DPMPTSP/{_ROMAN[now.month - 1]}/{now.year}"


def _personal_signature(
    session: Session,
    services: Services,
    pdf: bytes,
    actor: User,
    mode: str,
    signature: SignatureRequest | None,
    reason: str,
    url: str | None,
    now: datetime,
):
    if mode == "kepala_dinas" and not actor.has_role(HEAD):
        raise SigningRefused(Phrase("Dokumen ini hanya dapat ditandatangani oleh Kepala Dinas."), reason="not_signer")
    if signature is None or not signature.passphrase:
        raise SigningRefused(
            Phrase("Masukkan passphrase sertifikat elektronik Anda untuk menandatangani dokumen."),
            reason="no_passphrase",
        )
    require_passphrase_attempts_left(session, actor)
    certificate, credential = credential_for(session, services, actor, now, signature.passphrase)
    signed = services.documents.sign(pdf, credential, signature.passphrase, reason=reason, url=url)
    return signed, certificate


def issue_document(
    session: Session,
    services: Services,
    application: Application,
    kind: str,
    data: dict,
    source_task_id: str | None,
    actor: User | None,
    now: datetime,
    *,
    signature: SignatureRequest | None = None,
    forms: list[FormDef] | None = None,
    extra: dict | None = None,
) -> Document:
    """Render one document of ``kind`` from the version's template, sign it as the template says,
    and archive it. Raises ``SigningRefused`` (nothing stored) when a personal signature fails."""
    version = application.process_version
    template = template_of(version, kind)
    mode = template.get("signature")
    if actor is None and mode in ("petugas", "kepala_dinas"):
        # No person acts (a deadline passed under the fiktif positif policy): the agency seal signs.
        mode = "segel"
    paper = mode in ("petugas", "kepala_dinas") and application.permit_type.signing_mode == "manual"
    number = _number(session, kind, application.permit_type.prefix, now, services.calendar.zone)
    verify_code = secrets.token_urlsafe(12) if kind in VERIFIABLE else None
    facts, valid_until = letter_facts(
        services,
        application,
        kind,
        template,
        mode,
        data,
        actor,
        now,
        forms,
        extra,
        number=number,
        verify_code=verify_code,
        paper=paper,
    )
    url = facts["verify_url"]
    pdf = services.documents.render(facts)
    title = application.permit_type.name if kind == "izin" else KIND_TITLES.get(kind, kind)
    reason = f"{title} {number}"
    certificate, how = None, None
    if mode == "segel":
        pdf, how = services.documents.seal(pdf, reason=reason, url=url), "segel"
    elif mode and not paper:
        pdf, certificate = _personal_signature(session, services, pdf, actor, mode, signature, reason, url, now)
        how = "tte"
    stored = services.files.put(session, pdf, "application/pdf")
    doc = Document(
        application_id=application.id,
        kind=kind,
        title=title,
        number=number,
        sha256=stored.sha256,
        verify_code=verify_code,
        signed=how is not None,
        signature=how,
        signer_id=getattr(actor, "id", None) if how == "tte" else None,
        signer_certificate_id=certificate.id if certificate else None,
        signed_at=now if how else None,
        valid_until=valid_until,
        status="menunggu_ttd" if paper else "berlaku",
        source_task_id=source_task_id,
        created_by_id=getattr(actor, "id", None),
        created_at=now,
        original_name=f"{kind}-{application.reg_number}.pdf",
        archive_renew_at=services.documents.archive_renew_at() if how else None,
    )
    session.add(doc)
    session.flush()
    summary = {"jenis": kind, "nomor": number, "sha256": stored.sha256, "tanda_tangan": how or "belum"}
    if how == "tte":
        summary["penyedia"] = services.documents.provider_name
        summary["sertifikat"] = certificate.serial if certificate else None
    record(session, "document_issued", actor=actor, application=application, now=now, summary=summary)
    if kind == "skrd":
        open_bill(session, doc, data, now)
    return doc


def issue_pending_documents(
    session: Session,
    services: Services,
    application: Application,
    workflow,
    actor: User | None,
    now: datetime,
    issued_before: set[str],
    signature: SignatureRequest | None = None,
) -> list[Document]:
    """Issue the document of every marker task completed since the step began.

    ``issued_before`` holds the marker tasks already completed when the workflow was loaded: their
    documents were issued in the transaction that completed them, so no query is needed to skip them.
    """
    issued = []
    version = application.process_version
    for marker in runtime.completed_marker_tasks(workflow, "document"):
        if marker.task_id in issued_before or marker.value not in KIND_TITLES:
            continue
        forms = [form_of(version, marker.form_schema, marker.form_ui)] if marker.form_schema else []
        issued.append(
            issue_document(
                session,
                services,
                application,
                marker.value,
                marker.data,
                marker.task_id,
                actor,
                now,
                signature=signature,
                forms=forms,
            )
        )
    return issued


def effective_status(doc: Document, now: datetime) -> str:
    if doc.status == "berlaku" and doc.valid_until is not None and aware(doc.valid_until) < now:
        return "kedaluwarsa"
    return doc.status


def documents_of(session: Session, application: Application) -> list[Document]:
    return list(
        session.scalars(
            select(Document).where(Document.application_id == application.id).order_by(Document.created_at, Document.id)
        )
    )


def sanctions_of(session: Session, application_id: int) -> list[Document]:
    """The sanction decisions issued on an application, oldest first."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.application_id == application_id, Document.kind.in_(SANCTIONS))
            .order_by(Document.created_at, Document.id)
        )
    )


def get_document(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound(Phrase("Dokumen tidak ditemukan."))
    return doc


def document_by_code(session: Session, code: str) -> Document:
    doc = session.scalar(select(Document).where(Document.verify_code == code))
    if doc is None:
        raise NotFound(Phrase("Kode verifikasi tidak dikenal. Periksa kembali kode pada dokumen."))
    return doc


_EOF = re.compile(rb"%%EOF[\r\n]{0,2}")


def signed_prefixes(content: bytes) -> list[str]:
    """SHA-256 of each earlier revision of a PDF (incremental updates each end with ``%%EOF``),
    newest first: an archived original followed by edits appended later is found by one of these."""
    ends = [m.end() for m in _EOF.finditer(content) if m.end() < len(content)]
    return [hashlib.sha256(content[:end]).hexdigest() for end in reversed(ends)]


def documents_by_hash(session: Session, sha256: str) -> list[Document]:
    """Archived documents with these exact bytes, now or before an archive timestamp was added."""
    earlier = select(ArchivedRevision.document_id).where(ArchivedRevision.sha256 == sha256)
    return list(
        session.scalars(
            select(Document).where((Document.sha256 == sha256) | Document.id.in_(earlier), Document.kind != "lampiran")
        )
    )


def renew_archive_timestamps(session: Session, services: Services, now: datetime, *, batch: int = 200) -> int:
    """The scheduler's job: documents whose archive timestamp is due get current validation
    data and a new one (PAdES B-LTA), oldest due first, ``batch`` per pass. The earlier bytes
    stay archived and still verify as the original. How many were renewed."""
    due = session.scalars(
        select(Document)
        .where(Document.archive_renew_at <= now, Document.signature.in_(("segel", "tte")))
        .order_by(Document.archive_renew_at)
        .limit(batch)
    ).all()
    for doc in due:
        try:
            renewed = services.documents.renew_archive(services.files.read(doc.sha256))
        except Exception:
            log.exception("Cap waktu arsip dokumen %s tidak dapat diperbarui; dicoba lagi besok.", doc.id)
            doc.archive_renew_at = now + timedelta(days=1)
            continue
        stored = services.files.put(session, renewed, "application/pdf")
        session.add(ArchivedRevision(document_id=doc.id, sha256=doc.sha256, superseded_at=now))
        record(
            session,
            "archive_timestamp_renewed",
            application=doc.application,
            now=now,
            summary={"dokumen": doc.id, "nomor": doc.number, "sha256_lama": doc.sha256, "sha256": stored.sha256},
        )
        doc.sha256, doc.archive_renew_at = stored.sha256, services.documents.archive_renew_at()
    return len(due)
