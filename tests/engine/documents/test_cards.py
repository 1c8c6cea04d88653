"""What the permit card shows, and that only an issued permit has one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.core.errors import Conflict
from engine.documents.cards import card_facts
from engine.documents.models import Document
from tests.factories import issued, submit, work


def test_the_card_names_the_permit_its_holder_its_facts_and_its_verification(session, services, user):
    application = issued(session, services, user)
    permit = session.scalar(select(Document).where(Document.application_id == application.id, Document.kind == "izin"))
    facts = card_facts(services, permit)
    assert (facts["number"], facts["holder"]) == (permit.number, "Budi Santoso")
    assert facts["verify_url"] == services.verify_url(permit.verify_code) and facts["valid_until"]
    assert facts["facts"] == application.summary


def test_only_an_issued_permit_has_a_card(session, services, user):
    application = submit(session, services, user)
    work(session, services, user, application)
    receipt = session.scalar(
        select(Document).where(Document.application_id == application.id, Document.kind == "tanda_terima")
    )
    with pytest.raises(Conflict):
        card_facts(services, receipt)
