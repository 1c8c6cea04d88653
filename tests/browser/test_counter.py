"""In a real headless Chromium: the front office serves a walk-in at the counter and prints the claim
link; on a phone, the person claims the account and sees the application; the admin rewords a notice."""

from __future__ import annotations

import re

from tests.browser.pages import ARTIFACTS, fill_form, login
from tests.browser.test_full_journey import TYPES, _write
from tests.engine.accounts.test_walk_ins import person as walk_in_person
from tests.factories import REKLAME


def test_a_walk_in_is_served_at_the_counter_and_claims_the_account_on_a_phone(live_server, browser, tmp_path):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(desk, live_server, "fo@demo.test")
    desk.locator("nav").get_by_role("link", name="Loket").click()
    desk.get_by_label("NIK (16 digit, sesuai KTP)").fill(walk_in_person()["nik"])
    desk.get_by_label("Nama lengkap sesuai KTP").fill("Rina Wulandari")
    desk.get_by_label("Tanggal lahir").fill("1995-06-15")
    desk.get_by_label("Tempat lahir").fill("Bandung")
    desk.get_by_label("Nomor telepon / WhatsApp (untuk pemberitahuan)").fill("081377770004")
    desk.get_by_label("Jenis izin").select_option("izin-reklame")
    desk.get_by_role("button", name="Lanjut ke formulir").click()
    assert "atas nama Rina Wulandari" in desk.locator("h1").inner_text()
    _, uploads = TYPES["izin-reklame"]
    fill_form(desk, REKLAME, {name: [_write(tmp_path / filename)] for name, filename in uploads.items()})
    desk.locator("#f-persetujuan").set_input_files(str(_write(tmp_path / "pernyataan.pdf")))
    desk.screenshot(path=str(ARTIFACTS / "counter-form-desktop.png"), full_page=True)
    desk.get_by_role("button", name="Ajukan atas nama Pemohon").click()
    desk.locator("h2", has_text="Tautan ambil alih akun").wait_for()
    reg_number = re.search(r"(REK-\d{4}-\d{6})", desk.locator("h1").inner_text()).group(1)
    claim = desk.locator("code.break").inner_text()
    desk.screenshot(path=str(ARTIFACTS / "counter-done-desktop.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.goto(live_server + "/" + claim.split("://", 1)[1].split("/", 1)[1])
    email = f"rina.{walk_in_person()['nik'][-6:]}@warga.test"
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Kata sandi", exact=True).fill("Pempek-Kapal-Selam-77")
    phone.get_by_label("Ulangi kata sandi").fill("Pempek-Kapal-Selam-77")
    phone.screenshot(path=str(ARTIFACTS / "claim-phone.png"), full_page=True)
    phone.get_by_role("button", name="Simpan dan ambil alih akun").click()
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Kata sandi").fill("Pempek-Kapal-Selam-77")
    phone.get_by_role("button", name="Masuk").click()
    phone.locator("nav").get_by_text("Keluar").wait_for()
    assert reg_number in phone.locator("table.list").inner_text()


def test_the_admin_rewords_a_notice_with_a_preview(live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, live_server, "admin@demo.test")
    page.locator("nav").get_by_role("link", name="Pemberitahuan").click()
    page.screenshot(path=str(ARTIFACTS / "notice-templates-desktop.png"), full_page=True)
    page.get_by_role("row", name=re.compile("SKRD terbit")).get_by_role("link").first.click()
    page.get_by_label("Subjek email dan judul").fill("Tagihan retribusi {{ skrd_nomor }}: {{ jumlah }}")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.locator(".flash.success").wait_for()
    assert "Tagihan retribusi SKRD/2026/000045: Rp" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "notice-template-saved-desktop.png"), full_page=True)
    page.get_by_label("Isi (aplikasi dan email)").fill("{{ config.SECRET_KEY }}")
    page.get_by_role("button", name="Simpan", exact=True).click()
    assert "Nama yang tersedia" in page.locator("#t-isi-error").inner_text()
    page.screenshot(path=str(ARTIFACTS / "notice-template-error-desktop.png"), full_page=True)
    page.get_by_role("button", name="Kembalikan ke teks bawaan").click()
    page.locator(".flash.success").wait_for()
