"""Form fields checked with other agencies: filled from OSS on request, checked when sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.casework import lookups
from engine.casework.applications import submit_application
from engine.core.errors import ValidationFailed
from engine.core.models import AuditEvent
from engine.workflow import definitions
from engine.workflow.version_forms import submission_form
from tests.factories import REKLAME, reklame_uploads


def _form(session):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    return submission_form(definitions.published_version(session, permit_type))


def test_the_applicant_fills_the_business_name_from_oss_by_nib(session, services, user, agencies):
    values, errors, notice = lookups.prefill(
        session, services, _form(session), "nib", {"nib": "9120001234567", "npwpd": "P.1234.56"}, user("pemohon")
    )
    assert errors == {} and values["nama_penyelenggara"] == "PT Maju Jaya Reklame"
    assert values["npwpd"] == "P.1234.56", "what the applicant typed stays"
    assert "Terdaftar di OSS" in notice


def test_an_unknown_nib_fills_nothing_and_says_why_on_the_field(session, services, user, agencies):
    values, errors, _ = lookups.prefill(
        session, services, _form(session), "nib", {"nib": "9999999999999"}, user("pemohon")
    )
    assert errors == {"nib": "NIB tidak terdaftar di OSS. Periksa lagi nomornya."}
    assert "nama_penyelenggara" not in values


def test_oss_down_fills_nothing_and_lets_the_applicant_type(session, services, user, agencies):
    agencies.mode("oss", "mati")
    values, errors, notice = lookups.prefill(
        session, services, _form(session), "nib", {"nib": "9120001234567"}, user("pemohon")
    )
    assert errors == {} and "tidak menjawab" in notice


def test_a_submission_with_an_inactive_nib_is_refused_on_that_field(session, services, user, agencies):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    with pytest.raises(ValidationFailed) as caught:
        submit_application(
            session, services, permit_type, user("pemohon"), {**REKLAME, "nib": "9120000000009"}, reklame_uploads()
        )
    assert "tidak aktif" in caught.value.errors["nib"]
    session.rollback()


def test_a_submission_checks_the_nib_and_records_the_answer(session, services, user, agencies):
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    application = submit_application(
        session, services, permit_type, user("pemohon"), {**REKLAME, "nib": "9120001234567"}, reklame_uploads()
    )
    checked = session.scalars(
        select(AuditEvent).where(AuditEvent.application_id == application.id, AuditEvent.action == "connector_checked")
    ).one()
    assert checked.summary["hasil"] == "Terdaftar di OSS: PT Maju Jaya Reklame"
    session.rollback()


def test_a_submission_goes_through_while_oss_is_down_marked_not_verified(session, services, user, agencies):
    agencies.mode("oss", "mati")
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    application = submit_application(
        session, services, permit_type, user("pemohon"), {**REKLAME, "nib": "9120001234567"}, reklame_uploads()
    )
    checked = session.scalars(
        select(AuditEvent).where(AuditEvent.application_id == application.id, AuditEvent.action == "connector_checked")
    ).one()
    assert checked.summary["hasil"].startswith("belum terverifikasi")
    session.rollback()
