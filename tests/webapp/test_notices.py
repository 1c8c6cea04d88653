"""The notices' pages (the applicant's list and channels, the admin's templates, the delivery status
staff see) and the status check by SMS through the gateway."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from engine.notifications.delivery import deliver_pending, gateways_of
from engine.notifications.models import NotificationPreference
from tests.factories import submit, work


def test_cek_texted_to_the_agency_is_answered_with_the_status_in_one_sms(
    session, services, user, messaging, served_app
):
    application = submit(session, services, user)
    work(session, services, user, application)  # verified: the receipt is out, the survey is next
    asker = "+62 811-2233-4455"
    answer = messaging.text_in(asker, f"cek {application.reg_number.lower()}")
    assert answer["status"] == 200 and answer["answer"]["replied"]
    [reply] = messaging.to("6281122334455", "sms")
    assert application.reg_number in reply.text and "Sedang diproses" in reply.text and "Izin Reklame" in reply.text
    assert "Budi" not in reply.text  # nothing about the applicant

    messaging.text_in("081122334455", "CEK REK-1999-999999")
    messaging.text_in("081122334455", "halo, izin saya bagaimana?")
    texts = [m.text for m in messaging.to("6281122334455", "sms")]
    assert "REK-1999-999999 tidak ditemukan" in texts[1] and "Format: CEK <nomor registrasi>" in texts[2]


def test_the_sms_webhook_refuses_a_caller_without_the_gateways_token(messaging, served_app):
    given = {"id": "X1", "phone": "081122334455", "message": "CEK REK-2026-000001"}
    assert httpx.post(f"{served_app}/api/v1/sms/masuk", json=given).status_code == 401
    assert (
        httpx.post(f"{served_app}/api/v1/sms/masuk", json=given, headers={"Authorization": "tebakan"}).status_code
        == 401
    )
    assert messaging.state.messages == []


def test_the_same_inbound_message_delivered_twice_is_answered_once(messaging, served_app, session, services, user):
    application = submit(session, services, user)
    given = {"id": "IN-42", "phone": "081122334455", "message": f"CEK {application.reg_number}"}
    for _ in range(2):
        assert httpx.post(
            f"{served_app}/api/v1/sms/masuk", json=given, headers={"Authorization": "kunci-sms"}
        ).is_success
    assert len(messaging.to("6281122334455", "sms")) == 1


def test_the_applicant_sees_unread_notices_in_the_menu_reads_them_and_chooses_channels(
    session, services, user, login, client
):
    application = submit(session, services, user)
    login("pemohon")
    home = client.get("/pemohon/").get_data(as_text=True)
    assert 'aria-label="1 belum dibaca"' in home
    page = client.get("/pemohon/pemberitahuan").get_data(as_text=True)
    assert f"Permohonan {application.reg_number} telah kami terima" in page and "Baru" in page
    assert "belum dibaca" not in client.get("/pemohon/").get_data(as_text=True)
    saved = client.post("/pemohon/pemberitahuan/saluran", data={"email": "on", "bahasa": "en"})
    assert saved.status_code == 302
    preference = session.get(NotificationPreference, user("pemohon").id)
    session.refresh(preference)
    assert (preference.email, preference.whatsapp, preference.sms, preference.attach_pdf, preference.language) == (
        True,
        False,
        False,
        False,
        "en",
    )


def test_staff_see_on_the_file_what_was_sent_and_how_it_went(session, services, user, login, client, messaging):
    application = submit(session, services, user)
    messaging.sink.stop()
    deliver_pending(session, gateways_of(session, services))
    login("fo")
    page = client.get(f"/petugas/permohonan/{application.id}").get_data(as_text=True)
    assert "Pemberitahuan kepada Pemohon" in page and "Menunggu (dicoba lagi" in page
    assert "Terkirim" in page  # WhatsApp went out while the mail server was away


def test_the_admin_rewords_a_notice_and_a_bad_template_is_explained(session, user, login, client):
    login("admin")
    listing = client.get("/admin/pemberitahuan").get_data(as_text=True)
    assert "SKRD terbit (retribusi)" in listing and "Bawaan" in listing
    bad = client.post(
        "/admin/pemberitahuan/skrd/id", data={"subjek": "SKRD {{ nomor_salah }}", "isi": "x", "singkat": "y"}
    )
    assert bad.status_code == 422 and "Nama yang tersedia" in bad.get_data(as_text=True)
    good = client.post(
        "/admin/pemberitahuan/skrd/id",
        data={
            "subjek": "Tagihan {{ skrd_nomor }}",
            "isi": "Bayar {{ jumlah }} sebelum {{ jatuh_tempo }}.",
            "singkat": "Bayar {{ jumlah }}",
        },
    )
    assert good.status_code == 302
    shown = client.get("/admin/pemberitahuan/skrd/id").get_data(as_text=True)
    assert "Tagihan SKRD/2026/000045" in shown and "Bayar Rp" in shown
    assert "Diubah" in client.get("/admin/pemberitahuan").get_data(as_text=True)
    client.post("/admin/pemberitahuan/skrd/id", data={"kembalikan": "1"})
    assert "Diubah" not in client.get("/admin/pemberitahuan").get_data(as_text=True)
    assert session.scalars(select(NotificationPreference)).all() == []
