"""Uploads are judged by their structure, not their first bytes: a page of HTML that starts with
%PDF-, a PDF that runs JavaScript and a broken picture are refused with a clear message."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from engine.casework.applications import submit_application
from engine.core.errors import ValidationFailed
from engine.core.files import Upload, check_upload
from engine.documents.documents import documents_of
from engine.workflow.definitions import permit_type_by_code
from tests.factories import SIP, image_bytes, pdf_bytes, sip_uploads

PDF = ["application/pdf"]


def _with_action(key: str, action: dict) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes("lampiran")))
    entries = {
        generic.NameObject(k): (generic.NameObject(v) if v.startswith("/") else generic.TextStringObject(v))
        for k, v in action.items()
    }
    writer.root[generic.NameObject(key)] = writer.add_object(generic.DictionaryObject(entries))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_real_pdf_and_a_real_picture_are_accepted():
    assert check_upload(Upload("f", "ktp.pdf", pdf_bytes("KTP")), PDF, 5) == ("application/pdf", None)
    assert check_upload(Upload("f", "foto.jpg", image_bytes("JPEG")), ["image/jpeg"], 5) == ("image/jpeg", None)


@pytest.mark.parametrize(
    "content, says",
    [
        (b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>", "bukan PDF yang utuh"),
        (pdf_bytes("x")[:200], "bukan PDF yang utuh"),
        (_with_action("/OpenAction", {"/S": "/JavaScript", "/JS": "app.alert(1)"}), "konten aktif"),
        (_with_action("/OpenAction", {"/S": "/Launch", "/F": "calc.exe"}), "konten aktif"),
        (_with_action("/Names", {"/EmbeddedFiles": "x"}), "konten aktif"),
    ],
)
def test_a_file_that_only_looks_like_a_pdf_or_runs_code_is_refused(content, says):
    mime, problem = check_upload(Upload("f", "berkas.pdf", content), PDF, 5)
    assert mime is None and says in problem


def test_a_broken_picture_is_refused():
    mime, problem = check_upload(Upload("f", "foto.png", image_bytes()[:60]), ["image/png"], 5)
    assert mime is None and "rusak" in problem


def test_the_applicant_is_told_which_upload_was_refused_and_nothing_is_stored(session, services, user):
    uploads = [
        u if u.field != "berkas_ktp" else Upload("berkas_ktp", "ktp.pdf", b"%PDF-1.4\n<html></html>")
        for u in sip_uploads()
    ]
    with pytest.raises(ValidationFailed) as refused:
        submit_application(
            session, services, permit_type_by_code(session, "surat-izin-praktik"), user("pemohon"), dict(SIP), uploads
        )
    assert "bukan PDF yang utuh" in refused.value.errors["berkas_ktp"]
    session.rollback()


def _photo_with_location_and_a_payload() -> bytes:
    """A phone photo: EXIF with a GPS position and 'rotate 90°', and an HTML page appended behind
    the picture data (a polyglot that some viewers would render)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was held sideways
    exif[0x8825] = {1: "S", 2: (2.0, 59.0, 30.0), 3: "E", 4: (104.0, 45.0, 10.0)}  # GPS near Palembang
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue() + b"<html><script>alert(1)</script></html>"


def test_an_uploaded_picture_is_archived_re_encoded_without_its_location_or_payload(session, services, user):
    from PIL import Image

    photo = _photo_with_location_and_a_payload()
    uploads = [
        u if u.field != "berkas_pas_foto" else Upload("berkas_pas_foto", "foto.jpg", photo) for u in sip_uploads()
    ]
    application = submit_application(
        session, services, permit_type_by_code(session, "surat-izin-praktik"), user("pemohon"), dict(SIP), uploads
    )
    session.commit()
    [doc] = [d for d in documents_of(session, application) if d.field == "berkas_pas_foto"]
    archived = services.files.read(doc.sha256)
    assert archived != photo and b"<script>" not in archived
    with Image.open(io.BytesIO(archived)) as image:
        assert image.format == "JPEG" and image.size == (20, 40)  # turned upright
        assert not image.getexif()  # no location, no camera data
    ktp = next(d for d in documents_of(session, application) if d.field == "berkas_ktp")
    assert services.files.read(ktp.sha256) == uploads[0].content  # a PDF is kept byte for byte


