"""Complaints (pengaduan) with the SP4N-LAPOR! timelines: anyone files one, with or without an
account, and follows it by its code; the agency acknowledges it within 3 working days (forwarding it
to the unit concerned) and answers within 5 or 10 working days by category, counted on the agency's
working calendar; a missed deadline is escalated once to the supervisor and the Kepala Dinas. The
answer is published when the complainant agreed."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.accounts.users import EMAIL_PATTERN
from engine.core.audit import record
from engine.core.clock import aware, utcnow
from engine.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from engine.core.files import FileStore, Upload, check_upload
from engine.core.localtime import N_, Phrase
from engine.core.mail import Mail, queue
from engine.core.roles import ADMIN, FRONT_OFFICE, HEAD, SUPERVISOR
from engine.feedback.models import Complaint
from engine.notifications.models import Notification
from engine.service_time.working_time import WorkCalendar

ACK_DAYS = 3
# category → (label, working days to answer after the acknowledgement)
CATEGORIES = {
    "pelayanan": (N_("Pelayanan perizinan"), 5),
    "waktu": (N_("Waktu penyelesaian"), 5),
    "sistem": (N_("Aplikasi / sistem"), 5),
    "informasi": (N_("Informasi dan persyaratan"), 5),
    "biaya": (N_("Biaya atau pungutan"), 10),
    "petugas": (N_("Perilaku petugas"), 10),
    "lainnya": (N_("Lainnya"), 10),
}
STATUS_LABELS = {
    "baru": N_("Diterima, menunggu verifikasi"),
    "diproses": N_("Diteruskan dan sedang ditindaklanjuti"),
    "dijawab": N_("Telah dijawab"),
    "ditutup": N_("Selesai"),
}
HANDLERS = (FRONT_OFFICE, HEAD, SUPERVISOR, ADMIN)
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper
ATTACHMENT_TYPES = ["application/pdf", "image/jpeg", "image/png"]


def _code() -> str:
    return "ADU-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def _require_handler(actor: User) -> None:
    if not actor.role_names & set(HANDLERS):
        raise PermissionDenied(Phrase("Pengaduan ditangani Front Office, pengawas, Kepala Dinas atau Administrator."))


def file(
    session: Session,
    calendar: WorkCalendar,
    files: FileStore,
    *,
    category: str,
    description: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    publish_consent: bool = False,
    attachments: list[Upload] | None = None,
    user: User | None = None,
    now: datetime | None = None,
) -> Complaint:
    """File a complaint. Effects: the complaint with its code and deadlines, audit ``complaint_filed``.
    Errors: ValidationFailed."""
    now = now or utcnow()
    errors = {}
    if category not in CATEGORIES:
        errors["kategori"] = Phrase("Pilih kategori pengaduan.")
    text = (description or "").strip()
    if len(text) < 20:
        errors["uraian"] = Phrase("Uraikan pengaduan Anda (paling sedikit 20 karakter): apa, kapan, di mana.")
    email = (email or "").strip().lower()
    if email and not EMAIL_PATTERN.match(email):
        errors["email"] = Phrase("Alamat email tidak valid (boleh dikosongkan).")
    kept = []
    for upload in (attachments or [])[:3]:
        mime, problem = check_upload(upload, ATTACHMENT_TYPES, 5)
        if problem:
            errors["lampiran"] = Phrase("%(file)s: %(problem)s", file=upload.filename, problem=problem)
            break
        kept.append((upload, mime))
    if errors:
        raise ValidationFailed(Phrase("Pengaduan belum dapat dikirim."), errors)
    stored = [{"nama": u.filename[:255], "sha256": files.put(session, u.content, mime).sha256} for u, mime in kept]
    ack_due = calendar.add_working_days(now, ACK_DAYS)
    complaint = Complaint(
        code=_code(),
        category=category,
        description=text[:5000],
        name=(name or "").strip()[:200] or None,
        email=email or None,
        phone=(phone or "").strip()[:20] or None,
        user_id=getattr(user, "id", None),
        attachments=stored,
        publish_consent=bool(publish_consent),
        status="baru",
        created_at=now,
        ack_due_at=ack_due,
        answer_due_at=calendar.add_working_days(ack_due, CATEGORIES[category][1]),
    )
    session.add(complaint)
    session.flush()
    record(session, "complaint_filed", actor=user, now=now, summary={"kode": complaint.code, "kategori": category})
    return complaint


def by_code(session: Session, code: str) -> Complaint:
    found = session.scalar(select(Complaint).where(Complaint.code == (code or "").strip().upper()))
    if found is None:
        raise NotFound(Phrase("Kode pengaduan tidak ditemukan. Periksa kode yang Anda terima saat mengirim pengaduan."))
    return found


def acknowledge(
    session: Session, calendar: WorkCalendar, actor: User, code: str, unit: str, now: datetime | None = None
) -> Complaint:
    """Verified and forwarded to the unit concerned: the answer is due within the category's days.
    Audit ``complaint_acknowledged``. Errors: PermissionDenied, NotFound, Conflict, ValidationFailed."""
    now = now or utcnow()
    _require_handler(actor)
    complaint = by_code(session, code)
    if complaint.status != "baru":
        raise Conflict(Phrase("Pengaduan ini sudah diverifikasi."))
    if len((unit or "").strip()) < 2:
        raise ValidationFailed(Phrase("Pilih unit tujuan."), {"unit": Phrase("Tulis unit yang menindaklanjuti.")})
    complaint.status, complaint.unit, complaint.acknowledged_at = "diproses", unit.strip()[:100], now
    complaint.answer_due_at = calendar.add_working_days(now, CATEGORIES[complaint.category][1])
    record(
        session,
        "complaint_acknowledged",
        actor=actor,
        now=now,
        summary={"kode": complaint.code, "unit": complaint.unit},
    )
    return complaint


def answer(
    session: Session, actor: User, code: str, text: str, publish: bool, now: datetime | None = None
) -> Complaint:
    """The agency's answer (published when the complainant agreed and the officer chose so).
    Audit ``complaint_answered``. Errors: PermissionDenied, NotFound, Conflict, ValidationFailed."""
    now = now or utcnow()
    _require_handler(actor)
    complaint = by_code(session, code)
    if complaint.status not in ("baru", "diproses"):
        raise Conflict(Phrase("Pengaduan ini sudah dijawab."))
    if len((text or "").strip()) < 20:
        raise ValidationFailed(
            Phrase("Jawaban belum lengkap."),
            {"jawaban": Phrase("Tulis jawaban dan tindak lanjutnya (paling sedikit 20 karakter).")},
        )
    complaint.status, complaint.answer, complaint.answered_at = "dijawab", text.strip()[:5000], now
    complaint.acknowledged_at = complaint.acknowledged_at or now
    complaint.published = bool(publish) and complaint.publish_consent
    if complaint.email:  # the complainant left an address: the answer goes there too
        queue(
            session,
            Mail(
                to=complaint.email,
                subject=f"Jawaban pengaduan {complaint.code}",
                body=f"Yth. {complaint.name or 'Pelapor'},\n\nPengaduan Anda {complaint.code} "
                f"({CATEGORIES[complaint.category][0]}) telah dijawab:\n\n{complaint.answer}\n\n"
                "Terima kasih atas masukan Anda.",
            ),
            now,
        )
    record(
        session,
        "complaint_answered",
        actor=actor,
        now=now,
        summary={
            "kode": complaint.code,
            "terlambat": now > aware(complaint.answer_due_at),
            "dipublikasikan": complaint.published,
        },
    )
    return complaint


def close(session: Session, actor: User, code: str, now: datetime | None = None) -> Complaint:
    now = now or utcnow()
    _require_handler(actor)
    complaint = by_code(session, code)
    if complaint.status != "dijawab":
        raise Conflict(Phrase("Hanya pengaduan yang sudah dijawab yang dapat ditutup."))
    complaint.status, complaint.closed_at = "ditutup", now
    record(session, "complaint_closed", actor=actor, now=now, summary={"kode": complaint.code})
    return complaint


def escalate_late(session: Session, now: datetime | None = None) -> int:
    """The sweep: each complaint past its acknowledgement or answer deadline is escalated once, to
    the supervisors and the Kepala Dinas. Returns how many escalations were made."""
    now = now or utcnow()
    made = 0
    late_ack = select(Complaint).where(
        Complaint.status == "baru", Complaint.ack_due_at < now, Complaint.ack_escalated_at.is_(None)
    )
    late_answer = select(Complaint).where(
        Complaint.status.in_(("baru", "diproses")),
        Complaint.answer_due_at < now,
        Complaint.answer_escalated_at.is_(None),
    )
    for query, what, stamp in (
        (late_ack, "belum diverifikasi", "ack_escalated_at"),
        (late_answer, "belum dijawab", "answer_escalated_at"),
    ):
        for complaint in session.scalars(query).all():
            setattr(complaint, stamp, now)
            message = (
                f"Pengaduan {complaint.code} ({CATEGORIES[complaint.category][0]}) {what} melewati batas waktu LAPOR!."
            )
            for role in (SUPERVISOR, HEAD):
                session.add(Notification(role=role, kind="pengaduan_terlambat", message=message, created_at=now))
            record(session, "complaint_escalated", now=now, summary={"kode": complaint.code, "tahap": what})
            made += 1
    return made


def listing(session: Session, status: str | None = None, limit: int = 200) -> list[Complaint]:
    query = select(Complaint).order_by(Complaint.created_at.desc()).limit(limit)
    if status:
        query = query.where(Complaint.status == status)
    return list(session.scalars(query))


def counts(session: Session, now: datetime | None = None) -> dict:
    """For the supervisor: how many per status, and how many are late now."""
    now = now or utcnow()
    by_status = dict(session.execute(select(Complaint.status, func.count()).group_by(Complaint.status)).all())
    late = (
        session.scalar(
            select(func.count())
            .select_from(Complaint)
            .where(Complaint.status.in_(("baru", "diproses")), Complaint.answer_due_at < now)
        )
        or 0
    )
    return {"per_status": by_status, "terlambat": late}


def published_answers(session: Session, limit: int = 20) -> list[Complaint]:
    return list(
        session.scalars(
            select(Complaint).where(Complaint.published.is_(True)).order_by(Complaint.answered_at.desc()).limit(limit)
        )
    )


LAPOR_FIELDS = (
    "kode",
    "tanggal_masuk",
    "kategori",
    "uraian",
    "status",
    "unit_tujuan",
    "batas_verifikasi",
    "tanggal_verifikasi",
    "batas_jawaban",
    "tanggal_jawaban",
    "jawaban",
    "nama_pelapor",
    "kontak_pelapor",
)


def lapor_rows(session: Session) -> list[dict]:
    """The complaints in the documented shape for forwarding to SP4N-LAPOR! (one flat row each; the
    complainant's name and contact only when they gave them)."""

    def iso(value):
        return aware(value).isoformat() if value else ""

    return [
        {
            "kode": c.code,
            "tanggal_masuk": iso(c.created_at),
            "kategori": CATEGORIES[c.category][0],
            "uraian": c.description,
            "status": STATUS_LABELS.get(c.status, c.status),
            "unit_tujuan": c.unit or "",
            "batas_verifikasi": iso(c.ack_due_at),
            "tanggal_verifikasi": iso(c.acknowledged_at),
            "batas_jawaban": iso(c.answer_due_at),
            "tanggal_jawaban": iso(c.answered_at),
            "jawaban": c.answer or "",
            "nama_pelapor": c.name or "",
            "kontak_pelapor": c.email or c.phone or "",
        }
        for c in session.scalars(select(Complaint).order_by(Complaint.created_at))
    ]
