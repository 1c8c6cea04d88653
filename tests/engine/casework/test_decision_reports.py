"""A business's decision goes back to OSS: queued with the step, delivered over real HTTP."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from engine.connectors import outbox
from engine.connectors.models import ConnectorMessage
from tests.factories import REKLAME, submit, work


def test_the_permit_decision_of_a_business_with_an_nib_is_reported_back_to_oss(session, services, user, agencies):
    application = submit(session, services, user, data={**REKLAME, "nib": "9120001234567"})
    while application.status == "diproses":
        work(session, services, user, application)
    message = session.scalars(select(ConnectorMessage).where(ConnectorMessage.application_id == application.id)).one()
    assert message.payload["status"] == "selesai" and message.payload["permit_number"]
    assert outbox.deliver_pending(session, agencies.connectors) == 1
    session.commit()
    report = httpx.get(f"{agencies.url}/_sim/oss/reports").json()[application.reg_number]
    assert report["kd_status"] == "50" and report["nomor_izin"] == message.payload["permit_number"]
    assert report["nib"] == "9120001234567" and message.receipt.startswith("OSS-")


def test_a_rejection_is_reported_too_and_a_file_without_nib_is_not(session, services, user, agencies):
    plain = submit(session, services, user)
    rejected = submit(session, services, user, data={**REKLAME, "nib": "8120009876543"})
    for application in (plain, rejected):
        work(
            session,
            services,
            user,
            application,
            {"hasil_verifikasi": "tidak_memenuhi", "alasan_penolakan": "Lokasi di kawasan terlarang."},
        )
    payloads = [m.payload for m in session.scalars(select(ConnectorMessage))]
    assert [(p["reference"], p["status"]) for p in payloads] == [(rejected.reg_number, "ditolak")]


def test_oss_down_keeps_the_report_for_a_later_try(session, services, user, agencies):
    application = submit(session, services, user, data={**REKLAME, "nib": "9120001234567"})
    work(
        session,
        services,
        user,
        application,
        {"hasil_verifikasi": "tidak_memenuhi", "alasan_penolakan": "Lokasi di kawasan terlarang."},
    )
    agencies.mode("oss", "mati")
    assert outbox.deliver_pending(session, agencies.connectors) == 0
    message = session.scalars(select(ConnectorMessage)).one()
    assert message.sent_at is None and message.tries == 1 and message.next_try_at > message.created_at
    agencies.mode("oss", "normal")
    assert outbox.deliver_pending(session, agencies.connectors, message.next_try_at) == 1