def test_a_png_keeps_its_transparency_when_re_encoded():
    from PIL import Image

    from engine.core.files import reencoded

    buffer = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(buffer, format="PNG")
    with Image.open(io.BytesIO(reencoded(buffer.getvalue() + b"PK\x03\x04zip", "image/png"))) as image:
        assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 0


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path):
    """The archive behind the same interface: a local folder, and a real S3-compatible server."""
    if request.param == "folder":
        from engine.core.files import FileStore

        return FileStore(tmp_path / "arsip")
    import uuid

    from engine.core.object_store import ObjectStore

    s3 = request.getfixturevalue("s3_server")
    return ObjectStore.connect(s3["endpoint"], s3["bucket"], s3["access"], s3["secret"], prefix=uuid.uuid4().hex)


def _staged(store) -> list[str]:
    if hasattr(store, "root"):
        return sorted(p.name for p in (store.root / ".staging").glob("*"))
    return sorted(o["Key"].rsplit("/", 1)[-1] for o in store._staged_keys())


def test_a_file_joins_the_archive_when_its_row_commits_and_never_when_the_step_rolls_back(session, store):
    from engine.core.files import ArchiveMissing

    kept = store.put(session, pdf_bytes("disimpan"), "application/pdf").sha256
    assert store.read(kept).startswith(b"%PDF")  # readable within its own transaction
    session.commit()
    assert store.exists(kept) and not _staged(store)

    dropped = store.put(session, pdf_bytes("dibatalkan"), "application/pdf").sha256
    assert _staged(store)
    session.rollback()
    assert not store.exists(dropped) and not _staged(store)
    with pytest.raises(ArchiveMissing):
        store.read(dropped)


def test_a_savepoint_rolled_back_takes_its_files_with_it_and_leaves_the_outer_ones(session, store):
    outer = store.put(session, pdf_bytes("luar"), "application/pdf").sha256
    with pytest.raises(ValueError):
        with session.begin_nested():
            inner = store.put(session, pdf_bytes("dalam"), "application/pdf").sha256
            raise ValueError
    session.commit()
    assert store.exists(outer)
    assert not store.exists(inner) and not _staged(store)


def test_a_changed_archived_file_is_reported_as_damaged(session, store):
    from engine.core.files import ArchiveDamaged, ArchiveMissing

    sha = store.put(session, pdf_bytes("asli"), "application/pdf").sha256
    session.commit()
    if hasattr(store, "root"):
        path = store.path_for(sha)
        path.chmod(0o644)
        path.write_bytes(b"diubah")
    else:
        store.client.put_object(Bucket=store.bucket, Key=store.key_for(sha), Body=b"diubah")
    with pytest.raises(ArchiveDamaged) as caught:
        store.read(sha)
    assert not isinstance(caught.value, ArchiveMissing)


def test_staged_files_a_stopped_process_left_are_moved_in_or_removed_by_the_sweep(session, store):
    """A process stopped between the commit and the move, or before the commit: the sweep moves in
    the file whose row was committed and removes the other once it is an hour old."""
    from datetime import timedelta

    from engine.core.clock import utcnow
    from engine.core.models import StoredFile

    shas = {}
    for name in ("tercatat", "yatim", "muda"):
        shas[name] = store.put(session, pdf_bytes(name), "application/pdf").sha256
    # The process dies here: its staged files stay, and only one row gets committed later.
    from engine.core.files import _PENDING

    session.info.pop(_PENDING)
    session.rollback()
    session.add(StoredFile(sha256=shas["tercatat"], size=1, mime_type="application/pdf", created_at=utcnow()))
    session.commit()
    assert store.read(shas["tercatat"])  # found where it waits, even before the sweep
    assert store.sweep_staging(session) == (1, 0)  # the young orphans are left for now
    assert store.sweep_staging(session, utcnow() + timedelta(hours=2)) == (0, 2)
    assert store.exists(shas["tercatat"]) and not store.exists(shas["yatim"]) and not _staged(store)
