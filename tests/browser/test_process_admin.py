"""In headless Chromium, a process admin makes a new permit type from nothing (diagram, form and
fee table edited in the browser), publishes it without a restart, and it is applied for and
worked to the end."""

from __future__ import annotations

import subprocess

from tests.browser.pages import ARTIFACTS, fill_form, login
from tests.browser.test_full_journey import DECISIONS, OFFICERS, _work_next_task, _write
from tests.factories import FOREIGN_BPMN


def _new_permit_type(browser, live_server, requirements: str, retribution: bool):
    """The process admin's desktop page after creating Izin Keramaian from the index form."""
    # Less motion: the editor then scrolls to a finding at once, so no menu opens mid-scroll.
    admin = browser.new_context(viewport={"width": 1440, "height": 1000}, reduced_motion="reduce").new_page()
    login(admin, live_server, "proses@demo.test")
    admin.goto(f"{live_server}/admin/proses/")
    admin.get_by_label("Nama jenis izin").fill("Izin Keramaian")
    admin.get_by_label("Kode").fill("izin-keramaian")
    admin.get_by_label("Awalan nomor registrasi").fill("IKR")
    admin.get_by_label("Waktu layanan (hari kerja)").fill("4")
    admin.get_by_label("Dokumen persyaratan (satu per baris)").fill(requirements)
    if retribution:
        admin.get_by_label("Dikenakan retribusi").check()
    admin.get_by_role("button", name="Buat jenis izin").click()
    admin.locator("h1", has_text="Izin Keramaian").wait_for()
    return admin


def _publish_draft(admin, live_server):
    admin.goto(f"{live_server}/admin/proses/izin-keramaian")
    admin.get_by_role("button", name="Terbitkan draf").click()
    admin.locator(".flash", has_text="Versi 1 diterbitkan").wait_for()


def test_admin_builds_a_permit_type_in_the_browser_and_it_is_worked_to_the_end(
    live_server, browser, tmp_path, processes_restored
):
    admin = _new_permit_type(browser, live_server, "KTP penanggung jawab\nRekomendasi kelurahan", retribution=True)

    # The diagram: rename the front office task through the properties panel, then save.
    admin.get_by_role("link", name="Ubah diagram proses").click()
    admin.locator("body[data-modeler-ready='1']").wait_for()
    admin.locator('g.djs-element[data-element-id="verifikasi_berkas"]').click()
    admin.get_by_label("Nama", exact=True).fill("Verifikasi Berkas Keramaian")
    admin.get_by_label("Tahap layanan (untuk target SLA)").fill("Verifikasi Berkas")
    admin.get_by_text("Tahap ini belum punya target; atur di menu Waktu Layanan").wait_for()
    admin.get_by_role("button", name="Terapkan").click()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-diagram.png"), full_page=True)
    admin.get_by_role("button", name="Simpan diagram").click()
    admin.locator(".flash", has_text="Diagram disimpan").wait_for()
    admin.goto(f"{live_server}/admin/proses/izin-keramaian")

    # The application form: a clearer label, seen in the live preview before saving.
    admin.get_by_role("link", name="Formulir izin-keramaian/permohonan").click()
    schema = admin.get_by_label("JSON Schema")
    schema.fill(schema.input_value().replace("Nama usaha / kegiatan", "Nama kegiatan keramaian"))
    # The preview follows the typing, without a button press.
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
    # The permit's template: one more sentence, placed beside the list of what it may name.
    admin.goto(f"{live_server}/admin/proses/izin-keramaian")
    admin.get_by_role("link", name="Templat dokumen: Surat Izin").click()
    template = admin.get_by_label("Templat (JSON)")
    template.fill(template.input_value().replace('"blocks": [', '"blocks": [{"text": "Kegiatan: {nama_usaha}."}, ', 1))
    admin.get_by_role("button", name="Simpan templat").click()
    admin.locator(".flash", has_text="Templat Surat Izin disimpan").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-template.png"), full_page=True)

    _publish_draft(admin, live_server)

    # Published without a restart: an applicant applies on a phone.
    applicant = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login(applicant, live_server, "pemohon@demo.test")
    applicant.goto(f"{live_server}/pemohon/ajukan/izin-keramaian")
    assert applicant.locator("label", has_text="Nama kegiatan keramaian").count() == 1
    fill_form(
        applicant,
        {
            "nama_usaha": "Festival Kuliner Sekanak",
            "alamat_lokasi": "Lapangan Sekanak, Palembang",
            "kategori": "sedang",
            "jumlah_unit": "3",
        },
        {"berkas_1": [_write(tmp_path / "ktp.pdf")], "berkas_2": [_write(tmp_path / "rekomendasi.pdf")]},
    )
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
    assert done == [
        "Verifikasi Berkas Keramaian",
        "Berita Acara Pemeriksaan",
        "Penetapan Retribusi (SKRD)",
        "Konfirmasi Pembayaran",
        "Persetujuan Kepala Dinas",
        "Penyerahan Izin",
    ]
    applicant.goto(application_url)
    assert "Selesai" in applicant.locator(".badge").first.inner_text()
    applicant.screenshot(path=str(ARTIFACTS / "process-admin-applicant-done.png"), full_page=True)
    # The signed permit carries the sentence the admin added to its template.
    with applicant.expect_download() as download:
        applicant.locator(".docs li a", has_text="Izin Keramaian —").first.click()
    text = subprocess.run(["pdftotext", download.value.path(), "-"], capture_output=True, text=True, check=True).stdout
    assert "Kegiatan: Festival Kuliner Sekanak." in " ".join(text.split())


