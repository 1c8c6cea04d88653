"""A virtual account (and QRIS) at the bank for each SKRD, for its exact amount and due date."""

from __future__ import annotations

from sqlalchemy import select

from engine.core.models import AuditEvent
from engine.documents.models import Document, PaymentBill
from engine.notifications.models import Notification
from engine.payments import virtual_accounts
from simulators.agencies import crc16
from tests.engine.payments.conftest import to_payment
from tests.timeline import at


def test_the_skrd_opens_a_virtual_account_for_its_exact_amount_and_due_date(session, agencies, billed):
    application, bill = billed
    skrd = session.scalars(
        select(Document).where(Document.application_id == application.id, Document.kind == "skrd")
    ).one()
    assert (bill.number, bill.status, bill.amount) == (skrd.number, "terbuka", 7_200_000)
    account = agencies.state.accounts[bill.va_number]
    assert account["amount"] == "7200000.00" and account["trxId"] == skrd.number
    assert account["expiredDate"].startswith(bill.due_date.isoformat())
    assert bill.va_number.startswith("88899") and bill.qris.startswith("000201")
    assert crc16(bill.qris[:-4]) == bill.qris[-4:] and "54077200000" in bill.qris, "the QRIS carries the amount"
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "virtual_account_opened")).one()
    assert audit.application_id == application.id and audit.summary["virtual_account"] == bill.va_number
    # The applicant is told where and how much to pay.
    told = session.scalars(
        select(Notification).where(
            Notification.application_id == application.id, Notification.kind == "virtual_account"
        )
    ).one()
    assert bill.va_number in told.title and "7.200.000" in told.message


def test_a_bank_that_does_not_answer_leaves_the_bill_for_the_scheduler(session, services, user, agencies):
    agencies.mode("bank", "mati")
    application = to_payment(session, services, user)
    assert virtual_accounts.open_pending(session, agencies.connectors, application_id=application.id) == 0
    bill = session.scalars(select(PaymentBill).where(PaymentBill.application_id == application.id)).one()
    assert bill.status == "baru" and bill.open_tried_at is not None
    agencies.mode("bank", "normal")
    assert virtual_accounts.open_pending(session, agencies.connectors, bill.open_tried_at) == 0, "not at once"
    assert (
        virtual_accounts.open_pending(session, agencies.connectors, bill.open_tried_at + virtual_accounts.RETRY_AFTER)
        == 1
    )
    assert bill.status == "terbuka"


def test_nothing_is_opened_without_a_bank(session, services, user):
    application = to_payment(session, services, user)
    assert virtual_accounts.open_pending(session, None, at(2, 9), application_id=application.id) == 0
