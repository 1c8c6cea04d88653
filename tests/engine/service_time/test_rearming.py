"""Waiting BPMN timers re-read after service time changed: a force majeure written by any means
moves a waiting SKRD lapse by the office time it took, and only files with a waiting timer are read."""

from __future__ import annotations

from engine.service_time import sla
from engine.service_time.models import ForceMajeure
from engine.service_time.rearming import rearm_timers
from tests.timeline import WIB, at, step, submit, waiting_for_payment


def _refreshed(session, application):
    session.expire_all()
    return session.get(type(application), application.id).next_timer_at


def test_a_window_moves_the_waiting_lapse_and_its_removal_moves_it_back(session, services, user):
    waiting = waiting_for_payment(session, services, user)
    nominal = _refreshed(session, waiting)
    assert nominal is not None
    received = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, received, at(2, 9))  # no timer waits on this one
    # Written outside the verbs (a restored backup): the whole of Wednesday 4 Nov lost.
    window = ForceMajeure(
        category="kerusakan_jaringan",
        description="Server mati total.",
        permit_type_ids=None,
        started_at=at(4, 0),
        ended_at=at(5, 0),
        declared_by_id=user("kadis").id,
        created_at=at(5, 9),
    )
    session.add(window)
    session.commit()
    calendar = sla.calendar_for(session, services.calendar, at(5, 9))
    assert rearm_timers(session, calendar, [waiting.id, received.id, waiting.id], at(5, 9)) == 1
    session.commit()
    # The end of Tuesday 10 Nov moves one office day: Wednesday 11 Nov, 16:00.
    assert _refreshed(session, waiting).astimezone(WIB) == at(11, 16)
    session.delete(window)
    session.commit()
    assert rearm_timers(session, calendar, [waiting.id], at(5, 10)) == 1
    session.commit()
    assert _refreshed(session, waiting) == nominal


def test_nothing_is_read_for_an_empty_list(session, services):
    calendar = sla.calendar_for(session, services.calendar, at(5, 9))
    assert rearm_timers(session, calendar, [], at(5, 9)) == 0
