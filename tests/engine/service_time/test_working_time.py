"""Working-day arithmetic and the service clock, with frozen instants (no real clock is read)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from engine.service_time.working_time import Stop, WorkCalendar, national_holidays, read_clock, shifted_due

WIB = ZoneInfo("Asia/Jakarta")
DAY = 8 * 60


def at(y, m, d, hh=8, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture(scope="module")
def calendar():
    return WorkCalendar(zone="WIB", start=time(8, 0), end=time(16, 0), days_off=national_holidays([2026, 2027]))


def test_national_holidays_include_cuti_bersama():
    days = national_holidays([2026])
    assert date(2026, 8, 17) in days  # Hari Kemerdekaan
    assert date(2026, 12, 24) in days  # cuti bersama Natal
    assert date(2026, 3, 20) in days  # cuti bersama Idul Fitri


def test_five_working_days_skip_the_weekend(calendar):
    # Wednesday 4 Nov 2026 09:30 + 5 working days = Wednesday 11 Nov 09:30.
    assert calendar.add_working_days(at(2026, 11, 4, 9, 30), 5) == at(2026, 11, 11, 9, 30)


def test_deadline_skips_a_national_holiday(calendar):
    # Friday 14 Aug 2026 10:00 + 1 working day: Monday 17 Aug is Hari Kemerdekaan -> Tuesday 18 Aug 10:00.
    assert calendar.add_working_days(at(2026, 8, 14, 10), 1) == at(2026, 8, 18, 10)


def test_deadline_skips_cuti_bersama(calendar):
    # Wednesday 23 Dec 2026 15:00 + 1 working day: 24 (cuti bersama) and 25 (Natal) are off, 26-27 weekend.
    assert calendar.add_working_days(at(2026, 12, 23, 15), 1) == at(2026, 12, 28, 15)


def test_a_start_outside_office_hours_counts_from_the_next_opening(calendar):
    assert calendar.add_minutes(at(2026, 11, 6, 18), 60) == at(2026, 11, 9, 9)  # Friday evening -> Monday 09:00
    assert calendar.minutes_between(at(2026, 11, 6, 18), at(2026, 11, 9, 9)) == 60


def test_local_day_off_and_extra_working_day_from_the_admin():
    base = WorkCalendar(days_off={date(2026, 11, 9): "Hari jadi kota"}, extra_workdays=frozenset({date(2026, 11, 7)}))
    # Friday 6 Nov 15:00 + 2 hours: Saturday 7 Nov is declared a working day.
    assert base.add_minutes(at(2026, 11, 6, 15), 120) == at(2026, 11, 7, 9)
    # Monday 9 Nov is a local holiday: Saturday 15:00 + 2 hours -> Tuesday 09:00.
    assert base.add_minutes(at(2026, 11, 7, 15), 120) == at(2026, 11, 10, 9)


def test_return_to_applicant_stops_the_clock_and_keeps_the_elapsed_time(calendar):
    start = at(2026, 11, 2, 8)  # Monday
    budget = 5 * DAY
    returned = Stop(at(2026, 11, 3, 12), at(2026, 11, 5, 10), "pemohon")  # back Thursday 10:00
    while_away = read_clock(calendar, start, budget, [Stop(returned.start, None, "pemohon")], at(2026, 11, 4, 12))
    assert while_away.deadline is None and while_away.stopped_by == "pemohon"
    assert while_away.used_minutes == DAY + 4 * 60  # Monday + Tuesday morning, frozen
    after = read_clock(calendar, start, budget, [returned], at(2026, 11, 5, 10))
    assert after.used_minutes == DAY + 4 * 60
    # Remaining 3.5 days from Thursday 10:00: Thu 6h, Fri 8h, Mon 8h, Tue 6h -> Tuesday 10 Nov 14:00.
    assert after.deadline == at(2026, 11, 10, 14)


def test_force_majeure_window_moves_the_deadline_exactly(calendar):
    start = at(2026, 11, 2, 8)
    budget = 3 * DAY
    plain = read_clock(calendar, start, budget, [], at(2026, 11, 2, 9))
    assert plain.deadline == at(2026, 11, 4, 16)  # three office days: Monday to Wednesday closing time
    outage = Stop(at(2026, 11, 3, 13), at(2026, 11, 4, 11), "force_majeure")  # 3h + 3h of office time
    moved = read_clock(calendar, start, budget, [outage], at(2026, 11, 4, 11))
    assert moved.used_minutes == DAY + 5 * 60
    assert moved.deadline == at(2026, 11, 5, 14)


def test_force_majeure_recorded_afterwards_gives_the_same_answer(calendar):
    start = at(2026, 11, 2, 8)
    budget = 3 * DAY
    outage = Stop(at(2026, 11, 3, 13), at(2026, 11, 4, 11), "force_majeure")
    # Read on Wednesday 15:00 before anyone records the outage: due Wednesday 16:00.
    before = read_clock(calendar, start, budget, [], at(2026, 11, 4, 15))
    assert before.deadline == at(2026, 11, 4, 16)
    # The outage (Tuesday 13:00 to Wednesday 11:00) is recorded afterwards: 6 office hours come back.
    recorded = read_clock(calendar, start, budget, [outage], at(2026, 11, 4, 15))
    assert recorded.used_minutes == before.used_minutes - 6 * 60
    assert recorded.deadline == at(2026, 11, 5, 14)  # the same deadline as when it was declared live


def test_nothing_due_during_a_pause_fires_on_resume(calendar):
    start = at(2026, 11, 2, 8)
    budget = DAY  # due Monday 16:00
    pause = Stop(at(2026, 11, 2, 12), at(2026, 11, 4, 12), "force_majeure")
    on_resume = read_clock(calendar, start, budget, [pause], at(2026, 11, 4, 12))
    assert not on_resume.overdue and on_resume.remaining_minutes == 4 * 60
    assert on_resume.deadline == at(2026, 11, 4, 16)


def test_overdue_file_reports_when_it_fell_due(calendar):
    start = at(2026, 11, 2, 8)
    reading = read_clock(
        calendar, start, DAY, [Stop(at(2026, 11, 2, 10), at(2026, 11, 2, 12), "pemohon")], at(2026, 11, 4, 8)
    )
    # 08-10 and 12-16 on Monday use 6 of 8 hours; the last 2 run out Tuesday 10:00.
    assert reading.overdue and reading.deadline == at(2026, 11, 3, 10)


def test_a_deadline_at_closing_time_reads_the_same_before_and_after_closing(calendar):
    # Received Monday 2 Nov 08:00 with five working days: the budget runs out at Friday 6 Nov 16:00.
    started, budget = at(2026, 11, 2, 8), 5 * DAY
    before = read_clock(calendar, started, budget, [], at(2026, 11, 6, 15))
    at_closing = read_clock(calendar, started, budget, [], at(2026, 11, 6, 16))
    evening = read_clock(calendar, started, budget, [], at(2026, 11, 6, 17))
    monday = read_clock(calendar, started, budget, [], at(2026, 11, 9, 9))
    assert before.deadline == at_closing.deadline == evening.deadline == monday.deadline == at(2026, 11, 6, 16)
    assert not evening.overdue and monday.overdue
    assert calendar.add_minutes(at(2026, 11, 6, 15), 60) == at(2026, 11, 6, 16)  # not Monday 08:00
    assert calendar.add_minutes(at(2026, 11, 6, 16), 0) == at(2026, 11, 6, 16)


def test_a_timer_moves_by_the_office_time_a_force_majeure_took(calendar):
    # An SKRD issued Tuesday 3 Nov 13:00, payable to the end of Tuesday 10 Nov (23:59:59 WIB).
    armed, nominal = at(2026, 11, 3, 13), datetime(2026, 11, 10, 23, 59, 59, tzinfo=WIB)
    # Wednesday 4 Nov, the whole office day: the due time moves one office day, to Wednesday 11 Nov 16:00
    # (the first office day after the nominal time, used whole).
    whole_day = [Stop(at(2026, 11, 4, 0, 0), at(2026, 11, 5, 0, 0), "force_majeure")]
    assert shifted_due(calendar, nominal, armed, whole_day, at(2026, 11, 12)) == (at(2026, 11, 11, 16), False)
    # An outage at night or on the weekend takes no office time: nothing moves.
    weekend = [Stop(at(2026, 11, 7, 0, 0), at(2026, 11, 9, 7, 0), "force_majeure")]
    assert shifted_due(calendar, nominal, armed, weekend, at(2026, 11, 12)) == (nominal, False)
    # Before the SKRD was issued it takes nothing from the applicant either.
    before = [Stop(at(2026, 11, 2, 8), at(2026, 11, 3, 12), "force_majeure")]
    assert shifted_due(calendar, nominal, armed, before, at(2026, 11, 12)) == (nominal, False)


def test_a_timer_due_inside_a_force_majeure_waits_for_its_end_and_the_rest_of_the_time(calendar):
    armed, nominal = at(2026, 11, 3, 13), datetime(2026, 11, 10, 23, 59, 59, tzinfo=WIB)
    # From Thursday 5 Nov 08:00 to Thursday 12 Nov 10:00: 5 office days and 2 hours taken (Thu, Fri, Mon,
    # Tue, Wed and Thu 08-10). The four office days left at its start (Thu 5 - Tue 10) run from Thursday
    # 12 Nov 10:00: 6 h that Thursday, Fri 13, Mon 16, Tue 17 and 2 h on Wednesday 18 Nov: 10:00.
    live = [Stop(at(2026, 11, 5, 8), None, "force_majeure")]
    due, paused = shifted_due(calendar, nominal, armed, live, at(2026, 11, 11, 0, 0))
    assert paused and due > at(2026, 11, 11, 0, 0)  # nothing fires while it goes on
    ended = [Stop(at(2026, 11, 5, 8), at(2026, 11, 12, 10), "force_majeure")]
    assert shifted_due(calendar, nominal, armed, ended, at(2026, 11, 12, 10)) == (at(2026, 11, 18, 10), False)
    # Recorded afterwards, the same window gives the same time.
    assert shifted_due(calendar, nominal, armed, ended, at(2026, 11, 13, 9)) == (at(2026, 11, 18, 10), False)
