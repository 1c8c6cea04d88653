"""Documents the process issues (receipt, permit, rejection letter) and reading them back.

A task in the diagram with the extension property ``document`` = ``tanda_terima`` | ``izin`` |
``penolakan`` asks for that document when the process passes it. Generated PDFs are archived
like uploads: stored once by hash, listed per application, never overwritten.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import runtime
from .audit import record
from .errors import NotFound
from .forms import format_date
from .models import Application, Document, User
from .numbers import next_value
from .services import Services
from .version_forms import submission_form

KIND_TITLES = {
    "tanda_terima": "Tanda Terima Berkas",
    "izin": "Surat Izin",
    "penolakan": "Surat Penolakan Permohonan",
    "lampiran": "Lampiran",
}
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _number(session: Session, kind: str, prefix: str, now: datetime) -> str:
    seq = next_value(session, f"doc:{kind}:{prefix}:{now.year}")
    if kind == "tanda_terima":
        return f"TT/{prefix}/{now.year}/{seq:05d}"
    code = {"izin": prefix, "penolakan": f"TOLAK-{prefix}"}[kind]
    return f"503/{seq:04d}/{code}/DPMPTSP/{_ROMAN[now.month - 1]}/{now.year}"


def _facts(services: Services, application: Application, data: dict, kind: str, number: str,
           now: datetime, verify_code: str | None) -> dict:
    form = submission_form(application.process_version)
    fields = [(f.title, f.label_for(data.get(f.name))) for f in form.fields if not f.is_file]
    attachments = [(f.title, f.label_for(data.get(f.name))) for f in form.fields if f.is_file]
    agency = services.agency
    return {
        "kind": kind,
        "number": number,
        "date": format_date(now.date()),
        "issued_at": now.isoformat(),
        "agency": vars(agency),
        "permit_name": application.permit_type.name,
        "reg_number": application.reg_number,
        "applicant_name": application.applicant.name,
        "applicant_nik": application.applicant.nik or "",
        "fields": fields,
        "attachments": attachments,
        "retribution": data.get("retribusi"),
        "reason": data.get("alasan_penolakan") or "",
        "verify_code": verify_code,
        "verify_url": services.verify_url(verify_code) if verify_code else None,
    }


def issue_document(session: Session, services: Services, application: Application, kind: str, data: dict,
                   source_task_id: str | None, actor: User | None, now: datetime) -> Document:
    """Render (and for a permit, sign) one document of ``kind`` and archive it."""
    prefix = application.permit_type.prefix
    number = _number(session, kind, prefix, now)
    verify_code = secrets.token_urlsafe(12) if kind in ("izin", "penolakan") else None
    facts = _facts(services, application, data, kind, number, now, verify_code)
    pdf = services.documents.render(kind, facts)
    signed = kind in ("izin", "penolakan")
    if signed:
        pdf = services.documents.sign(pdf, reason=f"{KIND_TITLES[kind]} {number}",
                                      signer_name=services.agency.head_name)
    stored = services.files.put(session, pdf, "application/pdf")
    title = KIND_TITLES[kind] if kind != "izin" else application.permit_type.name
    doc = Document(application_id=application.id, kind=kind, title=title, number=number,
                   sha256=stored.sha256, verify_code=verify_code, signed=signed,
                   source_task_id=source_task_id, created_by_id=getattr(actor, "id", None), created_at=now,
                   original_name=f"{kind}-{application.reg_number}.pdf")
    session.add(doc)
    session.flush()
    record(session, "document_issued", actor=actor, application=application, now=now,
           summary={"jenis": kind, "nomor": number, "sha256": stored.sha256, "ditandatangani": signed})
    return doc


def issue_pending_documents(session: Session, services: Services, application: Application, workflow,
                            actor: User | None, now: datetime, issued_before: set[str]) -> list[Document]:
    """Issue the document of every marker task completed since the step began.

    ``issued_before`` holds the marker tasks already completed when the workflow was loaded: their
    documents were issued in the transaction that completed them, so no query is needed to skip them.
    """
    issued = []
    for task_id, kind, data in runtime.completed_marker_tasks(workflow, "document"):
        if task_id not in issued_before and kind in KIND_TITLES:
            issued.append(issue_document(session, services, application, kind, data, task_id, actor, now))
    return issued


def documents_of(session: Session, application: Application) -> list[Document]:
    return list(session.scalars(select(Document).where(Document.application_id == application.id)
                                .order_by(Document.created_at, Document.id)))


def get_document(session: Session, document_id: int) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound("Dokumen tidak ditemukan.")
    return doc


def document_by_code(session: Session, code: str) -> Document:
    doc = session.scalar(select(Document).where(Document.verify_code == code))
    if doc is None:
        raise NotFound("Kode verifikasi tidak dikenal. Periksa kembali kode pada dokumen.")
    return doc
