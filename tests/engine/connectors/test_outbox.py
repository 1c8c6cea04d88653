"""Reports owed to other agencies wait in the outbox until the service takes them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine.connectors import outbox
from engine.connectors.models import ConnectorCall, ConnectorMessage
from tests.timeline import at

REPORT = {
    "nib": "9120001234567",
    "reference": "REK-2026-000001",
    "status": "selesai",
    "permit_number": "IZIN/1",
    "decided_on": "2026-12-02",
    "note": "Izin diterbitkan",
}


def test_a_report_is_delivered_once_and_receipted(session, agencies):
    outbox.enqueue(session, "oss.status_izin", REPORT, None, at(2, 9))
    assert outbox.deliver_pending(session, agencies.connectors, at(2, 9)) == 1
    assert outbox.deliver_pending(session, agencies.connectors, at(2, 10)) == 0, "never twice"
    message = session.scalars(select(ConnectorMessage)).one()
    assert message.sent_at == at(2, 9) and message.receipt.startswith("OSS-")


def test_a_refused_report_waits_longer_each_try_and_a_down_service_is_tried_once_per_pass(session, agencies):
    outbox.enqueue(session, "oss.status_izin", {**REPORT, "nib": "0000000000000"}, None, at(2, 9))
    assert outbox.deliver_pending(session, agencies.connectors, at(2, 9)) == 0
    message = session.scalars(select(ConnectorMessage)).one()
    assert message.tries == 1 and message.next_try_at == at(2, 9) + timedelta(minutes=2)
    assert "OSS menolak" in message.last_error
    assert outbox.deliver_pending(session, agencies.connectors, message.next_try_at) == 0
    assert message.tries == 2 and message.next_try_at == at(2, 9) + timedelta(minutes=2 + 4)
    agencies.mode("oss", "mati")
    for reference in ("REK-2", "REK-3"):
        outbox.enqueue(session, "oss.status_izin", {**REPORT, "reference": reference}, None, at(2, 9))
    calls = len(session.scalars(select(ConnectorCall)).all())
    outbox.deliver_pending(session, agencies.connectors, at(3, 9))
    assert len(session.scalars(select(ConnectorCall)).all()) - calls == 1, "one failed call, not one per report"


def test_nothing_is_sent_without_the_service(session):
    outbox.enqueue(session, "oss.status_izin", REPORT, None, at(2, 9))
    assert outbox.deliver_pending(session, None, at(2, 9)) == 0
