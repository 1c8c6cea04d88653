"""In a real headless Chromium: an applicant submits, an officer completes the first task."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.factories import image_bytes, pdf_bytes

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield instance
        instance.close()


def field(page, name):
    """The form control of a field, after checking a visible label is tied to it (for screen readers)."""
    label = page.locator(f'label[for="f-{name}"]')
    assert label.count() == 1 and label.inner_text().strip()
    return page.locator(f"#f-{name}")


def _login(page, base, email):
    page.goto(f"{base}/masuk")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill("demo12345")
    page.get_by_role("button", name="Masuk").click()


def test_applicant_submits_on_a_phone_and_officer_completes_verification(live_server, browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    files = {name: tmp_path / name for name in ("ktp.pdf", "str.pdf", "op.pdf", "ket.pdf", "foto.jpg")}
    for name, path in files.items():
        path.write_bytes(image_bytes("JPEG") if name.endswith(".jpg") else pdf_bytes(name))

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    _login(page, live_server, "pemohon@demo.test")
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
    _login(officer, live_server, "fo@demo.test")
    row = officer.locator("tr", has_text=reg_number)
    row.get_by_role("button", name="Ambil").click()
    officer.get_by_text("Lengkap dan benar").click()
    officer.screenshot(path=str(ARTIFACTS / "task-desktop.png"), full_page=True)
    officer.get_by_role("button", name="Selesaikan tugas").click()
    officer.locator(".flash.success", has_text="Verifikasi Berkas").wait_for()

    page.goto(f"{live_server}/lacak?nomor={reg_number}")
    assert page.locator(".steps .done", has_text="Verifikasi Berkas").count() == 1
    assert page.locator(".steps .current", has_text="Jadwalkan Survei Lapangan").count() == 1
    page.screenshot(path=str(ARTIFACTS / "track-phone.png"), full_page=True)
