"""The bill an SKRD opens: its number, the exact amount and the due date, from the step's data."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.documents.models import Document, PaymentBill


def bill_of(session: Session, application_id: int) -> PaymentBill | None:
    """The application's latest SKRD bill (a process that returns to the assessment issues a new one)."""
    return session.scalar(
        select(PaymentBill).where(PaymentBill.application_id == application_id).order_by(PaymentBill.id.desc()).limit(1)
    )


def due_date_of(value) -> date:
    """The due date an SKRD step wrote (a date, or its ISO text). Raises ValueError or TypeError."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def open_bill(session: Session, document: Document, data: dict, now: datetime) -> PaymentBill | None:
    """The bill of a just-issued SKRD (``data``: the step's ``retribusi`` and ``jatuh_tempo``); None
    when the data name no amount (a process that issues an SKRD without the usual fields)."""
    try:
        amount = int(data.get("retribusi"))
        due = due_date_of(data["jatuh_tempo"])
    except (TypeError, ValueError, KeyError):
        return None
    if amount <= 0:
        return None
    bill = PaymentBill(
        application_id=document.application_id,
        document_id=document.id,
        number=document.number,
        amount=amount,
        due_date=due,
        status="baru",
        created_at=now,
    )
    session.add(bill)
    return bill


def paid_at_counter(session: Session, application_id: int, data: dict, now: datetime) -> PaymentBill | None:
    """The treasurer entered a counter payment: the open bill is settled so the bank's virtual
    account can no longer be paid a second time through the system."""
    bill = bill_of(session, application_id)
    if bill is None or bill.status not in ("baru", "terbuka"):
        return None
    try:
        amount = int(data.get("jumlah_dibayar"))
    except (TypeError, ValueError):
        amount = None
    bill.status, bill.paid_at, bill.paid_amount, bill.channel = "lunas", now, amount, "loket"
    bill.bank_reference = str(data.get("nomor_bukti_bayar") or "")[:80] or None
    return bill


def void_open(session: Session, application_id: int, now: datetime) -> int:
    """The file ended before its bill was paid (a lapsed SKRD, a rejection, a cancellation): the bill
    is void, so the bank's notification of a late payment is refused and the reconciliation shows
    it for a refund. Returns how many bills were voided."""
    voided = 0
    for bill in session.scalars(
        select(PaymentBill).where(
            PaymentBill.application_id == application_id, PaymentBill.status.in_(("baru", "terbuka"))
        )
    ):
        bill.status = "batal"
        voided += 1
    return voided
