"""Renewing a permit: the holder's new application starts filled from the old one, with its files
attached, and is linked to it; nobody else can start it, nor for a permit long ended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.casework import held_uploads, renewals
from engine.casework.applications import submit_application
from engine.core.errors import Conflict, PermissionDenied
from engine.documents.models import Document
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form
from tests.factories import REKLAME, submit
from tests.factories import issued as _issued


def test_the_renewal_form_is_filled_from_the_old_application_and_its_files_are_attached(session, services, user):
    old = _issued(session, services, user)
    applicant = user("pemohon")
    renewal = renewals.start(session, services, applicant, old.id)
    session.commit()
    assert renewal.permit_type.code == "izin-reklame" and renewal.permit.kind == "izin"
    assert renewal.values["naskah_reklame"] == REKLAME["naskah_reklame"]
    assert renewal.values["alamat_lokasi"] == REKLAME["alamat_lokasi"]
    kept = held_uploads.held(session, applicant, "ajukan:izin-reklame")
    assert sorted(kept) == ["berkas_desain", "berkas_foto_lokasi", "berkas_ktp", "berkas_persetujuan_lahan"]

    # Sent as it is: the files come from the old application, nothing is picked again.
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    form = submission_form(definitions.published_version(session, permit_type))
    uploads = held_uploads.with_held(session, applicant, "ajukan:izin-reklame", form, [], set())
    new = submit_application(session, services, permit_type, applicant, dict(renewal.values), uploads)
    renewals.link(session, new, old.id, applicant, new.submitted_at)
    session.commit()
    assert new.renews_id == old.id
    attached = session.scalars(
        select(Document.original_name).where(Document.application_id == new.id, Document.kind == "lampiran")
    ).all()
    assert len(attached) == 4


def test_only_the_holder_renews_and_only_a_permit_in_force_or_just_ended(session, services, user):
    old = _issued(session, services, user)
    with pytest.raises(PermissionDenied):
        renewals.start(session, services, user("fo"), old.id)
    permit = session.scalar(select(Document).where(Document.application_id == old.id, Document.kind == "izin"))
    assert renewals.renewable(session, old, permit.valid_until + timedelta(days=30)) is not None
    assert renewals.renewable(session, old, permit.valid_until + timedelta(days=91)) is None
    permit.status = "dicabut"
    with pytest.raises(Conflict):
        renewals.start(session, services, user("pemohon"), old.id)
    session.rollback()
    refused = submit(session, services, user)
    assert renewals.renewable(session, refused) is None  # no permit yet


def test_a_permit_type_may_name_a_shorter_renewal_process(session, services, user):
    old = _issued(session, services, user)
    reklame = old.permit_type
    before = dict(reklame.validity or {})
    reklame.validity = {**before, "renewal_type": "surat-izin-praktik"}
    session.commit()
    try:
        renewal = renewals.start(session, services, user("pemohon"), old.id)
        assert renewal.permit_type.code == "surat-izin-praktik"
        assert "naskah_reklame" not in renewal.values  # only what the renewal form asks for
    finally:
        session.rollback()
        reklame.validity = before
        session.commit()
