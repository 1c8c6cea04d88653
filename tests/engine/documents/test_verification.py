"""Checking a document: by its code (the archived original) or by an uploaded file (the exact
original, an edited copy of it, or a file the archive never held), each finding in Indonesian."""

from __future__ import annotations

import pytest

from engine.core.errors import NotFound
from engine.documents import verification
from tests.factories import pdf_bytes


def _said(check):
    return {text: ok for ok, text in check.findings}


def test_the_code_shows_the_archived_original_intact_and_valid(session, services, receipt):
    check = verification.check_code(session, services, receipt.verify_code)
    assert check.document.id == receipt.id and check.from_archive and check.status == "berlaku"
    assert check.verification.intact and check.verification.valid and check.verification.trusted
    said = _said(check)
    assert said["Tanda tangan elektronik utuh."] is True
    assert all(said.values()), said


def test_an_unknown_code_is_not_found(session, services):
    with pytest.raises(NotFound):
        verification.check_code(session, services, "bukan-kode")


def test_the_exact_original_uploaded_matches_the_archive(session, services, receipt):
    check = verification.check_upload(session, services, services.files.read(receipt.sha256))
    assert check.matches_archive and check.document.id == receipt.id
    assert _said(check)["Berkas yang diunggah sama persis dengan dokumen asli di arsip dinas."] is True


def test_an_edited_copy_is_traced_to_its_original_and_told_apart(session, services, receipt):
    edited = services.files.read(receipt.sha256) + b"1 0 obj\n(diubah)\nendobj\ntrailer\n<<>>\n%%EOF\n"
    check = verification.check_upload(session, services, edited)
    assert check.document.id == receipt.id and check.changed_copy_of_archive and not check.matches_archive
    assert (
        _said(check)[
            "Bagian yang ditandatangani sama dengan arsip, tetapi berkas ini memuat tambahan perubahan setelahnya."
        ]
        is False
    )


def test_a_file_the_archive_never_held_and_unsigned_is_told_plainly(session, services):
    check = verification.check_upload(session, services, pdf_bytes("surat biasa"))
    assert check.document is None and check.matches_archive is False
    said = _said(check)
    assert said["Berkas ini tidak memuat tanda tangan elektronik."] is False
    assert said["Berkas TIDAK sama dengan dokumen mana pun di arsip dinas."] is False


def test_a_revoked_permit_reads_as_such(session, services, receipt):
    receipt.status = "dicabut"
    session.commit()
    check = verification.check_code(session, services, receipt.verify_code)
    assert check.status == "dicabut" and any(not ok and "Status dokumen" in text for ok, text in check.findings)
