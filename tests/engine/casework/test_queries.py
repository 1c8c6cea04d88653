"""The read side: a file by number or id, its history as staff and as the applicant see it, the
application list paged and searched within the reader's authority, and the audit search."""

from __future__ import annotations

import pytest

from engine.casework import queries
from engine.core.errors import NotFound
from tests.factories import submit, work
from tests.timeline import at


@pytest.fixture
def three(session, services, user):
    return [submit(session, services, user, code) for code in ("izin-reklame", "surat-izin-praktik", "izin-reklame")]


def test_a_file_is_found_by_its_number_in_any_case_or_by_its_id(session, three):
    first = three[0]
    assert queries.application_by_reg(session, f"  {first.reg_number.lower()} ").id == first.id
    assert queries.application_by_ref(session, str(first.id)).id == first.id
    assert queries.application_by_ref(session, first.reg_number).id == first.id
    with pytest.raises(NotFound) as missing:
        queries.application_by_reg(session, "REK-0000-000000")
    assert "Tanda Terima" in missing.value.message
    with pytest.raises(NotFound):
        queries.get_application(session, 10**9)


def test_the_applicant_sees_the_steps_and_staff_see_every_event(session, services, user, three):
    application = three[0]
    work(session, services, user, application)
    staff = [e.action for e in queries.history(session, application)]
    public = [e.action for e in queries.history(session, application, public=True)]
    assert set(public) <= set(queries.PUBLIC_ACTIONS) and {"submitted", "task_completed"} <= set(public)
    assert len(staff) > len(public) and set(public) < set(staff)


def test_the_list_is_paged_newest_first_with_a_total(session, user, three):
    first = queries.application_page(session, user("admin"), per_page=2)
    assert [a.id for a in first.rows] == [three[2].id, three[1].id]
    assert (first.total, first.total_capped, first.pages, first.has_next) == (3, False, 2, True)
    second = queries.application_page(session, user("admin"), page=2, per_page=2)
    assert [a.id for a in second.rows] == [three[0].id] and not second.has_next


def test_the_list_is_searched_by_part_of_a_number_or_of_the_applicants_name(session, user, three):
    admin = user("admin")
    part = three[1].reg_number[1:].lower()  # a part of the number, in another case
    assert [a.id for a in queries.application_page(session, admin, search=part).rows] == [three[1].id]
    assert len(queries.application_page(session, admin, search="santoso").rows) == 3  # Budi Santoso
    assert queries.application_page(session, admin, search="100%_").rows == []  # LIKE wildcards are literal
    assert queries.application_page(session, admin, permit_type_id=three[1].permit_type_id).total == 1


def test_counting_stops_at_the_cap(session, three):
    from sqlalchemy import select

    from engine.workflow.models import Application

    assert queries.capped_count(session, select(Application.id), cap=2) == (2, True)
    assert queries.capped_count(session, select(Application.id), cap=3) == (3, False)


def test_the_audit_search_filters_by_actor_number_action_and_time(session, services, user, three):
    work(session, services, user, three[0])
    found = queries.search_audit(session, queries.AuditFilter(actor_email=" FO@demo.test ", action="task_completed"))
    assert found and all(e.actor.email == "fo@demo.test" and e.action == "task_completed" for e in found)
    by_number = queries.search_audit(session, queries.AuditFilter(reg_number=three[0].reg_number))
    assert by_number and {e.application_id for e in by_number} == {three[0].id}
    assert queries.search_audit(session, queries.AuditFilter(start=at(1, 8, month=1).replace(year=2100))) == []
    assert "submitted" in queries.audit_actions(session)
