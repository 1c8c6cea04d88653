"""The applicant's events, each told once: what a verb hands in, turned into the event's facts.

The verbs call these inside their own transaction; nothing here commits or sends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from engine.core.clock import aware, utcnow
from engine.core.localtime import format_date, format_datetime, format_rupiah, local_date
from engine.core.services import Services
from engine.documents.bills import due_date_of
from engine.documents.models import Document, PaymentBill
from engine.notifications.models import Notification
from engine.notifications.notices import notice_key, notify
from engine.workflow.models import Application

# Reminders before a permit ends, in days (the last one sent wins when the sweep was away).
EXPIRY_REMINDERS = (90, 60, 30)
CHANNEL_NAMES = {"loket": "loket Bendahara", "bank": "bank (virtual account atau QRIS)"}


def page_of(application: Application) -> str:
    return f"/pemohon/permohonan/{application.id}"


def _common(services: Services, application: Application) -> dict:
    agency = services.agency
    return {
        "nama": application.applicant.name,
        "nomor": application.reg_number or "",
        "izin": application.permit_type.name,
        "tautan": services.page_url(page_of(application)),
        "instansi": f"{agency.short_name} {agency.city}",
    }


def reachable(services: Services) -> frozenset[str]:
    """The channels this installation can send on: email always, SMS and WhatsApp when connected."""
    connectors = services.connectors
    return frozenset({"email"} | {name for name in ("sms", "whatsapp") if connectors and connectors.connected(name)})


def _file_key(application: Application, key: str) -> str:
    return f"{application.id}:{key}"


def _tell(
    session: Session,
    services: Services,
    application: Application,
    event: str,
    key: str,
    facts: dict,
    now: datetime,
    attachment_id: int | None = None,
):
    return notify(
        session,
        application.applicant,
        event,
        _file_key(application, key),
        {**_common(services, application), **facts},
        application=application,
        link=page_of(application),
        attachment_id=attachment_id,
        now=now,
        reachable=reachable(services),
    )


def submitted(session: Session, services: Services, application: Application, now: datetime) -> None:
    _tell(session, services, application, "diterima", "", {}, now)


def _due_text(value) -> str:
    try:
        return format_date(due_date_of(value))
    except (ValueError, TypeError):
        return str(value or "")


def how_to_pay(bank_connected: bool) -> str:
    if bank_connected:
        return (
            "transfer ke nomor virtual account atau pindai kode QRIS yang tampil di halaman permohonan "
            "(jumlahnya harus tepat), atau bayar di loket Bendahara DPMPTSP."
        )
    return "bayar di loket Bendahara DPMPTSP dengan membawa SKRD ini."


def step_taken(
    session: Session,
    services: Services,
    application: Application,
    *,
    issued: list[Document],
    returned: list,
    data: dict,
    deadline: datetime | None,
    now: datetime,
) -> None:
    """What one step of the process tells the applicant: the file came back for corrections (each
    new correction task), a document came out (receipt, SKRD, the permit, the refusal)."""
    zone = services.calendar.zone
    for task in returned:
        _tell(
            session,
            services,
            application,
            "dikembalikan",
            task.task_id,
            {"catatan": data.get("catatan_perbaikan") or "Lihat catatan pada halaman permohonan."},
            now,
        )
    for document in issued:
        key = document.number or document.verify_code or document.sha256[:16]
        if document.kind == "tanda_terima":
            _tell(
                session,
                services,
                application,
                "tanda_terima",
                key,
                {"tanggal_selesai": format_date(deadline, zone) if deadline else ""},
                now,
            )
        elif document.kind == "skrd":
            bank = services.connectors is not None and services.connectors.bank is not None
            _tell(
                session,
                services,
                application,
                "skrd",
                key,
                {
                    "skrd_nomor": document.number,
                    "jumlah": format_rupiah(data.get("retribusi") or 0),
                    "jatuh_tempo": _due_text(data.get("jatuh_tempo")),
                    "cara_bayar": how_to_pay(bank),
                },
                now,
            )
        elif document.kind == "izin":
            _tell(
                session,
                services,
                application,
                "izin_terbit",
                key,
                {
                    "izin_nomor": document.number,
                    "berlaku_sampai": format_date(document.valid_until, zone) if document.valid_until else "",
                    "verifikasi": services.verify_url(document.verify_code) if document.verify_code else "",
                },
                now,
                attachment_id=document.id,
            )
        elif document.kind == "penolakan":
            _tell(
                session,
                services,
                application,
                "ditolak",
                key,
                {"alasan": data.get("alasan_penolakan") or application.outcome_reason or ""},
                now,
                attachment_id=document.id,
            )


def account_opened(session: Session, services: Services, bill: PaymentBill, now: datetime) -> None:
    """The bank opened the bill's virtual account: where and how much to pay."""
    application = session.get(Application, bill.application_id)
    _tell(
        session,
        services,
        application,
        "virtual_account",
        bill.number,
        {
            "skrd_nomor": bill.number,
            "jumlah": format_rupiah(bill.amount),
            "jatuh_tempo": format_date(bill.due_date),
            "virtual_account": bill.va_number,
        },
        now,
    )


