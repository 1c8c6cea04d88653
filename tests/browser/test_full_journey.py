"""In a real headless Chromium, each permit type from the applicant's form to the signed permit:
every officer works their task through the inbox pages, the applicant downloads the permit, its
QR code leads to the verification page, and that page says the permit is valid."""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest

from tests.browser.pages import ARTIFACTS, fill_form, login
from tests.factories import HAPPY, REKLAME, SIP, image_bytes, pdf_bytes
from tests.pdf_pages import qr_codes_by_page
from webapp.seeding import DEMO_PASSPHRASE

OFFICERS = ("fo", "teknis", "bendahara", "kadis")
DECISIONS = {name: value for data, _ in HAPPY.values() for name, value in data.items()} | {
    "passphrase": DEMO_PASSPHRASE
}
needs_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftoppm", "zbarimg")),
    reason="poppler-utils and zbar-tools are installed by .ci/run",
)

TYPES = {
    "izin-reklame": (
        REKLAME,
        {
            "berkas_ktp": "ktp.pdf",
            "berkas_desain": "desain.png",
            "berkas_foto_lokasi": "lokasi.jpg",
            "berkas_persetujuan_lahan": "lahan.pdf",
        },
    ),
    "surat-izin-praktik": (
        SIP,
        {
            "berkas_ktp": "ktp.pdf",
            "berkas_str": "str.pdf",
            "berkas_rekomendasi_op": "op.pdf",
            "berkas_keterangan_fasyankes": "ket.pdf",
            "berkas_pas_foto": "foto.jpg",
        },
    ),
}


def _write(path):
    if path.suffix == ".pdf":
        path.write_bytes(pdf_bytes(path.stem))
    else:
        path.write_bytes(image_bytes("PNG" if path.suffix == ".png" else "JPEG"))
    return path


def _apply(page, base, code, tmp_path) -> str:
    data, uploads = TYPES[code]
    page.goto(f"{base}/pemohon/ajukan/{code}")
    fill_form(page, data, {name: [_write(tmp_path / filename)] for name, filename in uploads.items()})
    page.get_by_role("button", name="Kirim permohonan").click()
    notice = page.locator(".flash.success")
    notice.wait_for()
    return notice.inner_text().split()[-1].rstrip(".")


def _work_next_task(officers, base, reg_number, photos, shots, decisions=None) -> str | None:
    """The officer whose inbox holds the application's task claims it, fills it and completes it."""
    for name, page in officers.items():
        page.goto(f"{base}/petugas/")
        row = page.locator("tr", has_text=reg_number)
        if row.count() == 0:
            continue
        row.get_by_role("button", name="Ambil").click()
        page.locator("form.task-form").wait_for()
        title = page.locator("h1").inner_text()
        fill_form(page, decisions or DECISIONS, {"foto_lapangan": photos})
        shots.append(title)
        page.screenshot(path=str(ARTIFACTS / f"journey-{len(shots):02d}-{name}.png"), full_page=True)
        page.get_by_role("button", name="Selesaikan tugas").click()
        page.locator(".flash.success", has_text=title).wait_for()
        return title
    return None


def revoke(head, reason: str, basis: str, passphrase: str = DEMO_PASSPHRASE) -> None:
    """The Kepala Dinas, on the file's page, revokes its permit with a signed decision."""
    decision = head.locator("details.decision", has_text="Cabut atau batalkan")
    decision.locator("summary").click()
    decision.get_by_label("Pencabutan (izin tidak berlaku sejak keputusan)").check()
    decision.get_by_label("Alasan").fill(reason)
    decision.get_by_label("Dasar hukum").fill(basis)
    decision.get_by_label("Passphrase sertifikat elektronik").fill(passphrase)
    decision.get_by_role("button", name="Tetapkan dan tandatangani").click()