def test_a_camunda_diagram_is_imported_its_findings_point_at_elements_and_old_versions_are_viewed(
    live_server, browser, processes_restored
):

    admin = _new_permit_type(browser, live_server, "KTP penanggung jawab", retribution=False)
    admin.get_by_role("link", name="Ubah diagram proses").click()
    admin.locator("body[data-modeler-ready='1']").wait_for()

    camunda = FOREIGN_BPMN / "camunda7_izin_keramaian.bpmn"
    admin.get_by_label("Berkas BPMN 2.0 (Camunda Modeler, Signavio, bpmn.io)").set_input_files(str(camunda))
    admin.get_by_role("button", name="Impor diagram").click()
    admin.locator(".flash", has_text="Diagram diimpor ke draf").wait_for()
    admin.locator("body[data-modeler-ready='1']").wait_for()
    # The editor uses the whole width of a desktop screen.
    assert admin.locator("#canvas").bounding_box()["width"] > 1000
    finding = admin.locator(".findings li.clickable", has_text="tugas layanan (service task)")
    finding.click()
    admin.locator('g.djs-element.selected[data-element-id="Activity_notifikasi"]').wait_for()
    assert admin.locator("#prop-id").inner_text() == "Activity_notifikasi"
    admin.screenshot(path=str(ARTIFACTS / "process-admin-import-findings.png"), full_page=True)
    assert not admin.get_by_text("Penyunting diagram dirancang untuk layar komputer").is_visible()

    # Mend every finding in the editor: the Java service task becomes a plain task (bpmn-js replace
    # menu), the JUEL conditions become Python, the user task gets a form, the end events an outcome.
    # The editor's own words are Indonesian on an Indonesian page.
    assert admin.locator('.djs-palette [data-action="create.task"]').get_attribute("aria-label") == "Buat tugas"
    assert admin.locator('.djs-context-pad [data-action="replace"]').get_attribute("title") == "Ganti jenis elemen"
    admin.locator('.djs-context-pad [data-action="replace"]').click()
    assert "Tugas pengguna" in admin.locator(".djs-popup").inner_text()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-replace-menu.png"))
    admin.locator('.djs-popup [data-id="replace-with-task"]').click()
    for flow, condition in (
        ("Flow_lengkap", "hasil_verifikasi == 'lengkap'"),
        ("Flow_tidak_lengkap", "hasil_verifikasi != 'lengkap'"),
    ):
        admin.locator(".findings li.clickable", has_text=flow).click()
        admin.get_by_label("Kondisi alur").fill(condition)
        admin.get_by_role("button", name="Terapkan").click()
    admin.locator(".findings li.clickable", has_text="Activity_isi_permohonan").click()
    admin.get_by_label("Formulir").select_option("izin-keramaian/permohonan.schema.json")
    admin.get_by_role("button", name="Terapkan").click()
    admin.locator(".findings li.clickable", has_text="Activity_verifikasi").click()
    admin.get_by_label("Formulir").select_option("umum/verifikasi-berkas.schema.json")
    admin.get_by_label("Dokumen yang diterbitkan").select_option("tanda_terima")
    admin.get_by_label("Isian bila dianggap disetujui (fiktif positif)").fill("lengkap")
    admin.get_by_role("button", name="Terapkan").click()
    admin.get_by_text("Isian fiktif positif harus objek JSON").wait_for()  # refused before it is applied
    admin.get_by_label("Isian bila dianggap disetujui (fiktif positif)").fill('{"hasil_verifikasi": "lengkap"}')
    admin.get_by_role("button", name="Terapkan").click()
    for end, outcome in (("Event_selesai", "selesai"), ("Event_ditolak", "ditolak")):
        admin.locator(f'g.djs-element[data-element-id="{end}"]').click()
        admin.get_by_label("Hasil akhir permohonan").select_option(outcome)
        admin.get_by_role("button", name="Terapkan").click()
    admin.get_by_role("button", name="Simpan diagram").click()
    admin.locator(".flash", has_text="Diagram disimpan. Draf lulus validasi").wait_for()
    admin.screenshot(path=str(ARTIFACTS / "process-admin-import-mended.png"), full_page=True)
    _publish_draft(admin, live_server)

    # A published version opens read-only in the viewer.
    admin.goto(f"{live_server}/admin/proses/izin-reklame")
    admin.get_by_role("link", name="Versi 1", exact=True).click()
    admin.locator("body[data-viewer-ready='1']").wait_for()
    assert admin.locator("#canvas g.djs-element").count() > 10
    assert admin.get_by_role("button", name="Simpan diagram").count() == 0
    admin.screenshot(path=str(ARTIFACTS / "process-admin-version.png"), full_page=True)

    # On a phone the editor says it is meant for a desktop screen.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
    login(phone, live_server, "proses@demo.test")
    phone.goto(f"{live_server}/admin/proses/izin-keramaian")
    phone.get_by_role("button", name="Buat draf dari versi terbit").click()
    phone.get_by_role("link", name="Ubah diagram proses").click()
    phone.locator("body[data-modeler-ready='1']").wait_for()
    assert phone.get_by_text("Penyunting diagram dirancang untuk layar komputer").is_visible()
    phone.screenshot(path=str(ARTIFACTS / "process-admin-diagram-phone.png"), full_page=True)
