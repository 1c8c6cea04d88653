"""Pencatatan Manual (R7.3): what was done on paper while the network was down is entered afterwards
with its original time and the paper's reference. The entry runs the same verbs at the original time,
so the file's history, its service time and its deadlines read as if the system had been up; the
audit keeps both the original time and when it was entered, and by whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework import counter
from engine.casework.tasks import complete_task, get_item
from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import NotFound, ValidationFailed
from engine.core.files import Upload
from engine.core.localtime import Phrase
from engine.core.services import Services
from engine.service_time.models import ForceMajeure
from engine.workflow.models import Application, PermitType, WorkItem


@dataclass(frozen=True)
class PaperRecord:
    """What the paper says: when it happened, its reference (register number), and the outage."""

    force_id: int
    original_at: datetime | None
    reference: str


RECENT = timedelta(days=60)


def outages(session: Session, now: datetime | None = None) -> list[ForceMajeure]:
    """The outages of the last two months that paper work may be entered for, newest first."""
    since = (now or utcnow()) - RECENT
    return list(
        session.scalars(
            select(ForceMajeure)
            .where((ForceMajeure.ended_at.is_(None)) | (ForceMajeure.ended_at > since))
            .order_by(ForceMajeure.started_at.desc())
        )
    )


def _check(session: Session, paper: PaperRecord, not_before: datetime | None, now: datetime) -> ForceMajeure:
    force = session.get(ForceMajeure, paper.force_id)
    if force is None:
        raise NotFound(Phrase("Keadaan kahar (gangguan) tidak ditemukan."))
    errors = {}
    if len((paper.reference or "").strip()) < 3:
        errors["rujukan"] = Phrase("Tulis nomor register atau rujukan dokumen kertasnya.")
    original = paper.original_at
    if original is None:
        errors["waktu_asli"] = Phrase("Isi waktu asli kejadian menurut dokumen kertas.")
    elif original > now:
        errors["waktu_asli"] = Phrase("Waktu asli tidak boleh di masa depan.")
    elif not (aware(force.started_at) <= original <= (aware(force.ended_at) if force.ended_at else now)):
        errors["waktu_asli"] = Phrase("Waktu asli harus di dalam masa gangguan yang dipilih.")
    elif not_before is not None and original < aware(not_before):
        errors["waktu_asli"] = Phrase(
            "Waktu asli tidak boleh sebelum langkah terakhir yang sudah tercatat pada berkas ini."
        )
    if errors:
        raise ValidationFailed(Phrase("Pencatatan manual belum dapat disimpan."), errors)
    return force


def _note(session: Session, actor: User, application: Application, paper: PaperRecord, what: str, now: datetime):
    record(
        session,
        "entered_manually",
        actor=actor,
        application=application,
        now=now,
        summary={
            "langkah": what,
            "waktu_asli": paper.original_at.isoformat(),
            "dicatat_pada": now.isoformat(),
            "rujukan": paper.reference.strip()[:100],
            "keadaan_kahar": paper.force_id,
        },
    )


def submit_on_paper(
    session: Session,
    services: Services,
    officer: User,
    person: User,
    permit_type: PermitType,
    raw: dict,
    uploads: list[Upload],
    scan: Upload | None,
    paper: PaperRecord,
    now: datetime | None = None,
) -> Application:
    """A submission taken on paper during the outage, entered with its original time. The scanned
    paper form signed by the applicant stands as their consent. Effects: those of
    ``counter.submit_for`` at the original time, and audit ``entered_manually``.
    Errors: NotFound (outage), ValidationFailed, PermissionDenied."""
    now = now or utcnow()
    _check(session, paper, None, now)
    application = counter.submit_for(
        session, services, officer, person, permit_type, raw, uploads, scan, now=paper.original_at
    )
    _note(session, officer, application, paper, "permohonan diterima di atas kertas", now)
    return application


def complete_on_paper(
    session: Session,
    services: Services,
    officer: User,
    item_id: int,
    raw: dict,
    uploads: list[Upload],
    paper: PaperRecord,
    now: datetime | None = None,
) -> WorkItem:
    """A task decided on paper during the outage, entered with its original time (not before the
    file's last recorded step). A step that signs cannot be entered so: it is signed when the
    system is back. Effects: those of ``complete_task`` at the original time, audit ``entered_manually``.
    Errors: NotFound, ValidationFailed, PermissionDenied, Conflict."""
    now = now or utcnow()
    item = get_item(session, item_id)
    if item.signs:
        raise ValidationFailed(
            Phrase("Langkah penandatanganan tidak dapat dicatat manual."),
            {"waktu_asli": Phrase("Tanda tangani langkah ini setelah sistem pulih, tanpa pencatatan manual.")},
        )
    # The task came with the file's previous step: nothing can be decided on it before then.
    _check(session, paper, aware(item.created_at), now)
    done = complete_task(session, services, item.id, officer, raw, uploads, now=paper.original_at)
    _note(session, officer, item.application, paper, f"tugas '{item.title}' diselesaikan di atas kertas", now)
    return done
