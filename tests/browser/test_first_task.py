"""In a real headless Chromium: an applicant submits, an officer completes the first task."""

from __future__ import annotations

from tests.browser.pages import ARTIFACTS, field, login
from tests.factories import image_bytes, pdf_bytes


def test_applicant_submits_on_a_phone_and_officer_completes_verification(live_server, browser, tmp_path):
    files = {name: tmp_path / name for name in ("ktp.pdf", "str.pdf", "op.pdf", "ket.pdf", "foto.jpg")}
    for name, path in files.items():
        path.write_bytes(image_bytes("JPEG") if name.endswith(".jpg") else pdf_bytes(name))

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    login(page, live_server, "pemohon@demo.test")
    page.goto(f"{live_server}/pemohon/ajukan/surat-izin-praktik")
    field(page, "profesi").select_option("bidan")
    field(page, "nomor_str").fill("3121100220145678")
    field(page, "str_berlaku_sampai").fill("2030-05-31")
    field(page, "nama_fasyankes").fill("Praktik Mandiri Bidan Sari")
    field(page, "alamat_praktik").fill("Jl. Kol. Atmo No. 12")
    field(page, "kecamatan").fill("Ilir Timur I")
    field(page, "jadwal_praktik").fill("Senin-Sabtu 08.00-14.00")
    field(page, "tempat_praktik_ke").fill("1")
    field(page, "berkas_ktp").set_input_files(str(files["ktp.pdf"]))
    field(page, "berkas_str").set_input_files(str(files["str.pdf"]))
    field(page, "berkas_rekomendasi_op").set_input_files(str(files["op.pdf"]))
    field(page, "berkas_keterangan_fasyankes").set_input_files(str(files["ket.pdf"]))
    field(page, "berkas_pas_foto").set_input_files(str(files["foto.jpg"]))
    page.screenshot(path=str(ARTIFACTS / "apply-phone.png"), full_page=True)
    page.get_by_role("button", name="Kirim permohonan").click()
    notice = page.locator(".flash.success")
    notice.wait_for()
    reg_number = notice.inner_text().split()[-1].rstrip(".")
    assert reg_number.startswith("SIP-")
    page.screenshot(path=str(ARTIFACTS / "application-phone.png"), full_page=True)

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    officer = desk.new_page()
    login(officer, live_server, "fo@demo.test")
    row = officer.locator("tr", has_text=reg_number)
    row.get_by_role("button", name="Ambil").click()
    officer.get_by_text("Lengkap dan benar").click()
    officer.screenshot(path=str(ARTIFACTS / "task-desktop.png"), full_page=True)
    officer.get_by_role("button", name="Selesaikan tugas").click()
    officer.locator(".flash.success", has_text="Verifikasi Berkas").wait_for()

    page.goto(f"{live_server}/lacak?nomor={reg_number}")
    assert page.locator(".steps .done", has_text="Verifikasi Berkas").count() == 1
    assert page.locator(".steps .current", has_text="Jadwalkan Survei Lapangan").count() == 1
    assert page.locator(".steps .ahead").count() >= 2  # the stages still to come
    # The diagram lights the step the file is at and those it has passed.
    page.locator("body[data-viewer-ready='1']").wait_for(state="attached")
    assert page.locator('.djs-element.step-current[data-element-id="jadwal_survei"]').count() == 1
    assert page.locator('.djs-element.step-done[data-element-id="verifikasi_berkas"]').count() == 1
    assert "Perkiraan selesai" in page.locator(".sla").inner_text()
    page.screenshot(path=str(ARTIFACTS / "track-phone.png"), full_page=True)
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    desk.goto(f"{live_server}/lacak?nomor={reg_number}")
    desk.locator("body[data-viewer-ready='1']").wait_for(state="attached")
    desk.screenshot(path=str(ARTIFACTS / "track-desktop.png"), full_page=True)
