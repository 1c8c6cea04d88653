"""The front office submits for a person at the counter: the file is the person's, with their signed
consent kept (as personal data) and the officer named in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.accounts import walk_ins
from engine.accounts.permissions import is_personal
from engine.casework import counter
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.files import Upload
from engine.core.models import AuditEvent
from engine.documents.models import Document
from engine.workflow import definitions
from tests.engine.accounts.test_walk_ins import person as walk_in_person
from tests.factories import REKLAME, pdf_bytes, reklame_uploads


def test_a_walk_in_application_is_the_persons_with_consent_and_the_officer_on_record(session, services, user):
    officer = user("fo")
    person, _ = walk_ins.walk_in(session, officer, **walk_in_person())
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    consent = Upload("persetujuan", "pernyataan.pdf", pdf_bytes("Saya meminta petugas mengajukan"))
    application = counter.submit_for(
        session, services, officer, person, permit_type, dict(REKLAME), reklame_uploads(), consent
    )
    session.commit()
    assert application.applicant_id == person.id and application.reg_number.startswith("REK-")
    kept = session.scalar(
        select(Document).where(Document.application_id == application.id, Document.kind == "persetujuan")
    )
    assert kept.original_name == "pernyataan.pdf" and is_personal(kept)
    [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "submitted_at_counter"))
    assert event.actor_id == officer.id and event.application_id == application.id


def test_without_consent_or_by_another_role_nothing_is_submitted(session, services, user):
    person, _ = walk_ins.walk_in(session, user("fo"), **walk_in_person())
    permit_type = definitions.permit_type_by_code(session, "izin-reklame")
    with pytest.raises(ValidationFailed) as refused:
        counter.submit_for(session, services, user("fo"), person, permit_type, dict(REKLAME), reklame_uploads(), None)
    assert "surat pernyataan" in refused.value.errors["persetujuan"]
    with pytest.raises(PermissionDenied):
        counter.submit_for(
            session,
            services,
            user("teknis"),
            person,
            permit_type,
            dict(REKLAME),
            reklame_uploads(),
            Upload("persetujuan", "p.pdf", pdf_bytes()),
        )
    session.rollback()
