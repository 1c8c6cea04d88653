"""In a real headless Chromium, an Izin Reklame from the applicant's phone to the signed permit, with the
applicant told of every event once by email (through a real SMTP server), SMS and WhatsApp (through the
gateway simulator), in Indonesian; the mail server stops halfway and the mail arrives after all."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from engine.connectors.messaging import msisdn
from engine.core.clock import utcnow
from engine.core.localtime import local
from engine.documents.models import Document
from engine.workflow.models import Application
from tests.browser.pages import ARTIFACTS, login
from tests.browser.test_full_journey import DECISIONS, OFFICERS, _apply, _work_next_task, _write, needs_tools, revoke
from webapp.scheduler import remind_expiring_once, sweep_once

# Subject lines of the built-in Indonesian templates, one per event.
SUBJECTS = {
    "diterima": "telah kami terima",
    "dikembalikan": "perlu diperbaiki",
    "tanda_terima": "Tanda Terima permohonan",
    "skrd": "SKRD ",
    "pembayaran": "Pembayaran retribusi",
    "layanan_dihentikan": "dihentikan sementara",
    "perpanjangan_waktu": "diperpanjang",
    "izin_terbit": "telah terbit",
    "izin_berakhir": "hari lagi",
    "izin_dicabut": "Keputusan",
    "ditolak": "ditolak",
}


def _local_input(moment) -> str:
    return local(moment, "WIB").strftime("%Y-%m-%dT%H:%M")


@needs_tools
def test_the_applicant_hears_of_every_step_once_on_each_channel(
    app, live_server, browser, tmp_path, session, messaging
):
    messaging.state.callback_url = live_server
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    applicant = phone.new_page()
    login(applicant, live_server, "pemohon@demo.test")
    applicant.goto(f"{live_server}/pemohon/pemberitahuan")
    applicant.get_by_label("SMS ke").check()
    applicant.get_by_role("button", name="Simpan pilihan").click()
    applicant.locator(".flash.success").wait_for()
    reg_number = _apply(applicant, live_server, "izin-reklame", tmp_path)
    sweep_once(app)

    desk = {}
    for name in OFFICERS:
        desk[name] = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        login(desk[name], live_server, f"{name}@demo.test")
    photos = [_write(tmp_path / "survei1.jpg"), _write(tmp_path / "survei2.png")]
    returned = {
        **DECISIONS,
        "hasil_verifikasi": "tidak_lengkap",
        "catatan_perbaikan": "Foto lokasi kurang jelas; unggah foto yang diambil siang hari.",
    }
    assert _work_next_task(desk, live_server, reg_number, photos, [], returned) == "Verifikasi Berkas"
    sweep_once(app)

    applicant.goto(f"{live_server}/pemohon/")
    assert applicant.locator("nav .count").inner_text() == "2"
    applicant.locator("nav").get_by_role("link", name="Pemberitahuan").click()
    assert "Foto lokasi kurang jelas" in applicant.locator(".notice-list").inner_text()
    applicant.screenshot(path=str(ARTIFACTS / "notices-phone.png"), full_page=True)
    applicant.get_by_role("link", name="Buka permohonan").first.click()
    applicant.get_by_role("link", name="Perbaiki").first.click()
    applicant.get_by_role("button", name="Kirim perbaikan").click()
    applicant.locator(".flash.success").wait_for()

    done = []
    while (title := _work_next_task(desk, live_server, reg_number, photos, done)) is not None:
        sweep_once(app)
        if title == "Verifikasi Berkas":
            messaging.sink.stop()  # the mail server goes away after the receipt's mail
        if title == "Berita Acara Pemeriksaan":
            # A network breakdown is declared while the file waits, and ended: the deadline moves.
            head = desk["kadis"]
            head.goto(f"{live_server}/pengawasan/keadaan-kahar")
            head.get_by_label("Kategori").select_option("kerusakan_jaringan")
            head.get_by_label("Uraian keadaan").fill("Jaringan pusat data pemerintah kota terputus total.")
            head.get_by_label("Mulai").fill(_local_input(utcnow() - timedelta(minutes=30)))
            head.get_by_role("button", name="Simpan").click()
            head.locator(".flash.success").wait_for()
            head.get_by_role("button", name="Akhiri sekarang").click()
            head.locator(".flash.success").wait_for()
            sweep_once(app)
        assert len(done) < 12, done
    application = session.scalar(select(Application).where(Application.reg_number == reg_number))
    assert application.status == "selesai"

    desk["fo"].goto(f"{live_server}/petugas/permohonan/{application.id}")
    assert "Menunggu (dicoba lagi" in desk["fo"].locator("body").inner_text()  # mail held back, not lost
    desk["fo"].screenshot(path=str(ARTIFACTS / "notices-deliveries-staff.png"), full_page=True)
    messaging.sink.start()
    sweep_once(app, utcnow() + timedelta(hours=2))

    # The head revokes it; later its validity nears its end.
    head = desk["kadis"]
    head.goto(f"{live_server}/petugas/permohonan/{application.id}")
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    reminded_at = permit.valid_until - timedelta(days=90)
    remind_expiring_once(app, reminded_at)
    sweep_once(app, reminded_at + timedelta(minutes=1))
    revoke(
        head,
        "Reklame dipasang di luar titik lokasi yang diizinkan.",
        "Peraturan Daerah Kota Contoh No. 3 Tahun 2020 Pasal 12",
    )
    head.locator(".flash.success").wait_for()

    # A second application is refused at the front office.
    refused_number = _apply(applicant, live_server, "izin-reklame", tmp_path)
    refuse = {
        **DECISIONS,
        "hasil_verifikasi": "tidak_memenuhi",
        "alasan_penolakan": "Titik lokasi berada di kawasan larangan reklame.",
    }
    assert _work_next_task(desk, live_server, refused_number, photos, [], refuse) == "Verifikasi Berkas"
    sweep_once(app, utcnow() + timedelta(hours=3))

    email, mobile = "pemohon@demo.test", msisdn("081234567890")
    mails = messaging.to(email, "email")
    per_event = {event: [m for m in mails if text in m.subject] for event, text in SUBJECTS.items()}
    per_event["izin_berakhir"] = [m for m in mails if "hari lagi" in m.subject]
    per_event["skrd"] = [m for m in mails if m.subject.strip().startswith("SKRD")]
    per_event["ditolak"] = [m for m in mails if m.subject.endswith("ditolak")]
    # One of each; "received" twice, once per application.
    assert {event: len(found) for event, found in per_event.items()} == {event: 1 for event in SUBJECTS} | {
        "diterima": 2
    }
    assert len(mails) == len(SUBJECTS) + 1
    assert all(m.sends == 1 and m.text.startswith("Yth. Budi Santoso") for m in mails)
    skrd = per_event["skrd"][0].text
    assert "Jumlah: Rp" in skrd and "7.200.000" in skrd and "Jatuh tempo: " in skrd
    assert per_event["izin_terbit"][0].attachments[0].endswith(".pdf")
    for channel in ("sms", "whatsapp"):
        texts = [m.text for m in messaging.to(mobile, channel)]
        assert len(texts) == len(mails), (channel, texts)
        assert all(m.sends == 1 for m in messaging.to(mobile, channel))
        assert any("jatuh tempo" in t and "7.200.000" in t for t in texts)
    assert Counter(m.channel for m in messaging.state.messages) == {"email": 12, "sms": 12, "whatsapp": 12}

    # The status check by SMS, from any phone.
    messaging.text_in("081299998888", f"CEK {reg_number}")
    [answer] = messaging.to("6281299998888", "sms")
    assert reg_number in answer.text and "Selesai" in answer.text

    applicant.goto(f"{messaging.url}/_sim/pesan")
    applicant.screenshot(path=str(ARTIFACTS / "notices-simulator.png"), full_page=True)
    applicant.goto(f"{live_server}/pemohon/pemberitahuan")
    applicant.screenshot(path=str(ARTIFACTS / "notices-list-phone.png"), full_page=True)
