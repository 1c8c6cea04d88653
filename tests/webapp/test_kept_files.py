"""A form that comes back with errors keeps every good file: the applicant and the officer do not pick
them again (a missing text, a mistyped signing passphrase)."""

import io

from sqlalchemy import select

from engine.documents.models import Document
from engine.workflow.models import Application, WorkItem
from tests.factories import HAPPY, REKLAME, image_bytes, submit, work
from tests.webapp.test_pages import REKLAME_FILES, _files
from webapp.seeding import DEMO_PASSPHRASE


def test_a_form_error_keeps_the_uploads_and_the_next_post_uses_them(app, login, session):
    client = app.test_client()
    login("pemohon", client)
    missing = {k: v for k, v in REKLAME.items() if k != "naskah_reklame"}
    refused = client.post(
        "/pemohon/ajukan/izin-reklame", data={**missing, **_files(REKLAME_FILES)}, content_type="multipart/form-data"
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and page.count("Terlampir:") == 4 and "izin-lahan.pdf" in page
    assert 'name="berkas_ktp" accept' in page and "required" not in page.split('name="berkas_ktp"')[1][:120]

    sent = client.post("/pemohon/ajukan/izin-reklame", data=dict(REKLAME), content_type="multipart/form-data")
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    application = session.scalar(select(Application).order_by(Application.id.desc()))
    names = sorted(
        session.scalars(
            select(Document.original_name).where(Document.application_id == application.id, Document.kind == "lampiran")
        )
    )
    assert names == ["desain.png", "izin-lahan.pdf", "ktp.pdf", "lokasi.jpg"]
    again = client.get("/pemohon/ajukan/izin-reklame").get_data(as_text=True)
    assert "Terlampir:" not in again  # taken by the application, not offered to the next one


def test_a_dropped_file_is_asked_for_again(app, login, session):
    client = app.test_client()
    login("pemohon", client)
    missing = {k: v for k, v in REKLAME.items() if k != "naskah_reklame"}
    client.post(
        "/pemohon/ajukan/izin-reklame", data={**missing, **_files(REKLAME_FILES)}, content_type="multipart/form-data"
    )
    refused = client.post(
        "/pemohon/ajukan/izin-reklame", data={**REKLAME, "_lepas": "berkas_desain"}, content_type="multipart/form-data"
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and page.count("Terlampir:") == 3


def test_a_mistyped_passphrase_keeps_the_field_photos(app, login, session, services, user):
    application = submit(session, services, user)
    work(session, services, user, application)  # verification
    work(session, services, user, application)  # survey scheduled
    item = session.scalar(select(WorkItem).where(WorkItem.application_id == application.id, WorkItem.state == "open"))
    assert item.task_spec == "berita_acara" and item.signs
    client = login("teknis", app.test_client())
    assert client.post(f"/petugas/tugas/{item.id}/ambil").status_code == 302
    data, _ = HAPPY["berita_acara"]
    photos = [("foto_lapangan", "survei1.jpg", image_bytes("JPEG")), ("foto_lapangan", "survei2.png", image_bytes())]
    files = {"foto_lapangan": [(io.BytesIO(content), name) for _, name, content in photos]}
    wrong = client.post(
        f"/petugas/tugas/{item.id}",
        data={**data, **files, "passphrase": "salah-ketik"},
        content_type="multipart/form-data",
    )
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Terlampir: survei1.jpg, survei2.png" in page
    right = client.post(
        f"/petugas/tugas/{item.id}", data={**data, "passphrase": DEMO_PASSPHRASE}, content_type="multipart/form-data"
    )
    assert right.status_code == 302, right.get_data(as_text=True)[:2000]
    stored = sorted(
        session.scalars(
            select(Document.original_name).where(
                Document.application_id == application.id, Document.field == "foto_lapangan"
            )
        )
    )
    assert stored == ["survei1.jpg", "survei2.png"]
