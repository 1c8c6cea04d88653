"""The task list: views, filters, sorts, pages, counts, and the head's hand-over of tasks."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select, update

from engine.accounts.models import User
from engine.accounts.users import create_user
from engine.casework import queries, worklist
from engine.casework.tasks import assign, assignable_officers, claim
from engine.casework.worklist import MINE, TEAM, WAITING, TaskQuery, task_page
from engine.core.clock import utcnow
from engine.core.errors import Conflict, PermissionDenied, ValidationFailed
from engine.core.models import AuditEvent
from engine.notifications.models import Notification
from engine.workflow.models import WorkItem
from tests.factories import copies, open_item, submit
from tests.statements import counted


def listed(session, services, who, **query):
    return task_page(session, services.calendar, who, TaskQuery(**{"per_page": 100, **query}))


def ids(page):
    return [r.id for r in page.rows]


@pytest.fixture
def two_files(session, services, user):
    reklame = submit(session, services, user)
    sip = submit(session, services, user, code="surat-izin-praktik")
    return reklame, sip


def test_the_front_office_sees_waiting_tasks_then_holds_what_it_claims(session, services, user, two_files):
    reklame, sip = two_files
    fo = user("fo")
    waiting = listed(session, services, fo, view=WAITING)
    assert {r.application_id for r in waiting.rows} == {reklame.id, sip.id}
    assert waiting.total == 2 and not waiting.total_capped and waiting.counts[MINE] == (0, False)
    row = waiting.rows[0]
    assert row.reg_number and row.applicant == user("pemohon").name and row.permit_type
    claim(session, row.id, fo)
    session.commit()
    mine = listed(session, services, fo, view=MINE)
    assert ids(mine) == [row.id] and mine.rows[0].claimed_by == fo.name
    assert row.id not in ids(listed(session, services, fo, view=WAITING))
    assert listed(session, services, user("bendahara"), view=WAITING).rows == []  # not his role


def test_only_the_head_has_the_units_view(session, services, user, two_files):
    assert worklist.views_of(user("fo")) == (MINE, WAITING)
    assert worklist.views_of(user("kadis")) == (MINE, WAITING, TEAM)
    assert worklist.views_of(user("pemohon")) == (MINE,)
    # Asking for a view one does not have gives one's first view, never someone else's tasks.
    assert listed(session, services, user("fo"), view=TEAM).query.view == MINE
    team = listed(session, services, user("kadis"), view=TEAM)
    assert len(team.rows) == 2 and {r.role for r in team.rows} == {"front_office"}


def test_filters_by_permit_type_stage_and_search(session, services, user, two_files):
    reklame, sip = two_files
    fo = user("fo")
    assert {
        r.application_id for r in listed(session, services, fo, view=WAITING, permit_type_id=sip.permit_type_id).rows
    } == {sip.id}
    stage = open_item(session, reklame).stage
    assert stage in listed(session, services, fo, view=WAITING).stages
    assert all(r.stage == stage for r in listed(session, services, fo, view=WAITING, stage=stage).rows)
    assert listed(session, services, fo, view=WAITING, stage="tahap yang tidak ada").rows == []
    by_number = listed(session, services, fo, view=WAITING, search=sip.reg_number.lower())
    assert [r.application_id for r in by_number.rows] == [sip.id]
    name = user("pemohon").name
    assert len(listed(session, services, fo, view=WAITING, search=name.split()[0].upper()).rows) == 2
    # A wildcard typed in the box is a character, not "anything".
    assert listed(session, services, fo, view=WAITING, search="%").rows == []
    assert listed(session, services, fo, view=WAITING, search="_").rows == []


def test_due_filters_and_marks_follow_the_working_calendar(session, services, user, two_files):
    reklame, _ = two_files
    item = open_item(session, reklame)
    now = utcnow()
    session.execute(update(WorkItem).values(due_at=now + timedelta(days=60)))  # the real ones, out of the way
    copies(session, item, 2, due_at=now - timedelta(hours=1))
    copies(session, item, 3, due_at=now + timedelta(minutes=30))
    copies(session, item, 4, due_at=now + timedelta(days=30))
    fo = user("fo")
    overdue = listed(session, services, fo, view=WAITING, due="lewat")
    assert len(overdue.rows) == 2 and all(r.overdue and not r.due_soon for r in overdue.rows)
    soon = listed(session, services, fo, view=WAITING, due="segera")
    assert len(soon.rows) == 3 and all(r.due_soon and not r.overdue for r in soon.rows)
    everything = listed(session, services, fo, view=WAITING)
    assert sum(r.overdue for r in everything.rows) == 2
    # Nearest deadline first, the tasks with no target last.
    dues = [r.due_at for r in everything.rows]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated


def test_sorts_by_received_and_by_permit_type(session, services, user, two_files):
    fo = user("fo")
    received = listed(session, services, fo, view=WAITING, sort="masuk").rows
    assert [r.created_at for r in received] == sorted(r.created_at for r in received)
    by_type = listed(session, services, fo, view=WAITING, sort="jenis").rows
    assert [r.permit_type for r in by_type] == sorted(r.permit_type for r in by_type)


def test_pages_through_the_list_without_repeating_a_task(session, services, user, two_files):
    reklame, _ = two_files
    copies(session, open_item(session, reklame), 10, due_at=utcnow() + timedelta(days=3))
    fo = user("fo")
    seen = []
    for number in (1, 2, 3):
        page = task_page(session, services.calendar, fo, TaskQuery(view=WAITING, page=number, per_page=5))
        assert page.total == 12 and page.pages == 3
        seen += ids(page)
        assert page.has_next == (number < 3)
    assert len(seen) == len(set(seen)) == 12


def test_counting_stops_at_the_cap(session, services, user, two_files, monkeypatch):
    reklame, _ = two_files
    copies(session, open_item(session, reklame), 6)
    monkeypatch.setattr(queries, "COUNT_CAP", 5)
    page = task_page(session, services.calendar, user("fo"), TaskQuery(view=WAITING, per_page=5))
    assert (page.total, page.total_capped, page.has_next) == (5, True, True)


def test_query_string_parsing_never_fails():
    query = TaskQuery.from_args(
        {
            "tampilan": "x",
            "jenis": "abc",
            "halaman": "-3",
            "per_halaman": "7",
            "urut": "DROP",
            "tenggat": "besok",
            "cari": "  REG/1  ",
        }
    )
    assert query == TaskQuery(search="REG/1")
    assert TaskQuery(view=WAITING, page=2, sort="masuk").args(page=3) == {
        "tampilan": WAITING,
        "urut": "masuk",
        "halaman": 3,
    }


def test_a_page_costs_the_same_statements_at_any_number_of_tasks(engine, session, services, user, two_files):
    reklame, _ = two_files
    fo = user("fo")
    item = open_item(session, reklame)

    def statements():
        session.expire_all()
        with counted(engine) as sent:
            page = listed(session, services, fo, view=WAITING)
        return len(sent), page

    few, _ = statements()
    copies(session, item, 300)
    many, page = statements()
    assert page.total == 302
    assert many == few <= 8


# --- hand-over by the head of the unit --------------------------------------------------------------


@pytest.fixture
def second_fo(session):
    existing = session.scalar(select(User).where(User.email == "fo2@dinas.test"))
    if existing:
        return existing
    officer = create_user(
        session,
        None,
        name="Sari Front Office",
        email="fo2@dinas.test",
        password="rahasia-kuat-123",
        roles=["front_office"],
        strength=False,
    )
    officer.all_permit_types = True
    session.commit()
    return officer


def test_the_head_hands_a_waiting_task_to_a_named_officer(session, services, user, two_files, second_fo):
    reklame, _ = two_files
    item = open_item(session, reklame)
    head = user("kadis")
    _, officers = assignable_officers(session, head, item.id)
    assert {user("fo").id, second_fo.id} <= {o.id for o in officers}
    assert user("bendahara").id not in {o.id for o in officers}
    assign(session, item.id, head, second_fo.id)
    session.commit()
    assert item.claimed_by_id == second_fo.id
    assert ids(listed(session, services, second_fo, view=MINE)) == [item.id]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "task_assigned"))
    assert event.actor_id == head.id and event.summary == {"kepada": second_fo.name}
    note = session.scalar(select(Notification).where(Notification.user_id == second_fo.id))
    assert reklame.reg_number in note.message
    # And from one officer to another: the audit names both.
    assign(session, item.id, head, user("fo").id)
    session.commit()
    last = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "task_assigned").order_by(AuditEvent.id.desc())
    ).first()
    assert last.summary == {"kepada": user("fo").name, "dari": second_fo.name}


def test_only_the_head_hands_out_and_only_to_an_officer_who_may_work_it(session, services, user, two_files):
    reklame, _ = two_files
    item = open_item(session, reklame)
    with pytest.raises(PermissionDenied):
        assign(session, item.id, user("fo"), user("fo").id)
    with pytest.raises(ValidationFailed) as refused:
        assign(session, item.id, user("kadis"), user("bendahara").id)
    assert "petugas" in refused.value.errors
    assert session.get(WorkItem, item.id).claimed_by_id is None
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "task_assigned")) is None


def test_a_hand_over_loses_to_a_claim_made_in_between(session, services, user, two_files, engine):
    from sqlalchemy.orm import Session

    reklame, _ = two_files
    item = open_item(session, reklame)
    head = user("kadis")
    _, officers = assignable_officers(session, head, item.id)
    with Session(engine) as other:  # the officer claims while the head's form is open
        claim(other, item.id, other.get(User, user("fo").id))
        other.commit()
    session.expire_all()
    assign(session, item.id, head, next(o.id for o in officers if o.id != user("fo").id))
    session.commit()  # the head saw who holds it now and hands it over from him: audited as such
    last = session.scalar(select(AuditEvent).where(AuditEvent.action == "task_assigned"))
    assert last.summary["dari"] == user("fo").name


def test_a_done_task_cannot_be_handed_out(session, services, user, two_files):
    from tests.factories import work

    reklame, _ = two_files
    item = work(session, services, user, reklame)
    with pytest.raises(Conflict):
        assign(session, item.id, user("kadis"), user("fo").id)


def test_listing_officers_for_a_hand_over_costs_the_same_for_one_or_many_unit_officers(
    session, services, user, two_files, engine
):
    from engine.accounts.models import AuthorityScope

    reklame, _ = two_files
    item = open_item(session, reklame)
    unit = reklame.permit_type.unit or "Bidang Uji"
    reklame.permit_type.unit = unit
    head = user("kadis")

    def listing():
        session.expire_all()
        with counted(engine) as sent:
            _, officers = assignable_officers(session, head, item.id)
        return len(sent), officers

    made = []
    try:
        few, _ = listing()
        for n in range(5):
            officer = create_user(
                session,
                None,
                name=f"Petugas Unit {n}",
                email=f"unit{n}-{uuid4().hex[:6]}@dinas.test",
                password="rahasia-kuat-123",
                roles=["front_office"],
                strength=False,
            )
            officer.scopes = [AuthorityScope(unit=unit)]
            made.append(officer)
        session.commit()
        many, officers = listing()
        assert {o.id for o in made} <= {o.id for o in officers}
        assert many == few
    finally:
        for officer in made:
            session.delete(session.get(User, officer.id))
        session.commit()


def test_the_loaded_authority_check_agrees_with_the_scope_for_every_account_and_permit_type(session):
    from engine.accounts.permissions import covers, scope_of
    from engine.workflow.models import PermitType

    for account in session.scalars(select(User)):
        scope = scope_of(session, account)
        for permit_type in session.scalars(select(PermitType)):
            assert covers(account, permit_type) == scope.covers(permit_type.id), (account.email, permit_type.code)
