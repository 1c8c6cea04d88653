"""Izin Reklame end to end with the SKRD paid at the bank: the app served over real HTTP, the bank
simulator posting its signed notification to it; no treasurer completes the payment."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from engine.casework import queries
from engine.core.models import AuditEvent
from engine.documents.models import PaymentBill
from tests.factories import HAPPY, open_item, submit, work


def test_izin_reklame_is_paid_through_the_bank_and_runs_to_the_permit_without_the_treasurer(
    app, session, services, user, login, served_app, agencies
):
    application = submit(session, services, user)
    for _ in range(3):  # verification, survey schedule, berita acara
        work(session, services, user, application)
    item = open_item(session, application)
    assert item.task_spec == "penetapan_retribusi"
    treasurer = login("bendahara")
    assert treasurer.post(f"/petugas/tugas/{item.id}/ambil").status_code == 302
    assert treasurer.post(f"/petugas/tugas/{item.id}", data=HAPPY["penetapan_retribusi"][0]).status_code == 302
    bill = session.scalars(select(PaymentBill).where(PaymentBill.application_id == application.id)).one()
    assert bill.status == "terbuka", "the virtual account is opened right after the SKRD is issued"
    page = login("pemohon", app.test_client()).get(f"/pemohon/permohonan/{application.id}").get_data(as_text=True)
    assert bill.va_number in page and "7.200.000" in page and 'aria-label="Kode QRIS pembayaran"' in page

    issued = app.test_client().post("/api/v1/tokens", json={"email": "pemohon@demo.test", "password": "demo12345"})
    read = (
        app.test_client()
        .get(
            f"/api/v1/applications/{application.id}", headers={"Authorization": f"Bearer {issued.get_json()['token']}"}
        )
        .get_json()
    )
    assert read["payment"]["virtual_account"] == bill.va_number and read["payment"]["amount"] == 7_200_000
    assert read["payment"]["status"] == "terbuka" and read["payment"]["qris"] == bill.qris
    paid = agencies.pay(bill.va_number)
    assert paid["callback_status"] == 200, paid
    session.expire_all()
    assert session.get(PaymentBill, bill.id).status == "lunas"
    assert [i.task_spec for i in queries.open_items(session, application)] == ["persetujuan_kepala"]
    while session.get(type(application), application.id).status == "diproses":
        work(session, services, user, application)
    assert session.get(type(application), application.id).status == "selesai"
    treasurer_steps = session.scalars(
        select(AuditEvent).where(
            AuditEvent.application_id == application.id,
            AuditEvent.action == "task_completed",
            AuditEvent.actor_id == user("bendahara").id,
        )
    ).all()
    assert [e.task_title for e in treasurer_steps] == ["Penetapan Retribusi (SKRD)"], "the bank paid, not the treasurer"


def test_an_unsigned_post_to_the_bank_endpoint_is_refused_and_audited(client, session):
    answer = client.post(
        "/api/v1/bank/transfer-va/payment",
        json={"trxId": "SKRD/1", "virtualAccountNo": "1", "paidAmount": {"value": "1.00"}},
    )
    assert answer.status_code == 404, "no bank is connected in this test: nothing to notify"


def test_a_forged_notification_over_http_is_refused(session, services, user, agencies, served_app):
    body = b'{"trxId":"SKRD/REK/2026/00001","virtualAccountNo":"8889900001","paidAmount":{"value":"1.00"}}'
    answer = httpx.post(
        f"{served_app}/api/v1/bank/transfer-va/payment",
        content=body,
        headers={
            "X-TIMESTAMP": "2026-12-03T10:00:00+07:00",
            "X-SIGNATURE": "palsu",
            "X-EXTERNAL-ID": "x1",
            "Content-Type": "application/json",
        },
    )
    assert answer.status_code == 401 and answer.json()["responseCode"] == "4012500"
    session.expire_all()
    assert session.scalars(
        select(AuditEvent.summary).where(AuditEvent.action == "payment_notification_refused")
    ).one() == {"alasan": "tanda tangan tidak sah"}


def test_a_slow_bank_holds_the_skrd_step_no_longer_than_its_time_limit(session, services, user, login, agencies):
    from time import monotonic

    from engine.payments import virtual_accounts

    application = submit(session, services, user)
    for _ in range(3):
        work(session, services, user, application)
    item = open_item(session, application)
    agencies.mode("bank", "lambat", delay=5.0)
    treasurer = login("bendahara")
    treasurer.post(f"/petugas/tugas/{item.id}/ambil")
    started = monotonic()
    answer = treasurer.post(f"/petugas/tugas/{item.id}", data=HAPPY["penetapan_retribusi"][0])
    waited = monotonic() - started
    limit = agencies.connectors.endpoints["bank"].timeout
    assert answer.status_code == 302 and waited < limit + 1.5, f"the step waited {waited:.2f} s on a {limit} s limit"
    session.expire_all()
    bill = session.scalars(select(PaymentBill).where(PaymentBill.application_id == application.id)).one()
    assert bill.status == "baru", "the SKRD stands; the account is opened later"
    agencies.mode("bank", "normal")
    assert (
        virtual_accounts.open_pending(session, agencies.connectors, bill.open_tried_at + virtual_accounts.RETRY_AFTER)
        == 1
    )


def test_without_a_bank_the_applicant_is_told_to_pay_at_the_counter(app, session, services, user, login):
    application = submit(session, services, user)
    for _ in range(4):
        work(session, services, user, application)
    page = login("pemohon").get(f"/pemohon/permohonan/{application.id}").get_data(as_text=True)
    assert "Pembayaran Retribusi" in page and "7.200.000" in page
    assert "Bayar di loket Bendahara DPMPTSP" in page and "Nomor Virtual Account" not in page