def payment_received(session: Session, services: Services, bill: PaymentBill, now: datetime) -> None:
    application = session.get(Application, bill.application_id)
    _tell(
        session,
        services,
        application,
        "pembayaran",
        bill.number,
        {
            "skrd_nomor": bill.number,
            "jumlah": format_rupiah(bill.paid_amount or bill.amount),
            "saluran": CHANNEL_NAMES.get(bill.channel or "", bill.channel or "bank"),
        },
        now,
    )


def service_paused(
    session: Session,
    services: Services,
    applications: list[Application],
    force_id: int,
    started_at: datetime,
    what: str,
    now: datetime,
) -> None:
    """A force majeure declared while it goes on: the open files' clocks stopped."""
    for application in applications:
        _tell(
            session,
            services,
            application,
            "layanan_dihentikan",
            f"fm{force_id}",
            {"mulai": format_datetime(started_at, services.calendar.zone), "keadaan": what},
            now,
        )


def deadline_extended(
    session: Session,
    services: Services,
    deadlines: list[tuple[Application, datetime | None]],
    force_id: int,
    started_at: datetime,
    ended_at: datetime,
    now: datetime,
) -> None:
    """A force majeure's end is known: each open file's deadline moved by its length."""
    zone = services.calendar.zone
    for application, deadline in deadlines:
        _tell(
            session,
            services,
            application,
            "perpanjangan_waktu",
            f"fm{force_id}",
            {
                "mulai": format_datetime(started_at, zone),
                "selesai": format_datetime(ended_at, zone),
                "batas_baru": format_date(deadline, zone) if deadline else "",
            },
            now,
        )


def permit_ended(
    session: Session, services: Services, application: Application, decision: Document, text: str, now: datetime
) -> None:
    """A sanction on the permit (a warning, a revocation, a cancellation) with its decision."""
    _tell(
        session,
        services,
        application,
        "izin_dicabut",
        decision.number or str(decision.id),
        {
            "keputusan": f"{decision.title} {decision.number or ''}".strip(),
            "pesan": text,
            "verifikasi": services.verify_url(decision.verify_code) if decision.verify_code else "",
        },
        now,
        attachment_id=decision.id,
    )


def remind_expiring(session: Session, services: Services, now: datetime | None = None) -> int:
    """The daily reminders: each valid permit that ends within 90, 60 or 30 days is told so once
    per mark, the nearest mark passed (a job that was away does not send three at once)."""
    now = now or utcnow()
    zone = services.calendar.zone
    today = local_date(now, zone)
    horizon = now + timedelta(days=max(EXPIRY_REMINDERS) + 1)
    told = 0
    # What was told already, in one read: the permits in reach can be thousands.
    sent = set(
        session.scalars(
            select(Notification.key).where(
                Notification.kind == "izin_berakhir",
                Notification.created_at > now - timedelta(days=max(EXPIRY_REMINDERS) + 5),
            )
        )
    )
    permits = session.scalars(
        select(Document)
        .where(
            Document.kind == "izin",
            Document.status == "berlaku",
            Document.valid_until.is_not(None),
            Document.valid_until > now,
            Document.valid_until <= horizon,
        )
        .order_by(Document.id)
        .options(
            joinedload(Document.application).joinedload(Application.applicant),
            joinedload(Document.application).joinedload(Application.permit_type),
        )
    )
    for permit in permits.unique().all():
        left = (local_date(aware(permit.valid_until), zone) - today).days
        marks = [days for days in EXPIRY_REMINDERS if left <= days]
        if not marks:
            continue
        mark = min(marks)
        application = permit.application
        key = f"{permit.id}:{mark}"
        if notice_key("izin_berakhir", _file_key(application, key), application.applicant) in sent:
            continue
        if (
            _tell(
                session,
                services,
                application,
                "izin_berakhir",
                key,
                {
                    "izin_nomor": permit.number,
                    "berlaku_sampai": format_date(permit.valid_until, zone),
                    "sisa_hari": str(left),
                },
                now,
            )
            is not None
        ):
            told += 1
    return told
