"""Process administration pages through the test client: closed to others, every editor renders,
bad input is explained and nothing half-written."""

from __future__ import annotations

import io
import zipfile

from engine.process_admin import catalog, drafts
from tests.factories import FOREIGN_BPMN


def _create(client):
    return client.post(
        "/admin/proses/",
        data={
            "name": "Izin Keramaian",
            "code": "izin-keramaian",
            "prefix": "IKR",
            "sla_working_days": "4",
            "requirements": "KTP penanggung jawab",
            "has_retribution": "on",
        },
    )


def test_only_process_admins_reach_the_area(client, login):
    login("fo")
    assert client.get("/admin/proses/").status_code == 403
    client.post("/keluar")
    login("proses")
    assert client.get("/admin/proses/").status_code == 200


def test_each_editor_of_a_new_permit_type_renders(client, login, session, processes_restored):
    login("proses")
    response = _create(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/proses/izin-keramaian")
    page = client.get("/admin/proses/izin-keramaian").get_data(as_text=True)
    assert "Draf lulus validasi" in page and "Terbitkan draf" in page
    diagram = client.get("/admin/proses/izin-keramaian/draf/diagram").get_data(as_text=True)
    assert "bpmn-modeler.js" in diagram and "isi_permohonan" in diagram
    form = client.get(
        "/admin/proses/izin-keramaian/draf/formulir",
        query_string={"berkas": "forms/izin-keramaian/permohonan.schema.json"},
    ).get_data(as_text=True)
    assert 'type="file" id="f-berkas_1"' in form  # the preview renders the upload field
    table = client.get("/admin/proses/izin-keramaian/draf/tarif/tarif_izin_keramaian").get_data(as_text=True)
    assert "Kategori" in table and "50000" in table
    tried = client.post(
        "/admin/proses/izin-keramaian/draf/tarif/tarif_izin_keramaian",
        data={
            "baris": "3",
            "sel-0-0": '"kecil"',
            "sel-0-1": "50000",
            "sel-1-0": '"sedang"',
            "sel-1-1": "100000",
            "sel-2-0": '"besar"',
            "sel-2-1": "200000",
            "aksi": "coba",
            "coba-kategori": "sedang",
        },
    ).get_data(as_text=True)
    assert "tarif = 100000" in tried
    run = client.post("/admin/proses/izin-keramaian/draf/uji", data={"contoh": "{}"}).get_data(as_text=True)
    assert "Berakhir: <strong>selesai</strong>" in run
    from sqlalchemy import select

    from engine.core.models import AuditEvent

    tried_run = session.scalar(select(AuditEvent).where(AuditEvent.action == "dry_run").order_by(AuditEvent.id.desc()))
    assert tried_run.summary["permit_type"] == "izin-keramaian" and tried_run.summary["hasil"] == "selesai"


def test_a_bad_schema_is_explained_and_not_saved(client, login, session, processes_restored):
    login("proses")
    _create(client)
    name = "forms/izin-keramaian/permohonan.schema.json"
    response = client.post(
        "/admin/proses/izin-keramaian/draf/formulir",
        data={"berkas": name, "schema": '{"type": "object", "properties": {', "uischema": "{}", "aksi": "simpan"},
    )
    assert response.status_code == 422 and "JSON formulir tidak valid" in response.get_data(as_text=True)
    permit_type = catalog.permit_type_for_admin(session, "izin-keramaian")
    assert drafts.draft_of(session, permit_type).files[name].startswith("{")
    assert '"properties": {\n' in drafts.draft_of(session, permit_type).files[name]


def test_publish_then_export_gives_an_archive(client, login, processes_restored):
    login("proses")
    _create(client)
    response = client.post("/admin/proses/izin-keramaian/draf/terbitkan", follow_redirects=True)
    assert "Versi 1 diterbitkan" in response.get_data(as_text=True)
    archive = client.get("/admin/proses/izin-keramaian/versi/1/ekspor")
    assert archive.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        assert "permit.json" in z.namelist() and "bundle/proses.bpmn" in z.namelist()
    version = client.get("/admin/proses/izin-keramaian/versi/1").get_data(as_text=True)
    assert "bpmn-viewer.js" in version and "Sidik isi (SHA-256)" in version and "Tabel tarif" in version
    assert "bpmn-modeler.js" not in version  # a published version is only viewed
    assert client.get("/admin/proses/izin-keramaian/versi/9").status_code == 404
    client.post("/admin/proses/izin-keramaian/draf")
    page = client.get("/admin/proses/izin-keramaian").get_data(as_text=True)
    assert 'class="compare-form"' in page and '<option value="draf">Draf</option>' in page
    same = client.get("/admin/proses/izin-keramaian/banding", query_string={"a": "1", "b": "draf"})
    assert "Tidak ada perbedaan" in same.get_data(as_text=True)
    assert client.get("/admin/proses/izin-keramaian/banding", query_string={"a": "x"}).status_code == 404
    refused = client.post(
        "/admin/proses/impor", data={"arsip": (io.BytesIO(b"bukan zip"), "x.zip")}, follow_redirects=True
    )
    assert "Arsip jenis izin tidak dapat dibaca" in refused.get_data(as_text=True)


def test_a_diagram_from_another_modeler_is_imported_and_a_broken_one_refused(
    client, login, session, processes_restored
):

    login("proses")
    _create(client)
    url = "/admin/proses/izin-keramaian/draf/diagram/impor"
    broken = client.post(
        url,
        data={"berkas": (io.BytesIO(b"<bpmn:definitions><bpmn:process"), "rusak.bpmn")},
        content_type="multipart/form-data",
    )
    page = broken.get_data(as_text=True)
    assert broken.status_code == 422 and "Diagram tidak diimpor" in page and "XML tidak valid" in page
    assert "isi_permohonan" in page  # the editor still holds the draft's own diagram
    tampered = client.post("/admin/proses/izin-keramaian/draf/diagram", data={"bpmn": "<bukan-bpmn/>"})
    assert tampered.status_code == 422 and "Diagram tidak disimpan" in tampered.get_data(as_text=True)
    permit_type = catalog.permit_type_for_admin(session, "izin-keramaian")
    assert "isi_permohonan" in drafts.draft_of(session, permit_type).files["proses.bpmn"]
    camunda = FOREIGN_BPMN / "camunda7_izin_keramaian.bpmn"
    imported = client.post(
        url, data={"berkas": (io.BytesIO(camunda.read_bytes()), "izin.bpmn")}, content_type="multipart/form-data"
    )
    assert imported.status_code == 302
    page = client.get("/admin/proses/izin-keramaian/draf/diagram").get_data(as_text=True)
    assert "Diagram diimpor ke draf" in page and "Catatan impor" in page and "candidateGroups" in page
    assert 'data-element="Activity_notifikasi"' in page and "tugas layanan (service task)" in page


def test_a_tampered_row_count_is_refused_and_the_fee_table_kept(client, login, session, processes_restored):
    login("proses")
    _create(client)
    permit_type = catalog.permit_type_for_admin(session, "izin-keramaian")
    before = drafts.draft_of(session, permit_type).files["tarif.dmn"]
    for count in ("abc", "", "-1", "100000"):
        response = client.post(
            "/admin/proses/izin-keramaian/draf/tarif/tarif_izin_keramaian", data={"baris": count, "aksi": "simpan"}
        )
        assert response.status_code == 400 and "Muat ulang halaman" in response.get_data(as_text=True)
    session.expire_all()
    assert drafts.draft_of(session, permit_type).files["tarif.dmn"] == before


def test_a_document_template_is_previewed_as_pdf_checked_before_saving_and_audited(
    client, login, session, processes_restored
):
    from sqlalchemy import select

    from engine.core.models import AuditEvent

    login("proses")
    _create(client)
    url = "/admin/proses/izin-keramaian/draf/templat/izin"
    assert url in client.get("/admin/proses/izin-keramaian").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Templat dokumen: Surat Izin" in page and "{nama_usaha}" in page and "{reg_number}" in page
    text = '{"title": "Izin Keramaian {nama_usaha}", "signature": "kepala_dinas", "blocks": [{"text": "Peserta {jumlah_peserta}"}]}'
    preview = client.post(url, data={"templat": text, "aksi": "pratinjau"})
    assert preview.status_code == 200 and preview.mimetype == "application/pdf" and preview.data.startswith(b"%PDF")
    broken = client.post(url, data={"templat": '{"title": "Izin", "signature": "camat"}', "aksi": "simpan"})
    assert broken.status_code == 422 and "harus salah satu dari segel, petugas, kepala_dinas" in broken.get_data(
        as_text=True
    )
    permit_type = catalog.permit_type_for_admin(session, "izin-keramaian")
    assert "camat" not in drafts.draft_of(session, permit_type).files["templates/izin.json"]
    saved = client.post(url, data={"templat": text, "aksi": "simpan"}, follow_redirects=True).get_data(as_text=True)
    assert "Templat Surat Izin disimpan" in saved and "{jumlah_peserta}" in saved  # named as not filled by a form
    session.expire_all()
    assert drafts.draft_of(session, permit_type).files["templates/izin.json"] == text
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "draft_changed").order_by(AuditEvent.id.desc())
    ).first()
    assert "templates/izin.json" in event.summary["diff"] and event.actor.email == "proses@demo.test"


