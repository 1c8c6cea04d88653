"""The bank's signed payment notification pays the SKRD and completes the payment task, with no
treasurer action; a forged, stale, replayed or wrong-amount notification is refused, audited, and
changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from engine.casework import queries
from engine.casework.tasks import claim
from engine.connectors.signatures import signature
from engine.core.models import AuditEvent
from engine.payments import notifications
from tests.agencies import BANK_SECRET


def _deliver(session, services, notification, body=None, headers=None):
    answer = notifications.receive(
        session,
        services,
        method="POST",
        path=notification["path"],
        headers={**notification["headers"], **(headers or {})},
        body=(body if body is not None else notification["body"]).encode("utf-8"),
    )
    session.commit()
    return answer


def _refusals(session):
    return [
        e.summary["alasan"]
        for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "payment_notification_refused").order_by(AuditEvent.id)
        )
    ]


def test_a_signed_notification_pays_the_skrd_and_moves_the_file_on_without_the_treasurer(
    session, services, agencies, billed
):
    application, bill = billed
    sent = agencies.pay(bill.va_number)["notification"]
    answer = _deliver(session, services, sent)
    assert answer.status == 200 and answer.body["responseCode"] == "2002500"
    session.refresh(bill)
    assert (bill.status, bill.paid_amount, bill.channel) == ("lunas", 7_200_000, "bank")
    assert [i.task_spec for i in queries.open_items(session, application)] == ["persetujuan_kepala"]
    done = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.application_id == application.id, AuditEvent.action == "task_completed")
        .order_by(AuditEvent.id)
    ).all()[-1]
    assert done.task_title == "Konfirmasi Pembayaran" and done.actor.email == notifications.BANK_ACCOUNT
    received = session.scalars(select(AuditEvent).where(AuditEvent.action == "payment_received")).one()
    assert received.summary["dibayar"] == 7_200_000 and received.summary["referensi"] == bill.bank_reference


def test_the_payment_is_recorded_even_while_a_treasurer_has_the_task_open(session, services, user, agencies, billed):
    application, bill = billed
    (item,) = queries.open_items(session, application)
    claim(session, item.id, user("bendahara"))
    session.commit()
    sent = agencies.pay(bill.va_number)["notification"]
    assert _deliver(session, services, sent).status == 200
    assert [i.task_spec for i in queries.open_items(session, application)] == ["persetujuan_kepala"]
    received = session.scalars(select(AuditEvent).where(AuditEvent.action == "payment_received")).one()
    assert received.summary["dipegang_sebelumnya"] == user("bendahara").name


def test_a_forged_signature_is_refused_and_audited(session, services, agencies, billed):
    application, bill = billed
    sent = agencies.pay(bill.va_number)["notification"]
    forged = signature("tebakan", "POST", sent["path"], sent["body"].encode(), sent["headers"]["X-TIMESTAMP"])
    assert _deliver(session, services, sent, headers={"X-SIGNATURE": forged}).status == 401
    tampered = sent["body"].replace("7200000.00", "7200.00")  # the bank's own signature, another body
    assert _deliver(session, services, sent, body=tampered).status == 401
    assert _refusals(session) == ["tanda tangan tidak sah", "tanda tangan tidak sah"]
    session.refresh(bill)
    assert bill.status == "terbuka"
    assert [i.task_spec for i in queries.open_items(session, application)] == ["konfirmasi_pembayaran"]


def test_a_wrong_amount_is_refused_and_the_bill_stays_open(session, services, agencies, billed):
    application, bill = billed
    sent = agencies.pay(bill.va_number, amount="720000.00")["notification"]
    answer = _deliver(session, services, sent)
    assert answer.status == 404 and answer.body["responseCode"] == "4042513"
    assert _refusals(session) == ["jumlah tidak sama dengan SKRD"]
    session.refresh(bill)
    assert bill.status == "terbuka"
    assert [i.task_spec for i in queries.open_items(session, application)] == ["konfirmasi_pembayaran"]


def test_a_replayed_notification_changes_nothing(session, services, agencies, billed):
    application, bill = billed
    sent = agencies.pay(bill.va_number)["notification"]
    assert _deliver(session, services, sent).status == 200
    assert _deliver(session, services, sent).status == 409
    # The same payment sent again under a new id, correctly signed: the bill is already paid.
    body = sent["body"]
    again = {**sent["headers"], "X-EXTERNAL-ID": "ulang-" + sent["headers"]["X-EXTERNAL-ID"][:20]}
    assert _deliver(session, services, {**sent, "headers": again}, body=body).status == 404
    assert _refusals(session) == ["notifikasi ulangan (X-EXTERNAL-ID sudah diterima)", "tagihan sudah lunas"]
    assert [i.task_spec for i in queries.open_items(session, application)] == ["persetujuan_kepala"]
    assert len(session.scalars(select(AuditEvent).where(AuditEvent.action == "payment_received")).all()) == 1


def test_a_notification_signed_long_ago_is_refused(session, services, agencies, billed):
    application, bill = billed
    sent = agencies.pay(bill.va_number)["notification"]
    stale = "2026-01-05T10:00:00+07:00"
    headers = {
        "X-TIMESTAMP": stale,
        "X-SIGNATURE": signature(BANK_SECRET, "POST", sent["path"], sent["body"].encode(), stale),
    }
    assert _deliver(session, services, sent, headers=headers).status == 401
    assert _refusals(session) == ["stempel waktu kedaluwarsa"]


def test_an_unknown_bill_is_refused(session, services, agencies, billed):
    application, bill = billed
    sent = agencies.pay(bill.va_number)["notification"]
    body = json.dumps({**json.loads(sent["body"]), "trxId": "SKRD/TIDAK/ADA"}, separators=(",", ":"))
    timestamp = sent["headers"]["X-TIMESTAMP"]
    headers = {"X-SIGNATURE": signature(BANK_SECRET, "POST", sent["path"], body.encode(), timestamp)}
    assert _deliver(session, services, sent, body=body, headers=headers).status == 404
    assert _refusals(session) == ["tagihan tidak dikenal"]


def test_a_payment_after_the_skrd_lapsed_is_refused_for_a_refund(session, services, user, agencies, billed):
    from engine.casework.deadlines import fire_due_timers

    application, bill = billed
    fire_due_timers(session, services, application.next_timer_at + timedelta(minutes=1))
    session.commit()
    session.refresh(application)
    session.refresh(bill)
    assert application.status == "gugur" and bill.status == "batal"
    sent = agencies.pay(bill.va_number)["notification"]
    assert _deliver(session, services, sent).status == 404
    assert _refusals(session) == ["tagihan batal"]
