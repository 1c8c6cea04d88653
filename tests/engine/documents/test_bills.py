"""The bill an SKRD opens, and a counter payment settling it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from engine.documents import bills
from engine.documents.models import Document, PaymentBill
from tests.engine.payments.conftest import to_payment
from tests.factories import work


def test_the_skrd_opens_a_bill_for_its_amount_and_due_date(session, services, user):
    application = to_payment(session, services, user)
    bill = bills.bill_of(session, application.id)
    skrd = session.scalars(
        select(Document).where(Document.application_id == application.id, Document.kind == "skrd")
    ).one()
    assert (bill.number, bill.amount, bill.status, bill.document_id) == (skrd.number, 7_200_000, "baru", skrd.id)
    assert isinstance(bill.due_date, date)


def test_the_treasurer_entering_a_counter_payment_settles_the_bill(session, services, user):
    application = to_payment(session, services, user)
    work(session, services, user, application)  # "Konfirmasi Pembayaran" by the treasurer
    bill = bills.bill_of(session, application.id)
    assert (bill.status, bill.channel, bill.paid_amount, bill.bank_reference) == (
        "lunas",
        "loket",
        7_200_000,
        "NTPD-8842-001",
    )


def test_data_without_an_amount_opens_no_bill(session):
    assert (
        bills.open_bill(session, Document(id=1, application_id=1, number="X"), {"jatuh_tempo": "2026-12-31"}, None)
        is None
    )
    assert session.scalars(select(PaymentBill)).all() == []
