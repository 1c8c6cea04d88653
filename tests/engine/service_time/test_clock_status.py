"""Service time as people read it: one file's clock in working days with its pauses, and the
files at risk or overdue, computed at the moment asked."""

from __future__ import annotations

from engine.service_time import clock_status
from tests.timeline import OUTAGE, WIB, at, declare_outage, step, submit


def test_a_file_has_no_clock_before_its_receipt_then_counts_working_days(session, services, user):
    application = submit(session, services, user, "izin-reklame", at(2, 8))  # Monday
    assert clock_status.status_of(session, services.calendar, application, now=at(2, 8, 30)) is None
    step(session, services, user, application, at(2, 9))  # the receipt
    status = clock_status.status_of(session, services.calendar, application, now=at(4, 9))  # Wednesday 09:00
    assert (status.used_days, status.budget_days, status.ended, status.paused) == (2.0, 10.0, False, False)
    assert status.deadline.astimezone(WIB) == at(16, 9)
    weekend = clock_status.status_of(session, services.calendar, application, now=at(8, 12))  # Sunday
    # Monday 09:00-16:00 and Tuesday to Friday 08:00-16:00; Saturday and Sunday are not office days.
    assert weekend.used_minutes == 7 * 60 + 4 * 8 * 60 and weekend.used_days == 4.9
    # The applicant reads whole working days: the fifth day was begun.
    assert (weekend.used_whole_days, weekend.budget_whole_days, weekend.if_resumed) == (5, 10, None)


def test_during_a_force_majeure_the_clock_shows_the_pause_and_its_cause(session, services, user):
    application = submit(session, services, user, "izin-reklame", at(2, 8))
    step(session, services, user, application, at(2, 9))
    declare_outage(session, services, user, at(3, 9), now=at(3, 10))
    status = clock_status.status_of(session, services.calendar, application, now=at(5, 9))
    assert status.paused and status.used_days == 1.0 and status.deadline is None
    # Were the outage to end now (Thursday 09:00), the nine days left would end Wednesday the 18th.
    assert status.if_resumed.astimezone(WIB) == at(18, 9)
    assert OUTAGE in status.pauses[0].note and status.pauses[0].reason == "force_majeure"
    assert [f.description for f in clock_status.force_majeure_list(session)] == [OUTAGE]


def test_files_near_or_past_their_deadline_are_listed_within_the_permit_types_asked(session, services, user):
    reklame = submit(session, services, user, "izin-reklame", at(2, 8))
    step(session, services, user, reklame, at(2, 9))  # due Monday 16 Nov 09:00
    sip = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, sip, at(2, 9))  # due Monday 9 Nov 09:00
    assert clock_status.at_risk_and_overdue(session, now=at(2, 10)) == ([], [])
    at_risk, overdue = clock_status.at_risk_and_overdue(session, now=at(10, 9))
    assert [c.application_id for c in overdue] == [sip.id]
    assert at_risk == []  # reklame reaches its warning point on Thursday 12 Nov (80% of ten days)
    assert [c.application_id for c in clock_status.at_risk_and_overdue(session, now=at(12, 9))[0]] == [reklame.id]
    late, _ = clock_status.at_risk_and_overdue(session, now=at(16, 8, 59))
    assert reklame.id in [c.application_id for c in late]  # warned before its deadline
    only_reklame = clock_status.at_risk_and_overdue(session, now=at(20, 9), permit_types=[reklame.permit_type_id])
    assert [c.application_id for c in only_reklame[1]] == [reklame.id]
