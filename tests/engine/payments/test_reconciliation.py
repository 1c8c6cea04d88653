"""The daily reconciliation of the bank's statement with the SKRD bills."""

from __future__ import annotations

from sqlalchemy import select

from engine.core.localtime import local
from engine.core.models import AuditEvent
from engine.payments import notifications, reconciliation


def test_a_paid_bill_matches_the_statement_and_a_missed_notification_is_reported(session, services, agencies, billed):
    application, bill = billed
    sent = agencies.pay(bill.va_number)["notification"]
    notifications.receive(
        session, services, method="POST", path=sent["path"], headers=sent["headers"], body=sent["body"].encode()
    )
    session.commit()
    day = local(bill.paid_at, services.calendar.zone).date()
    result = reconciliation.reconcile(session, agencies.connectors, services.calendar.zone, day)
    assert result.matched == 1 and result.differences == []
    second = agencies.pay(bill.va_number)  # paid twice at the bank; the notification is refused (paid bill)
    result = reconciliation.reconcile(session, agencies.connectors, services.calendar.zone, day)
    reference = second["notification"]["body"].split('"paymentRequestId":"')[1].split('"')[0]
    assert result.matched == 1 and result.differences == [
        {
            "skrd": bill.number,
            "masalah": "dibayar lebih dari sekali di bank",
            "jumlah_bank": 7_200_000,
            "referensi": reference,
        }
    ]
    audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "payment_reconciled")).all()
    assert len(audits) == 2 and audits[0].summary["cocok"] == 1


def test_a_payment_the_agency_never_recorded_is_a_difference(session, services, agencies, billed):
    application, bill = billed
    agencies.pay(bill.va_number)  # notification lost on the way: not delivered to the agency
    day = local(session.get(type(bill), bill.id).opened_at, services.calendar.zone).date()
    result = reconciliation.reconcile(session, agencies.connectors, services.calendar.zone, day)
    assert result.matched == 0
    assert result.differences == [
        {
            "skrd": bill.number,
            "masalah": "dibayar di bank, belum tercatat lunas",
            "jumlah_bank": 7_200_000,
            "tagihan": 7_200_000,
        }
    ]
