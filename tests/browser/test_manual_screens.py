"""The user manual's pictures: each role's main pages as they look with files in hand, taken in a real
headless Chromium (``make docs`` runs this module and puts the pictures in the manual)."""

from __future__ import annotations

import pytest

from tests.browser.pages import ARTIFACTS, login
from tests.factories import open_item, submit, waiting_at

DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# (account, page, picture), in the manual's order; the task pages are added below.
PAGES = [
    (None, "/", "publik-beranda"),
    (None, "/lacak", "publik-lacak"),
    (None, "/verifikasi", "publik-verifikasi"),
    (None, "/statistik", "publik-statistik"),
    ("pemohon", "/pemohon/", "pemohon-beranda"),
    ("pemohon", "/pemohon/ajukan/izin-reklame", "pemohon-ajukan"),
    ("pemohon", "/pemohon/pemberitahuan", "pemohon-pemberitahuan"),
    ("fo", "/petugas/", "fo-kotak-tugas"),
    ("fo", "/petugas/loket", "fo-loket"),
    ("fo", "/petugas/antrean", "fo-antrean"),
    ("fo", "/petugas/permohonan", "fo-daftar-permohonan"),
    ("teknis", "/petugas/", "teknis-kotak-tugas"),
    ("bendahara", "/petugas/", "bendahara-kotak-tugas"),
    ("kadis", "/petugas/", "kadis-kotak-tugas"),
    ("kadis", "/petugas/sertifikat", "kadis-sertifikat"),
    ("pengawas", "/pengawasan/", "pengawas-dasbor"),
    ("pengawas", "/pengawasan/ikm", "pengawas-ikm"),
    ("pengawas", "/pengawasan/keadaan-kahar", "pengawas-keadaan-kahar"),
    ("pengawas", "/pengawasan/pengaduan", "pengawas-pengaduan"),
    ("dinkes", "/instansi/", "instansi-permohonan"),
    ("proses", "/admin/proses/", "proses-jenis-izin"),
    ("admin", "/admin/pengguna", "admin-pengguna"),
    ("admin", "/admin/waktu-layanan", "admin-waktu-layanan"),
    ("admin", "/admin/kalender", "admin-kalender"),
    ("admin", "/admin/audit", "admin-audit"),
]
PHONE_PAGES = {"pemohon-beranda", "pemohon-ajukan", "publik-lacak", "publik-verifikasi"}
# The task each officer works, by the step the file waits at.
TASKS = {
    "berita_acara": ("teknis", "teknis-berita-acara"),
    "penetapan_retribusi": ("bendahara", "bendahara-skrd"),
    "persetujuan_kepala": ("kadis", "kadis-persetujuan"),
}


@pytest.fixture
def files_in_hand(session, services, user):
    """Files waiting at each officer's step (the signing before them runs here, not beside the browser)."""
    fresh = submit(session, services, user)
    waiting = {}
    for spec in TASKS:
        _, waiting[spec] = waiting_at(session, services, user, spec)
    return fresh, open_item(session, fresh), waiting


def test_every_role_s_main_pages_are_pictured_for_the_manual(files_in_hand, live_server, browser):
    fresh, verification, waiting = files_in_hand
    pages = {}

    def page_of(account, picture):
        key = (account, picture in PHONE_PAGES)
        if key not in pages:
            context = browser.new_context(viewport=PHONE if key[1] else DESK, is_mobile=key[1], has_touch=key[1])
            pages[key] = context.new_page()
            if account:
                login(pages[key], live_server, f"{account}@demo.test")
        return pages[key]

    shots = PAGES + [
        ("pemohon", f"/pemohon/permohonan/{fresh.id}", "pemohon-permohonan"),
        ("fo", f"/petugas/tugas/{verification.id}", "fo-verifikasi"),
        ("fo", f"/petugas/permohonan/{fresh.id}", "fo-berkas"),
    ]
    shots += [(account, f"/petugas/tugas/{waiting[spec].id}", picture) for spec, (account, picture) in TASKS.items()]
    for account, path, picture in shots:
        page = page_of(account, picture)
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, (account, path, response.status)
        if page.locator("[data-draft]").count():
            page.locator("[data-draft][data-pages]").first.wait_for()
        page.screenshot(path=str(ARTIFACTS / f"manual-{picture}.png"), full_page=picture not in PHONE_PAGES)
        if picture == "fo-berkas":  # a document read in the page's viewer
            page.locator(".docs a[data-view]").first.click()
            page.locator("dialog.doc-viewer .pages[data-pages]").wait_for()
            page.screenshot(path=str(ARTIFACTS / "manual-fo-lihat-dokumen.png"))
            page.keyboard.press("Escape")
