"""The bank's payment notification (SNAP BI ``transfer-va/payment``): checked for its signature, its
freshness, a replay, the bill and the exact amount, then the SKRD is paid and the payment task done
in the same transaction. Every refusal is audited with its reason; nothing else changes."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.accounts import users
from engine.accounts.models import User
from engine.casework.tasks import complete_task
from engine.connectors.bank import amount_value
from engine.connectors.signatures import fresh, signature_matches
from engine.core.audit import record
from engine.core.clock import utcnow
from engine.core.localtime import local
from engine.core.roles import TREASURER
from engine.core.services import Services
from engine.documents.models import PaymentBill
from engine.notifications import events
from engine.payments.models import PaymentNotification
from engine.workflow.models import Application, WorkItem

BANK_ACCOUNT = "bank@sistem.invalid"


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict


def _refuse(
    session: Session,
    status: int,
    code: str,
    message: str,
    reason: str,
    now: datetime,
    application_id: int | None = None,
    extra: dict | None = None,
) -> Answer:
    application = session.get(Application, application_id) if application_id else None
    record(
        session,
        "payment_notification_refused",
        application=application,
        now=now,
        summary={"alasan": reason, **(extra or {})},
    )
    return Answer(status, {"responseCode": code, "responseMessage": message})


def bank_account(session: Session, now: datetime) -> User:
    """The account payments by the bank are recorded under: it cannot sign in (inactive)."""
    account = session.scalar(select(User).where(User.email == BANK_ACCOUNT))
    if account is None:
        account = users.create_user(
            session,
            None,
            name="Sistem Pembayaran Bank (notifikasi VA/QRIS)",
            email=BANK_ACCOUNT,
            password=secrets.token_urlsafe(32),
            roles=[TREASURER],
            now=now,
            scope=users.AccountScope(all_permit_types=True),
        )
        account.active = False
    return account


def receive(
    session: Session,
    services: Services,
    *,
    method: str,
    path: str,
    headers: dict,
    body: bytes,
    now: datetime | None = None,
) -> Answer:
    """Take one notification. Returns the answer for the bank (SNAP response codes)."""
    now = now or utcnow()
    connectors = services.connectors
    if connectors is None or connectors.bank is None:  # no bank connected: nothing to notify here
        return Answer(404, {"responseCode": "4042500", "responseMessage": "Not Found"})
    timestamp, given = headers.get("X-TIMESTAMP", ""), headers.get("X-SIGNATURE", "")
    external_id = (headers.get("X-EXTERNAL-ID") or "").strip()
    if not signature_matches(connectors.bank_secret, method, path, body, timestamp, given):
        return _refuse(session, 401, "4012500", "Unauthorized. [Signature]", "tanda tangan tidak sah", now)
    if not fresh(timestamp, now):
        return _refuse(
            session,
            401,
            "4012500",
            "Unauthorized. [Timestamp]",
            "stempel waktu kedaluwarsa",
            now,
            extra={"stempel": timestamp},
        )
    if not external_id or len(external_id) > 64:
        return _refuse(session, 400, "4002502", "Invalid Mandatory Field [X-EXTERNAL-ID]", "tanpa X-EXTERNAL-ID", now)
    if session.scalar(select(PaymentNotification.id).where(PaymentNotification.external_id == external_id)):
        return _refuse(
            session,
            409,
            "4092500",
            "Conflict",
            "notifikasi ulangan (X-EXTERNAL-ID sudah diterima)",
            now,
            extra={"external_id": external_id},
        )
    try:
        data = json.loads(body)
        bill_number, va_number = str(data["trxId"]), str(data["virtualAccountNo"]).strip()
        paid = amount_value(data["paidAmount"]["value"])
        reference = str(data.get("paymentRequestId") or external_id)[:80]
    except (ValueError, KeyError, TypeError):
        return _refuse(session, 400, "4002500", "Bad Request", "isi notifikasi tidak lengkap", now)
    notification = PaymentNotification(external_id=external_id, received_at=now, outcome="diterima")
    session.add(notification)
    bill = session.scalar(
        select(PaymentBill).where(PaymentBill.number == bill_number, PaymentBill.va_number == va_number)
    )
    if bill is None:
        notification.outcome = "tagihan tidak ada"
        return _refuse(
            session,
            404,
            "4042512",
            "Invalid Bill/Virtual Account",
            "tagihan tidak dikenal",
            now,
            extra={"skrd": bill_number, "virtual_account": va_number},
        )
    notification.bill_id = bill.id
    facts = {"skrd": bill.number, "virtual_account": va_number, "dibayar": paid, "tagihan": bill.amount}
    if bill.status == "lunas":
        notification.outcome = "sudah lunas"
        return _refuse(session, 404, "4042514", "Paid Bill", "tagihan sudah lunas", now, bill.application_id, facts)
    if bill.status != "terbuka":
        notification.outcome = "tidak berlaku"
        return _refuse(
            session, 404, "4042519", "Invalid Bill Status", f"tagihan {bill.status}", now, bill.application_id, facts
        )
    if paid != bill.amount:
        notification.outcome = "jumlah salah"
        return _refuse(
            session, 404, "4042513", "Invalid Amount", "jumlah tidak sama dengan SKRD", now, bill.application_id, facts
        )
    task = _payment_task(session, bill.application_id)
    if task is None:
        notification.outcome = "tidak menunggu"
        return _refuse(
            session,
            404,
            "4042519",
            "Invalid Bill Status",
            "permohonan tidak menunggu pembayaran",
            now,
            bill.application_id,
            facts,
        )
    bill.status, bill.paid_at, bill.paid_amount = "lunas", now, paid
    bill.channel, bill.bank_reference = "bank", reference
    account = bank_account(session, now)
    if task.claimed_by_id not in (None, account.id):
        # The money has arrived: the payment is recorded even if a treasurer had the task open.
        facts["dipegang_sebelumnya"] = session.get(User, task.claimed_by_id).name
    task.claimed_by_id = account.id
    paid_day = local(now, services.calendar.zone).date().isoformat()
    complete_task(
        session,
        services,
        task.id,
        account,
        {"tanggal_bayar": paid_day, "nomor_bukti_bayar": reference, "jumlah_dibayar": str(paid)},
        now=now,
    )
    events.payment_received(session, services, bill, now)
    record(
        session,
        "payment_received",
        actor=account,
        application=session.get(Application, bill.application_id),
        now=now,
        summary={**facts, "referensi": reference, "saluran": "bank"},
    )
    try:
        session.flush()
    except IntegrityError:  # the same notification taken at the same moment by another worker
        session.rollback()
        return Answer(409, {"responseCode": "4092500", "responseMessage": "Conflict"})
    return Answer(
        200,
        {
            "responseCode": "2002500",
            "responseMessage": "Successful",
            "virtualAccountData": {
                "virtualAccountNo": va_number,
                "trxId": bill.number,
                "paymentRequestId": reference,
                "paidAmount": data["paidAmount"],
            },
        },
    )


def _payment_task(session: Session, application_id: int) -> WorkItem | None:
    """The open treasurer's task waiting for this payment (the SKRD's "Konfirmasi Pembayaran")."""
    items = session.scalars(
        select(WorkItem).where(
            WorkItem.application_id == application_id, WorkItem.state == "open", WorkItem.role == TREASURER
        )
    ).all()
    return items[0] if len(items) == 1 else None
