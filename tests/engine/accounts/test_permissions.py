"""Per-object authority: the applicant reads their own files, officers the permit types in their
scope and the files they worked on, another agency its granted types without personal documents
unless granted, the administrator everything; the SQL filter and the per-object check agree."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.accounts import permissions, users
from engine.accounts.users import AccountScope
from engine.casework import queries
from engine.core.errors import PermissionDenied
from engine.core.roles import RELATED_AGENCY, TECHNICAL
from engine.documents.models import Document
from engine.workflow import definitions
from engine.workflow.models import Application
from tests.factories import submit, work

REKLAME, SIP = "izin-reklame", "surat-izin-praktik"


@pytest.fixture
def files(session, services, user):
    """One file of each permit type, both waiting at the front office."""
    return {code: submit(session, services, user, code) for code in (REKLAME, SIP)}


def _scoped(session, user, account, roles, codes=(), personal=(), email="scoped@dinas.test"):
    ids = {code: definitions.permit_type_by_code(session, code).id for code in (REKLAME, SIP)}
    made = account(email=email, roles=roles)
    users.set_scope(
        session,
        user("admin"),
        made,
        AccountScope(
            permit_type_ids=frozenset(ids[c] for c in codes),
            personal_permit_type_ids=frozenset(ids[c] for c in personal),
        ),
    )
    session.commit()
    return made


def _readable_ids(session, who):
    return set(session.scalars(select(Application.id).where(permissions.readable(session, who))))


def test_the_applicant_reads_only_their_own_files(session, user, files):
    applicant = user("pemohon")
    assert all(permissions.may_view_application(applicant, f) for f in files.values())
    assert _readable_ids(session, applicant) == set()  # staff lists: an applicant is in none


def test_an_officer_reads_and_works_only_the_permit_types_in_scope(session, user, account, files):
    officer = _scoped(session, user, account, (TECHNICAL,), codes=(SIP,))
    assert permissions.may_view_application(officer, files[SIP])
    assert not permissions.may_view_application(officer, files[REKLAME])
    assert _readable_ids(session, officer) == {files[SIP].id}
    assert [p.code for p in permissions.permit_types_in_scope(session, officer)] == [SIP]
    assert permissions.covers(officer, files[SIP].permit_type) and not permissions.covers(
        officer, files[REKLAME].permit_type
    )
    item = queries.open_items(session, files[SIP])[0]  # the front office's task: another role
    assert not permissions.may_work(officer, item)


def test_a_new_officer_without_a_scope_reads_nothing(session, user, account, files):
    officer = _scoped(session, user, account, (TECHNICAL,))
    assert _readable_ids(session, officer) == set()
    assert not any(permissions.may_view_application(officer, f) for f in files.values())
    with pytest.raises(PermissionDenied):
        permissions.require_may_view(officer, files[SIP])


def test_the_administrator_reads_everything(session, user, files):
    assert _readable_ids(session, user("admin")) >= {f.id for f in files.values()}


def test_another_agency_reads_granted_types_and_personal_documents_only_when_granted(session, user, account, files):
    agency = _scoped(session, user, account, (RELATED_AGENCY,), codes=(SIP,), email="agency@dinas.test")
    documents = session.scalars(select(Document).where(Document.application_id == files[SIP].id)).all()
    personal = [d for d in documents if permissions.is_personal(d)]
    assert personal, "the applicant's uploads are personal data"
    assert permissions.may_view_application(agency, files[SIP])
    assert not permissions.may_view_application(agency, files[REKLAME])
    assert permissions.visible_documents(agency, documents) == [d for d in documents if not permissions.is_personal(d)]
    with pytest.raises(PermissionDenied):
        permissions.require_may_view_document(agency, personal[0])
    granted = _scoped(
        session, user, account, (RELATED_AGENCY,), codes=(SIP,), personal=(SIP,), email="agency.granted@dinas.test"
    )
    assert permissions.visible_documents(granted, documents) == documents


def test_an_officer_keeps_reading_a_file_he_worked_on_after_it_left_his_scope(session, services, user, account, files):
    work(session, services, user, files[SIP])  # the demo front office verifies it
    front_office = user("fo")
    users.set_scope(session, user("admin"), front_office, AccountScope(permit_type_ids=frozenset()))
    session.commit()
    try:
        assert permissions.may_view_application(front_office, files[SIP])
        assert not permissions.may_view_application(front_office, files[REKLAME])
        assert _readable_ids(session, front_office) == {files[SIP].id}
    finally:
        users.set_scope(session, user("admin"), front_office, AccountScope(all_permit_types=True))
        session.commit()
