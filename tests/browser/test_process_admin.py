"""In headless Chromium, a process admin makes a new permit type from nothing (diagram, form and
fee table edited in the browser), publishes it without a restart, and it is applied for and
worked to the end."""
from __future__ import annotations

from tests.browser.pages import ARTIFACTS, fill_form, login
from tests.browser.test_full_journey import DECISIONS, OFFICERS, _work_next_task, _write


def test_admin_builds_a_permit_type_in_the_browser_and_it_is_worked_to_the_end(live_server, browser, tmp_path,
                                                                               processes_restored):
    admin = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    login(admin, live_server, "proses@demo.test")
    admin.goto(f"{live_server}/admin/proses/")
    admin.get_by_label("Nama jenis izin").fill("Izin Keramaian")
    admin.get_by_label("Kode").fill("izin-keramaian")
    admin.get_by_label("Awalan nomor registrasi").fill("IKR")
    admin.get_by_label("Waktu layanan (hari kerja)").fill("4")
    admin.get_by_label("Dokumen persyaratan (satu per baris)").fill("KTP penanggung jawab\nRekomendasi kelurahan")
    admin.get_by_label("Dikenakan retribusi").check()
    admin.get_by_role("button", name="Buat jenis izin").click()
    admin.locator("h1", has_text="Izin Keramaian").wait_for()

    # The diagram: rename the front office task through the properties panel, then save.
    admin.get_by_role("link", name="Ubah diagram proses").click()
    admin.locator("body[data-modeler-ready='1']").wait_for()
    admin.locator('g.djs-element[data-element-id="verifikasi_berkas"]').click()
    admin.get_by_label("Nama", exact=True).fill("Verifikasi Berkas Keramaian")
    admin.get_by_label("Tahap layanan (untuk target SLA)").fill("Verifikasi Berkas")
    admin.get_by_role("button", name="Terapkan").click()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-diagram.png"), full_page=True)
    admin.get_by_role("button", name="Simpan diagram").click()
    admin.locator(".flash", has_text="Diagram disimpan").wait_for()
    admin.goto(f"{live_server}/admin/proses/izin-keramaian")

    # The application form: a clearer label, seen in the preview before saving.
    admin.get_by_role("link", name="Formulir izin-keramaian/permohonan").click()
    schema = admin.get_by_label("JSON Schema")
    schema.fill(schema.input_value().replace("Nama usaha / kegiatan", "Nama kegiatan keramaian"))
    admin.get_by_role("button", name="Pratinjau").click()
    admin.locator(".preview label", has_text="Nama kegiatan keramaian").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-form.png"), full_page=True)
    admin.get_by_role("button", name="Simpan formulir").click()
    admin.locator(".flash", has_text="Formulir disimpan").wait_for()
    admin.goto(f"{live_server}/admin/proses/izin-keramaian")

    # The fee table: a new tariff for the middle category, tried before saving.
    admin.get_by_role("link", name="Tabel tarif").click()
    admin.get_by_label("Baris 2 kolom 2").fill("125000")
    admin.get_by_role("button", name="Simpan tabel").click()
    admin.locator(".flash", has_text="Tabel tarif disimpan").wait_for()
    admin.get_by_label("Kategori").fill("sedang")
    admin.get_by_role("button", name="Coba").click()
    assert "tarif = 125000" in admin.locator("[role=status]").inner_text()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-table.png"), full_page=True)
    admin.goto(f"{live_server}/admin/proses/izin-keramaian")
    admin.get_by_role("button", name="Terbitkan draf").click()
    admin.locator(".flash", has_text="Versi 1 diterbitkan").wait_for()

    # Published without a restart: an applicant applies on a phone.
    applicant = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login(applicant, live_server, "pemohon@demo.test")
    applicant.goto(f"{live_server}/pemohon/ajukan/izin-keramaian")
    assert applicant.locator("label", has_text="Nama kegiatan keramaian").count() == 1
    fill_form(applicant, {"nama_usaha": "Festival Kuliner Sekanak", "alamat_lokasi": "Lapangan Sekanak, Palembang",
                          "kategori": "sedang", "jumlah_unit": "3"},
              {"berkas_1": [_write(tmp_path / "ktp.pdf")], "berkas_2": [_write(tmp_path / "rekomendasi.pdf")]})
    applicant.get_by_role("button", name="Kirim permohonan").click()
    notice = applicant.locator(".flash.success")
    notice.wait_for()
    reg_number = notice.inner_text().split()[-1].rstrip(".")
    assert reg_number.startswith("IKR-")
    application_url = applicant.url

    desk = {}
    for name in OFFICERS:
        desk[name] = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        login(desk[name], live_server, f"{name}@demo.test")
    photos = [_write(tmp_path / "survei1.jpg")]
    decisions = {**DECISIONS, "jumlah_dibayar": "375000"}  # 3 units at the edited Rp 125.000
    done = []
    while _work_next_task(desk, live_server, reg_number, photos, done, decisions):
        assert len(done) < 10, done
    assert done == ["Verifikasi Berkas Keramaian", "Berita Acara Pemeriksaan", "Penetapan Retribusi (SKRD)",
                    "Konfirmasi Pembayaran", "Persetujuan Kepala Dinas", "Penyerahan Izin"]
    applicant.goto(application_url)
    assert "Selesai" in applicant.locator(".badge").first.inner_text()
    applicant.screenshot(path=str(ARTIFACTS / "process-admin-applicant-done.png"), full_page=True)
