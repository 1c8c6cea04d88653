"""A refused form holds its good files for the next post of the same form, and only those."""

from __future__ import annotations

from datetime import timedelta

from engine.casework import held_uploads
from engine.core.clock import utcnow
from engine.core.files import Upload
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form
from tests.factories import pdf_bytes, reklame_uploads

KEY = "ajukan:izin-reklame"


def _form(session):
    return submission_form(
        definitions.published_version(session, definitions.permit_type_by_code(session, "izin-reklame"))
    )


def test_good_files_of_fields_without_errors_are_held_and_taken_by_the_next_post(session, user):
    applicant, form = user("pemohon"), _form(session)
    uploads = reklame_uploads()
    bad = Upload("berkas_persetujuan_lahan", "lahan.exe", b"MZ\x90\x00 not a pdf")
    given = [u for u in uploads if u.field != "berkas_persetujuan_lahan"] + [bad]
    assert held_uploads.hold(session, applicant, KEY, form, given, {"berkas_desain": "Terlalu kecil."}) == 2
    kept = held_uploads.held(session, applicant, KEY)
    assert sorted(kept) == ["berkas_foto_lokasi", "berkas_ktp"]  # the refused field and the bad file are not

    new_ktp = Upload("berkas_ktp", "ktp-baru.pdf", pdf_bytes("baru"))
    taken = held_uploads.with_held(session, applicant, KEY, form, [new_ktp], dropped={"berkas_foto_lokasi"})
    assert [(u.field, u.filename) for u in taken] == [("berkas_ktp", "ktp-baru.pdf")]  # replaced, and dropped
    taken = held_uploads.with_held(session, applicant, KEY, form, [], dropped=set())
    assert sorted(u.field for u in taken) == ["berkas_foto_lokasi", "berkas_ktp"]
    assert held_uploads.held(session, user("teknis"), KEY) == {}  # nobody else's

    held_uploads.release(session, applicant, KEY)
    assert held_uploads.held(session, applicant, KEY) == {}
    session.rollback()


def test_files_nobody_came_back_for_are_forgotten_after_two_days(session, user):
    applicant, form = user("pemohon"), _form(session)
    held_uploads.hold(session, applicant, KEY, form, reklame_uploads(), {}, now=utcnow() - timedelta(days=3))
    held_uploads.hold(session, applicant, "tugas:1", form, reklame_uploads()[:1], {})
    assert held_uploads.sweep(session) == 4
    assert list(held_uploads.held(session, applicant, "tugas:1")) == ["berkas_ktp"]
    session.rollback()
