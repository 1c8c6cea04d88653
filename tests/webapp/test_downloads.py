"""Documents sent to staff: opened in the page as what a browser shows without running it, and the
draft a signer reads before the passphrase."""

from __future__ import annotations

from engine.core.clock import utcnow
from engine.documents.documents import documents_of
from engine.documents.models import Document
from tests.factories import open_item, submit, waiting_at


def test_a_pdf_or_picture_opens_inline_and_anything_else_is_only_downloaded(session, services, user, login):
    application = submit(session, services, user)
    ktp = next(d for d in documents_of(session, application) if d.original_name == "ktp.pdf")
    stored = services.files.put(session, b"<html><script>alert(1)</script></html>", "text/html")
    page = Document(
        application_id=application.id,
        kind="lampiran",
        title="Halaman",
        sha256=stored.sha256,
        original_name="halaman.html",
        created_at=utcnow(),
        status="berlaku",
    )
    session.add(page)
    session.commit()
    fo = login("fo")

    shown = fo.get(f"/petugas/dokumen/{ktp.id}?lihat=1")
    assert shown.status_code == 200 and shown.mimetype == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline")
    assert fo.get(f"/petugas/dokumen/{ktp.id}").headers["Content-Disposition"].startswith("attachment")
    hostile = fo.get(f"/petugas/dokumen/{page.id}?lihat=1")
    assert hostile.headers["Content-Disposition"].startswith("attachment")
    assert hostile.headers["X-Content-Type-Options"] == "nosniff"


def test_the_head_gets_the_permit_draft_and_others_do_not(session, services, user, login, client, app):
    _, item = waiting_at(session, services, user, "persetujuan_kepala")
    url = f"/petugas/tugas/{item.id}/draf/izin.pdf"
    head = login("kadis")
    draft = head.get(url)
    assert draft.status_code == 200 and draft.mimetype == "application/pdf"
    assert draft.data.startswith(b"%PDF") and b"/ByteRange" not in draft.data  # nothing signed
    page = head.get(f"/petugas/tugas/{item.id}").get_data(as_text=True)
    assert f'data-draft="{url}"' in page
    assert page.index('id="draft-izin"') < page.index('id="f-passphrase"')
    assert head.get(f"/petugas/tugas/{item.id}/draf/skrd.pdf").status_code == 404
    assert head.get(f"/petugas/tugas/{item.id}/draf/tidak-ada.pdf").status_code == 404

    other = app.test_client()
    login("fo", other)
    assert other.get(url).status_code == 403


def test_a_task_that_signs_nothing_shows_no_draft(session, services, user, login):
    application = submit(session, services, user)
    item = open_item(session, application)
    page = login("fo").get(f"/petugas/tugas/{item.id}").get_data(as_text=True)
    assert "data-draft" not in page and "yang akan Anda tandatangani" not in page
