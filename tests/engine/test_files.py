"""Uploads are judged by their structure, not their first bytes: a page of HTML that starts with
%PDF-, a PDF that runs JavaScript and a broken picture are refused with a clear message."""
from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from engine.applications import submit_application
from engine.definitions import permit_type_by_code
from engine.errors import ValidationFailed
from engine.files import Upload, check_upload
from tests.factories import SIP, image_bytes, pdf_bytes, sip_uploads

PDF = ["application/pdf"]


def _with_action(key: str, action: dict) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes("lampiran")))
    entries = {generic.NameObject(k): (generic.NameObject(v) if v.startswith("/") else generic.TextStringObject(v))
               for k, v in action.items()}
    writer.root[generic.NameObject(key)] = writer.add_object(generic.DictionaryObject(entries))
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_real_pdf_and_a_real_picture_are_accepted():
    assert check_upload(Upload("f", "ktp.pdf", pdf_bytes("KTP")), PDF, 5) == ("application/pdf", None)
    assert check_upload(Upload("f", "foto.jpg", image_bytes("JPEG")), ["image/jpeg"], 5) == ("image/jpeg", None)


@pytest.mark.parametrize("content, says", [
    (b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>", "bukan PDF yang utuh"),
    (pdf_bytes("x")[:200], "bukan PDF yang utuh"),
    (_with_action("/OpenAction", {"/S": "/JavaScript", "/JS": "app.alert(1)"}), "konten aktif"),
    (_with_action("/OpenAction", {"/S": "/Launch", "/F": "calc.exe"}), "konten aktif"),
    (_with_action("/Names", {"/EmbeddedFiles": "x"}), "konten aktif"),
])
def test_a_file_that_only_looks_like_a_pdf_or_runs_code_is_refused(content, says):
    mime, problem = check_upload(Upload("f", "berkas.pdf", content), PDF, 5)
    assert mime is None and says in problem


def test_a_broken_picture_is_refused():
    mime, problem = check_upload(Upload("f", "foto.png", image_bytes()[:60]), ["image/png"], 5)
    assert mime is None and "rusak" in problem


def test_the_applicant_is_told_which_upload_was_refused_and_nothing_is_stored(session, services, user):
    uploads = [u if u.field != "berkas_ktp" else Upload("berkas_ktp", "ktp.pdf", b"%PDF-1.4\n<html></html>")
               for u in sip_uploads()]
    with pytest.raises(ValidationFailed) as refused:
        submit_application(session, services, permit_type_by_code(session, "surat-izin-praktik"), user("pemohon"),
                           dict(SIP), uploads)
    assert "bukan PDF yang utuh" in refused.value.errors["berkas_ktp"]
    session.rollback()
