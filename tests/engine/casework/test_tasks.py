"""What completing a task costs the database: pinned, so a change that adds statements to every
step of every file fails here rather than in production."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.accounts.models import User
from engine.casework import worklist
from engine.casework.tasks import claim, complete_task, release
from engine.core.errors import Conflict, PermissionDenied
from engine.documents.models import Document
from engine.workflow.models import Application, WorkItem
from tests.factories import HAPPY, REKLAME, open_item, submit, work
from tests.statements import counted

# Read the task with its file, version, type, open tasks, clock, pauses and whether the force majeure
# windows changed (one query); write the file (optimistic lock), the task, the audit row, the next task.
STEP_STATEMENTS = 5


def test_completing_a_step_sends_a_fixed_few_statements(engine, session, services, user):
    for _ in range(2):  # the second file: forms and specs are cached by then, as in a running server
        application = submit(session, services, user)
        work(session, services, user, application)  # the front office's check: the clock starts
        item_id = open_item(session, application).id
        with Session(engine) as fresh:  # as a request holds it: nothing loaded but the officer
            officer = fresh.get(User, user("teknis").id)
            _ = officer.role_names
            with counted(engine) as sent:
                complete_task(fresh, services, item_id, officer, dict(HAPPY["jadwal_survei"][0]))
                fresh.commit()
    assert len(sent) <= STEP_STATEMENTS, "\n".join(sent)
    assert not [s for s in sent if s.startswith("UPDATE work_items SET due_at")], "the new task is written once"


def _listed(session, services, officer, view):
    page = worklist.task_page(session, services.calendar, officer, worklist.TaskQuery(view=view, per_page=100))
    return [r.id for r in page.rows]


def test_wrong_role_cannot_complete_or_claim(session, services, user):
    application = submit(session, services, user)
    item = open_item(session, application)
    with pytest.raises(PermissionDenied):
        complete_task(session, services, item.id, user("teknis"), HAPPY["verifikasi_berkas"][0])
    session.rollback()
    with pytest.raises(PermissionDenied):
        claim(session, item.id, user("kadis"))
    session.rollback()
    assert open_item(session, application).state == "open"


def test_applicant_cannot_complete_another_applicants_correction(session, services, user):
    from engine.accounts.registration import register_applicant

    application = submit(session, services, user)
    work(
        session,
        services,
        user,
        application,
        {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "Lengkapi KTP."},
    )
    other = register_applicant(
        session,
        "rahasia-uji",
        lambda token: token,
        name="Orang Lain",
        nik="3171010101800099",
        email="orang-lain@contoh.test",
        phone="081200000000",
        password="Rahasia-Pemohon-77",
        birth_date="1980-01-01",
        birth_place="Jakarta",
    )
    assert other is not None, "a new email and NIK make a new (not yet active) account"
    session.commit()
    with pytest.raises(PermissionDenied):
        complete_task(session, services, open_item(session, application).id, other, dict(REKLAME))


def test_claimed_task_belongs_to_claimer_until_released(session, services, user, app):
    application = submit(session, services, user)
    item = open_item(session, application)
    claim(session, item.id, user("fo"))
    session.commit()
    assert _listed(session, services, user("fo"), worklist.MINE) == [item.id]
    assert item.id not in _listed(session, services, user("fo"), worklist.WAITING)
    release(session, item.id, user("fo"))
    session.commit()
    assert item.id in _listed(session, services, user("fo"), worklist.WAITING)
    assert _listed(session, services, user("fo"), worklist.MINE) == []


def test_completed_task_cannot_be_completed_again(session, services, user):
    application = submit(session, services, user)
    item = work(session, services, user, application)
    with pytest.raises(Conflict, match="sudah diselesaikan"):
        complete_task(session, services, item.id, user("fo"), HAPPY["verifikasi_berkas"][0])


def test_simultaneous_completion_one_succeeds_one_conflicts(app, session, services, user):
    application = submit(session, services, user)
    item_id = open_item(session, application).id
    from webapp.extensions import db

    on_disk = {p.name for p in services.files.root.glob("??/??/*")}
    barrier = threading.Barrier(2)
    outcomes = []

    def officer():
        with app.app_context():
            own = Session(db.engine)
            try:
                from engine.accounts.models import User

                fo = own.scalar(select(User).where(User.email == "fo@demo.test"))
                item = own.get(WorkItem, item_id)
                assert item.state == "open"
                _ = own.get(Application, item.application_id).workflow_json  # both read the same state
                barrier.wait(timeout=10)
                complete_task(own, services, item_id, fo, {"hasil_verifikasi": "lengkap"})
                own.commit()
                outcomes.append("ok")
            except Conflict as exc:
                own.rollback()
                outcomes.append(exc.message)
            except Exception as exc:  # noqa: BLE001 - surfaced below with its type
                own.rollback()
                outcomes.append(f"{type(exc).__name__}: {exc}")
            finally:
                own.close()

    threads = [threading.Thread(target=officer) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok", outcomes
    assert outcomes.count("ok") == 1, outcomes
    assert "diubah oleh pengguna lain" in [o for o in outcomes if o != "ok"][0]
    with app.app_context():
        fresh = Session(db.engine)
        assert fresh.scalar(select(func.count()).select_from(Document).where(Document.kind == "tanda_terima")) == 1
        assert (
            fresh.scalar(
                select(func.count())
                .select_from(WorkItem)
                .where(WorkItem.application_id == application.id, WorkItem.state == "open")
            )
            == 1
        )
        # The loser's sealed receipt was never archived: every new file has its row, none waits.
        from engine.core.models import StoredFile

        new = {p.name for p in services.files.root.glob("??/??/*")} - on_disk
        assert len(new) == 1 and fresh.get(StoredFile, new.pop()) is not None
        assert not list((services.files.root / ".staging").glob("*"))
        fresh.close()


def test_simultaneous_claims_one_wins_the_other_is_told_who_took_it(app, session, services, user):
    """Two front-office officers press "Ambil" on the same task at the same moment, ten times over:
    each time exactly one claim holds and is audited, and the other is told who took it."""
    from engine.accounts import users
    from engine.accounts.models import User
    from engine.core.models import AuditEvent
    from webapp.extensions import db

    second = session.scalar(select(User).where(User.email == "fo2@dinas.test")) or users.create_user(
        session,
        None,
        name="Rina Kartika (FO)",
        email="fo2@dinas.test",
        password="sandi-rahasia-1",
        roles=["front_office"],
        scope=users.AccountScope(all_permit_types=True),
    )
    session.commit()
    application = submit(session, services, user)
    item_id = open_item(session, application).id
    for _round in range(10):
        barrier, outcomes = threading.Barrier(2), {}

        def officer(email, barrier=barrier, outcomes=outcomes):
            with app.app_context():
                own = Session(db.engine)
                try:
                    me = own.scalar(select(User).where(User.email == email))
                    own.get(WorkItem, item_id)  # both have read the task as unclaimed
                    barrier.wait(timeout=10)
                    claim(own, item_id, me)
                    own.commit()
                    outcomes[email] = "ok"
                except Conflict as exc:
                    own.rollback()
                    outcomes[email] = exc.message
                except Exception as exc:  # noqa: BLE001 - surfaced below with its type
                    own.rollback()
                    outcomes[email] = f"{type(exc).__name__}: {exc}"
                finally:
                    own.close()

        threads = [threading.Thread(target=officer, args=(e,)) for e in ("fo@demo.test", second.email)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [e for e, o in outcomes.items() if o == "ok"]
        assert len(winners) == 1, outcomes
        winner = session.scalar(select(User).where(User.email == winners[0]))
        loser = next(o for o in outcomes.values() if o != "ok")
        assert f"diambil oleh {winner.name}" in loser, outcomes
        session.expire_all()
        assert session.get(WorkItem, item_id).claimed_by_id == winner.id
        release(session, item_id, winner)
        session.commit()
    claims = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "task_claimed", AuditEvent.application_id == application.id)
    )
    assert claims == 10
