"""The help desk (R4.2): simple threads with a status. An applicant asks for consultation and the
front office answers; staff ask the admins. Each side sees its own threads; the answering side sees
the open ones of its kind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.core.localtime import N_, Phrase
from engine.core.roles import ADMIN, APPLICANT, FRONT_OFFICE
from engine.public_data.models import HelpMessage, HelpThread

KINDS = {"konsultasi": N_("Konsultasi perizinan"), "bantuan": N_("Pertanyaan petugas kepada admin")}
STATUS_LABELS = {"terbuka": N_("Menunggu jawaban"), "dijawab": N_("Dijawab"), "selesai": N_("Selesai")}
ANSWERED_BY = {"konsultasi": {FRONT_OFFICE, ADMIN}, "bantuan": {ADMIN}}


def kind_for(user: User) -> str:
    return "konsultasi" if user.has_role(APPLICANT) else "bantuan"


def _answers(user: User, thread: HelpThread) -> bool:
    return bool(user.role_names & ANSWERED_BY[thread.kind])


def open_thread(session: Session, author: User, subject: str, body: str, now: datetime | None = None) -> HelpThread:
    """Audit ``help_thread_opened``. Errors: ValidationFailed."""
    now = now or utcnow()
    errors = {}
    if len((subject or "").strip()) < 5:
        errors["judul"] = Phrase("Tulis pokok pertanyaan (paling sedikit 5 karakter).")
    if len((body or "").strip()) < 10:
        errors["pesan"] = Phrase("Tulis pertanyaan Anda (paling sedikit 10 karakter).")
    if errors:
        raise ValidationFailed(Phrase("Pertanyaan belum dapat dikirim."), errors)
    thread = HelpThread(
        kind=kind_for(author),
        subject=subject.strip()[:200],
        author_id=author.id,
        status="terbuka",
        created_at=now,
        updated_at=now,
    )
    thread.messages.append(HelpMessage(author_id=author.id, body=body.strip()[:5000], created_at=now))
    session.add(thread)
    session.flush()
    record(session, "help_thread_opened", actor=author, now=now, summary={"utas": thread.id, "jenis": thread.kind})
    return thread


def get_thread(session: Session, user: User, thread_id: int) -> HelpThread:
    thread = session.get(HelpThread, thread_id)
    if thread is None:
        raise NotFound(Phrase("Percakapan tidak ditemukan."))
    if thread.author_id != user.id and not _answers(user, thread):
        raise PermissionDenied(Phrase("Percakapan ini bukan milik Anda."))
    return thread


def reply(session: Session, user: User, thread_id: int, body: str, now: datetime | None = None) -> HelpThread:
    """A message in the thread: the answering side's marks it answered, the author's opens it again."""
    now = now or utcnow()
    thread = get_thread(session, user, thread_id)
    if thread.status == "selesai":
        raise Conflict(Phrase("Percakapan ini sudah selesai; mulai pertanyaan baru bila perlu."))
    if len((body or "").strip()) < 2:
        raise ValidationFailed(Phrase("Pesan kosong."), {"pesan": Phrase("Tulis pesan Anda.")})
    thread.messages.append(HelpMessage(author_id=user.id, body=body.strip()[:5000], created_at=now))
    thread.status = "terbuka" if user.id == thread.author_id else "dijawab"
    thread.updated_at = now
    record(session, "help_thread_replied", actor=user, now=now, summary={"utas": thread.id})
    return thread


def close(session: Session, user: User, thread_id: int, now: datetime | None = None) -> HelpThread:
    thread = get_thread(session, user, thread_id)
    thread.status, thread.updated_at = "selesai", now or utcnow()
    return thread


def threads_for(session: Session, user: User) -> list[HelpThread]:
    """The person's own threads, and the open ones they answer."""
    kinds = [kind for kind, roles in ANSWERED_BY.items() if user.role_names & roles]
    condition = HelpThread.author_id == user.id
    if kinds:
        condition = or_(condition, HelpThread.kind.in_(kinds) & (HelpThread.status != "selesai"))
    return list(session.scalars(select(HelpThread).where(condition).order_by(HelpThread.updated_at.desc()).limit(200)))
