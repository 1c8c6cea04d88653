"""Force majeure pauses everything time-driven in its scope: service clocks (also those that start
during it), stage deadlines of files not yet received, the fiktif-positif policy and BPMN timers.
A window declared live and the same window recorded afterwards give the same deadlines; recording
one afterwards re-arms warnings and escalations. Frozen instants; expected values by hand.

November 2026: Monday 2, 9, 16 and 23 are Mondays; no holidays in the weeks used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from engine.casework import deadlines, queries
from engine.core.models import AuditEvent
from engine.notifications.models import Notification
from engine.service_time import clock_status, clock_sweep, force_majeure, sla
from engine.service_time.models import ServiceClock
from engine.workflow.models import WorkItem
from tests.timeline import DAY, WIB, at, clock_of, declare_outage, step, submit, waiting_for_payment


def _end(session, services, user, force, when):
    force_majeure.end_force_majeure(
        session, sla.calendar_for(session, services.calendar, when), user("kadis"), force.id, now=when
    )
    session.commit()


def _status(session, application):
    session.expire_all()
    return session.get(type(application), application.id).status


# --- BPMN timers -------------------------------------------------------------------------------------


def test_an_skrd_does_not_lapse_during_a_force_majeure_and_lapses_after_its_shifted_due_time(session, services, user):
    application = waiting_for_payment(session, services, user)
    force = declare_outage(session, services, user, at(5, 8), now=at(5, 8), codes=["izin-reklame"])
    # The nominal lapse (end of Tuesday 10 Nov) passes while the outage goes on: nothing fires.
    for moment in (at(11, 0), at(11, 12), at(12, 9)):
        assert deadlines.fire_due_timers(session, services, moment) == []
        session.commit()
    assert _status(session, application) == "diproses"
    _end(session, services, user, force, at(12, 10))
    # Thursday 5 Nov 08:00 to Thursday 12 Nov 10:00 took 5 office days and 2 hours. The 4 office days
    # that were left at its start (Thu 5, Fri 6, Mon 9, Tue 10) run again from Thursday 12 Nov 10:00:
    # 6 h on Thursday, Friday 13, Monday 16, Tuesday 17 and 2 h on Wednesday: due Wed 18 Nov 10:00.
    session.expire_all()
    assert application.next_timer_at.astimezone(WIB) == at(18, 10)
    assert deadlines.fire_due_timers(session, services, at(18, 9, 59)) == []
    assert deadlines.fire_due_timers(session, services, at(18, 10)) == [application.id]
    session.commit()
    assert _status(session, application) == "gugur"
    fired = session.scalars(select(AuditEvent).where(AuditEvent.action == "timer_fired")).all()
    assert len(fired) == 1 and fired[0].at.astimezone(WIB) == at(18, 10)


def test_an_skrd_lapse_moves_by_a_force_majeure_recorded_afterwards(session, services, user):
    application = waiting_for_payment(session, services, user)
    # Recorded on Thursday: the whole of Wednesday 4 Nov was lost. The due time, the end of Tuesday
    # 10 Nov, moves one office day: the first office day after it, Wednesday 11 Nov, to 16:00.
    declare_outage(session, services, user, at(4, 0), at(5, 0), now=at(5, 9), codes=["izin-reklame"])
    session.expire_all()
    assert application.next_timer_at.astimezone(WIB) == at(11, 16)
    assert deadlines.fire_due_timers(session, services, at(11, 0)) == []
    assert deadlines.fire_due_timers(session, services, at(11, 15, 59)) == []
    assert deadlines.fire_due_timers(session, services, at(11, 16)) == [application.id]
    session.commit()
    assert _status(session, application) == "gugur"


def test_a_force_majeure_of_another_permit_type_moves_no_timer(session, services, user):
    application = waiting_for_payment(session, services, user)
    declare_outage(session, services, user, at(4, 0), at(5, 0), now=at(5, 9), codes=["surat-izin-praktik"])
    session.expire_all()
    assert application.next_timer_at == datetime(2026, 11, 10, 23, 59, 59, tzinfo=WIB)
    assert deadlines.fire_due_timers(session, services, at(11, 0)) == [application.id]


# --- service clocks and stages -------------------------------------------------------------------------


def _received_during_an_outage(session, services, user, live: bool):
    """A Surat Izin Praktik submitted Tuesday 3 Nov 09:00 and received at 11:00, during an outage from
    10:00 to Wednesday 4 Nov 12:00, declared live or recorded afterwards."""
    application = submit(session, services, user, "surat-izin-praktik", at(3, 9))
    if live:
        force = declare_outage(session, services, user, at(3, 10), now=at(3, 10))
        step(session, services, user, application, at(3, 11))
        clock = clock_of(session, application)
        assert clock.stopped_by == "force_majeure" and clock.deadline is None
        _end(session, services, user, force, at(4, 12))
    else:
        step(session, services, user, application, at(3, 11))
        declare_outage(session, services, user, at(3, 10), at(4, 12), now=at(4, 13))
    return application


def test_a_file_received_during_a_live_force_majeure_equals_the_same_window_recorded_afterwards(
    session, services, user
):
    live = _received_during_an_outage(session, services, user, live=True)
    afterwards = _received_during_an_outage(session, services, user, live=False)
    # Five office days from Wednesday 4 Nov 12:00, when the outage ended: 4 h that day, Thu 5, Fri 6,
    # Mon 9, Tue 10, and 4 h on Wednesday 11 Nov: 12:00.
    for application in (live, afterwards):
        clock = clock_of(session, application)
        assert clock.deadline.astimezone(WIB) == at(11, 12)
        survey = queries.open_items(session, application)[0]
        # The technical team's two days from the receipt, also paused: Friday 6 Nov 12:00.
        assert survey.due_at.astimezone(WIB) == at(6, 12)


def test_a_file_not_yet_received_is_not_deemed_verified_during_an_outage(session, services, user, deadline_policy):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    deadline_policy(application.permit_type.code, "fiktif_positif")
    force = declare_outage(session, services, user, at(2, 12), now=at(2, 12))
    # The front office's day (Monday 08:00-16:00) would end during the outage: nothing is deemed.
    assert deadlines.sweep_stages(session, services, at(3, 8)) == deadlines.StageSweep([], [])
    session.commit()
    _end(session, services, user, force, at(3, 12))
    # Four hours were used before it (08-12) and four remain from Tuesday 12:00: Tuesday 16:00.
    item = queries.open_items(session, application)[0]
    assert item.due_at.astimezone(WIB) == at(3, 16)
    assert deadlines.sweep_stages(session, services, at(3, 15, 59)).deemed == []
    assert deadlines.sweep_stages(session, services, at(3, 16)).deemed == [application.id]


def test_a_force_majeure_recorded_after_an_escalation_voids_it_and_the_real_breach_is_escalated_once(
    session, services, user
):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))  # received Monday 09:00: due Monday 9 Nov 09:00
    assert clock_sweep.sweep(session, at(6, 10)).warned == [application.id]  # 80 %: four days in, Friday 09:00
    assert clock_sweep.sweep(session, at(9, 10)).escalated == [application.id]
    session.commit()
    # Recorded on Monday 11:00: the service was down Wednesday 4 and Thursday 5 Nov.
    declare_outage(session, services, user, at(4, 0), at(6, 0), now=at(9, 11))
    clock = clock_of(session, application)
    # The deadline moves two office days, to Wednesday 11 Nov 09:00. At the escalation (Mon 10:00) only
    # 7 + 8 + 8 + 2 = 25 office hours of 40 were used, at the warning (Fri 10:00) 17 of the 32 that
    # warn: both were void. 26 hours are used now (Mon 11:00); the warning is due 6 hours on,
    # Tuesday 10 Nov 09:00.
    assert clock.deadline.astimezone(WIB) == at(11, 9)
    assert clock.breached_at is None and clock.warned_at is None
    assert clock.warn_at.astimezone(WIB) == at(10, 9)
    voided = {e.action: e for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("%voided")))}
    assert set(voided) == {"sla_escalation_voided", "sla_warning_voided"}
    assert datetime.fromisoformat(voided["sla_escalation_voided"].summary["dikirim"]) == at(9, 10)
    assert datetime.fromisoformat(voided["sla_escalation_voided"].summary["batas_baru"]) == at(11, 9)
    withdrawn = session.scalars(select(Notification).where(Notification.withdrawn_at.is_not(None))).all()
    assert sorted(n.kind for n in withdrawn) == ["sla_eskalasi", "sla_eskalasi", "sla_peringatan"]
    assert clock_status.notifications_for(session, user("pengawas")) == []
    # Swept on as usual: one warning on Tuesday, one escalation on Wednesday, nothing after.
    results = [
        clock_sweep.sweep(session, moment) for moment in (at(9, 12), at(10, 9), at(11, 8, 59), at(11, 9), at(12, 9))
    ]
    session.commit()
    assert [(r.warned, r.escalated) for r in results] == [
        ([], []),
        ([application.id], []),
        ([], []),
        ([], [application.id]),
        ([], []),
    ]
    live = [
        n
        for n in session.scalars(
            select(Notification).where(Notification.kind == "sla_eskalasi", Notification.withdrawn_at.is_(None))
        )
    ]
    assert sorted(n.role for n in live) == ["kepala_dinas", "pengawas"]
    assert all(n.created_at.astimezone(WIB) == at(11, 9) for n in live)


def test_a_stage_escalation_the_window_does_not_explain_stands(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))  # the technical team's two days: Wednesday 09:00
    assert deadlines.sweep_stages(session, services, at(6, 10)).escalated == [application.id]
    session.commit()
    declare_outage(session, services, user, at(4, 0), at(6, 0), now=at(6, 11))
    # 7 + 8 office hours before the window and 2 on Friday: 17 of its 16 hours at the escalation. The
    # stage deadline moves to Friday 09:00, before the escalation, which stands.
    item = queries.open_items(session, application)[0]
    assert item.due_at.astimezone(WIB) == at(6, 9) and item.overdue_at is not None
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "stage_escalation_voided")) is None


def test_a_finished_file_is_restated_when_a_force_majeure_is_recorded_afterwards(session, services, user):
    from engine.service_time import sla_stats

    late = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    for moment in (at(2, 9), at(5, 9), at(9, 9), at(10, 9)):  # the permit on Tuesday 10 Nov 09:00: 6 days
        step(session, services, user, late, moment)
    assert sla_stats.report(session, ("2026-11", "2026-11")).total.on_time == 0
    declare_outage(session, services, user, at(4, 0), at(6, 0), now=at(11, 9))  # two office days lost
    clock = session.get(ServiceClock, late.id)
    session.refresh(clock)
    assert clock.used_minutes == 4 * DAY
    total = sla_stats.report(session, ("2026-11", "2026-11")).total
    assert (total.count, total.on_time, total.median) == (1, 1, 4.0)


def test_work_items_of_other_files_keep_their_deadlines(session, services, user):
    reklame = submit(session, services, user, "izin-reklame", at(2, 8))
    sip = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    before = {i.application_id: i.due_at for i in session.scalars(select(WorkItem))}
    declare_outage(session, services, user, at(2, 10), now=at(2, 10), codes=["izin-reklame"])
    after = {i.application_id: i.due_at for i in session.scalars(select(WorkItem))}
    assert after[sip.id] == before[sip.id] and after[reklame.id] is None