def test_a_form_added_on_the_permit_type_page_opens_in_the_editor_and_is_offered_to_tasks(
    client, login, processes_restored
):
    login("proses")
    _create(client)
    page = client.get("/admin/proses/izin-keramaian").get_data(as_text=True)
    assert "Tambah formulir atau tabel tarif" in page and 'value="jadwal-survei"' in page
    added = client.post(
        "/admin/proses/izin-keramaian/draf/formulir-baru",
        data={"nama": "rekomendasi-camat", "judul": "Rekomendasi Camat"},
        follow_redirects=True,
    )
    assert "Formulir izin-keramaian/rekomendasi-camat ditambahkan" in added.get_data(as_text=True)
    assert "Rekomendasi Camat" in added.get_data(as_text=True)  # the editor's preview
    diagram = client.get("/admin/proses/izin-keramaian/draf/diagram").get_data(as_text=True)
    assert "izin-keramaian/rekomendasi-camat.schema.json" in diagram
    refused = client.post(
        "/admin/proses/izin-keramaian/draf/formulir-baru",
        data={"nama": "Rekomendasi Camat", "judul": "x"},
        follow_redirects=True,
    )
    assert "Formulir belum ditambahkan" in refused.get_data(as_text=True)
    page = client.get("/admin/proses/izin-keramaian").get_data(as_text=True)
    assert "dipakai verifikasi_berkas" in page and "belum dipakai tugas" in page
    kept = client.post(
        "/admin/proses/izin-keramaian/draf/formulir/hapus",
        data={"berkas": "forms/umum/verifikasi-berkas.schema.json"},
        follow_redirects=True,
    )
    assert "Formulir masih dipakai" in kept.get_data(as_text=True)
    removed = client.post(
        "/admin/proses/izin-keramaian/draf/formulir/hapus",
        data={"berkas": "forms/izin-keramaian/rekomendasi-camat.schema.json"},
        follow_redirects=True,
    )
    assert "Formulir izin-keramaian/rekomendasi-camat dihapus dari draf" in removed.get_data(as_text=True)
    table = client.post("/admin/proses/izin-keramaian/draf/tarif-baru", follow_redirects=True)
    assert "Tabel tarif sudah ada" in table.get_data(as_text=True)  # this type was made with retribution
