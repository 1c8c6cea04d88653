"""The force majeure windows a process keeps: re-read when the stamp beside a step changes, or after their time limit."""

from __future__ import annotations

from sqlalchemy import select

from engine.casework import queries
from engine.service_time import force_majeure, pause_windows, sla
from tests.timeline import OUTAGE, at, declare_outage, step, submit


def test_a_step_right_after_a_declaration_elsewhere_pauses_its_new_task(session, services, user, engine):
    """The windows are kept between requests; a declaration made by another process is seen by the
    very next step, and ending it too."""
    from sqlalchemy.orm import Session

    from engine.accounts.models import User

    before = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, before, at(2, 9))  # this process now holds the windows (none)
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    with Session(engine) as elsewhere:
        head = elsewhere.get(User, user("kadis").id)
        calendar = sla.calendar_for(elsewhere, services.calendar, at(3, 9))
        force = force_majeure.declare_force_majeure(
            elsewhere,
            calendar,
            head,
            category="kerusakan_jaringan",
            description=OUTAGE,
            permit_type_codes=None,
            started_at=at(3, 9),
            now=at(3, 9),
        )
        elsewhere.commit()
        force_id = force.id
    step(session, services, user, application, at(3, 10))
    session.expire_all()
    assert queries.open_items(session, application)[0].due_at is None  # paused for as long as it lasts
    with Session(engine) as elsewhere:
        head = elsewhere.get(User, user("kadis").id)
        force_majeure.end_force_majeure(
            elsewhere, sla.calendar_for(elsewhere, services.calendar, at(3, 11)), head, force_id, now=at(3, 11)
        )
        elsewhere.commit()
    step(session, services, user, application, at(3, 12))
    session.expire_all()
    assert queries.open_items(session, application)[0].due_at is not None


def test_windows_changed_outside_the_verbs_are_read_again_within_the_time_limit(session, services, user, monkeypatch):
    from sqlalchemy import update

    from engine.service_time.models import ForceMajeure

    declare_outage(session, services, user, at(3, 9), at(3, 10), now=at(3, 11))
    stamp = tuple(session.execute(select(*pause_windows.WINDOWS_STAMP)).one())
    assert [w.description for w in pause_windows.force_windows_at(session, stamp)] == [OUTAGE]
    session.execute(update(ForceMajeure).values(description="Diubah langsung di basis data."))
    session.commit()
    assert tuple(session.execute(select(*pause_windows.WINDOWS_STAMP)).one()) == stamp  # nothing the stamp sees
    assert [w.description for w in pause_windows.force_windows_at(session, stamp)] == [OUTAGE]  # the copy, for now
    monkeypatch.setattr(pause_windows, "WINDOWS_TTL", 0.0)
    assert [w.description for w in pause_windows.force_windows_at(session, stamp)] == ["Diubah langsung di basis data."]