@needs_tools
@pytest.mark.parametrize("code", list(TYPES))
def test_permit_goes_from_form_to_verified_signed_pdf_in_the_browser(live_server, browser, tmp_path, code):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    applicant = phone.new_page()
    login(applicant, live_server, "pemohon@demo.test")
    reg_number = _apply(applicant, live_server, code, tmp_path)
    application_url = applicant.url

    desk = {}
    for name in OFFICERS:
        desk[name] = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        login(desk[name], live_server, f"{name}@demo.test")
    photos = [_write(tmp_path / "survei1.jpg"), _write(tmp_path / "survei2.png")]
    done = []
    while _work_next_task(desk, live_server, reg_number, photos, done):
        assert len(done) < 10, done
    assert done[:3] == ["Verifikasi Berkas", "Jadwalkan Survei Lapangan", "Berita Acara Pemeriksaan"]
    assert done[-2:] == ["Persetujuan Kepala Dinas", "Penyerahan Izin"]
    assert ("Konfirmasi Pembayaran" in done) == (code == "izin-reklame")

    applicant.goto(application_url)
    assert "Selesai" in applicant.locator(".badge").first.inner_text()
    applicant.screenshot(path=str(ARTIFACTS / f"journey-done-{code}.png"), full_page=True)
    permit_name = applicant.locator("h1").inner_text()
    link = applicant.locator(".docs li a", has_text=f"{permit_name} —").first
    with applicant.expect_download() as download:
        link.click()
    pdf = tmp_path / "izin.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and b"/ByteRange" in pdf.read_bytes()

    # The stamp, and its QR code, stand in the signature block, on whichever page it falls.
    codes = [code for page in qr_codes_by_page(pdf, tmp_path).values() for code in page]
    assert len(codes) == 1
    decoded = codes[0]
    assert urlparse(decoded).path.startswith("/verify/")
    applicant.goto(live_server + urlparse(decoded).path)
    assert "Dokumen ASLI dan SAH" in applicant.locator(".verdict").inner_text()
    applicant.screenshot(path=str(ARTIFACTS / f"journey-verify-{code}.png"), full_page=True)


@needs_tools
def test_head_revokes_a_permit_in_the_browser_and_the_verify_page_says_so(live_server, browser, tmp_path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    applicant = phone.new_page()
    login(applicant, live_server, "pemohon@demo.test")
    reg_number = _apply(applicant, live_server, "surat-izin-praktik", tmp_path)
    desk = {}
    for name in OFFICERS:
        desk[name] = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        login(desk[name], live_server, f"{name}@demo.test")
    while _work_next_task(desk, live_server, reg_number, [_write(tmp_path / "survei.jpg")], []):
        pass

    head = desk["kadis"]
    head.goto(f"{live_server}/petugas/permohonan")
    head.get_by_role("link", name=reg_number).click()
    verify_link = head.locator(".docs li", has_text="Surat Izin Praktik").get_by_role("link", name="verifikasi")
    verify_url = verify_link.get_attribute("href")
    for passphrase in ("salah-passphrase", DEMO_PASSPHRASE):
        revoke(
            head,
            "Tenaga kesehatan tidak lagi berpraktik di fasilitas yang tercantum.",
            "Peraturan Wali Kota No. 12 Tahun 2025 Pasal 21",
            passphrase,
        )
        if passphrase != DEMO_PASSPHRASE:
            assert "Passphrase salah" in head.locator(".flash.error").inner_text()
    assert "Pencabutan izin ditetapkan" in head.locator(".flash.success").inner_text()
    head.screenshot(path=str(ARTIFACTS / "revoke-application-desktop.png"), full_page=True)

    applicant.goto(live_server + verify_url)
    assert "Dicabut" in applicant.locator(".facts").inner_text()
    assert "TIDAK dapat" not in applicant.locator(".verdict").inner_text()
    applicant.screenshot(path=str(ARTIFACTS / "verify-revoked-phone.png"), full_page=True)

    applicant.goto(f"{live_server}/verifikasi")
    applicant.get_by_label("Berkas PDF").set_input_files(str(_write(tmp_path / "lain.pdf")))
    applicant.get_by_role("button", name="Periksa").click()
    assert "tidak memuat tanda tangan elektronik" in applicant.locator(".findings").inner_text()
    applicant.screenshot(path=str(ARTIFACTS / "verify-upload-phone.png"), full_page=True)
    head.goto(f"{live_server}/petugas/sertifikat")
    head.screenshot(path=str(ARTIFACTS / "certificates-desktop.png"), full_page=True)
