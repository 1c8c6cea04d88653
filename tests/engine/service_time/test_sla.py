"""Service clocks on real applications, with frozen instants passed to every verb."""

from __future__ import annotations

import pytest

from engine.core.errors import PermissionDenied, ValidationFailed
from engine.service_time import force_majeure, sla
from tests.timeline import DAY, WIB, at, clock_of, step, submit


def test_clock_starts_at_the_receipt_not_at_submission(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))  # Monday
    assert clock_of(session, application) is None
    step(session, services, user, application, at(2, 10))  # front office accepts: receipt
    clock = clock_of(session, application)
    assert clock.budget_minutes == 5 * DAY
    assert clock.deadline.astimezone(WIB) == at(9, 10)  # five working days later, Monday 9 Nov 10:00


def test_an_incomplete_file_starts_the_clock_only_when_the_corrected_file_is_received(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(
        session,
        services,
        user,
        application,
        at(2, 11),
        {"hasil_verifikasi": "tidak_lengkap", "catatan_perbaikan": "STR belum dilegalisir."},
    )
    assert clock_of(session, application) is None and application.status == "dikembalikan"
    step(session, services, user, application, at(3, 9))  # the applicant sends the corrected file
    step(session, services, user, application, at(3, 10))  # front office accepts: receipt, clock starts
    assert clock_of(session, application).deadline.astimezone(WIB) == at(10, 10)


def test_clock_stops_while_a_received_file_is_with_the_applicant(session, services, user):
    application = submit(session, services, user, "izin-reklame", at(2, 8))
    step(session, services, user, application, at(2, 9))  # receipt: clock runs from Monday 09:00
    clock = clock_of(session, application)
    first_deadline = clock.deadline.astimezone(WIB)
    assert first_deadline == at(16, 9)  # ten working days
    # Force a return to the applicant through the stop API the process uses.
    sla.on_step(
        session,
        services.calendar,
        application,
        receipt_issued=False,
        decided=False,
        waiting="pemohon",
        finished=False,
        now=at(3, 9),
    )
    session.commit()
    stopped = clock_of(session, application)
    assert stopped.deadline is None and stopped.stopped_by == "pemohon" and stopped.used_minutes == DAY
    sla.on_step(
        session,
        services.calendar,
        application,
        receipt_issued=False,
        decided=False,
        waiting=None,
        finished=False,
        now=at(5, 9),
    )  # resubmitted Thursday 09:00: two days later
    session.commit()
    resumed = clock_of(session, application)
    assert resumed.used_minutes == DAY and resumed.stopped_by is None
    assert resumed.deadline.astimezone(WIB) == at(18, 9)  # moved by exactly the two working days


def test_force_majeure_stops_every_clock_in_scope_and_no_other(session, services, user):
    reklame = submit(session, services, user, "izin-reklame", at(2, 8))
    step(session, services, user, reklame, at(2, 9))
    sip = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, sip, at(2, 9))
    sip_deadline = clock_of(session, sip).deadline
    force = force_majeure.declare_force_majeure(
        session,
        sla.calendar_for(session, services.calendar, at(3, 10)),
        user("kadis"),
        category="kerusakan_jaringan",
        description="Jaringan fiber ke gedung layanan putus.",
        permit_type_codes=["izin-reklame"],
        started_at=at(3, 10),
        now=at(3, 10),
    )
    session.commit()
    assert clock_of(session, reklame).stopped_by == "force_majeure" and clock_of(session, reklame).deadline is None
    assert clock_of(session, sip).deadline == sip_deadline and clock_of(session, sip).stopped_by is None
    calendar = sla.calendar_for(session, services.calendar, at(4, 10))
    force_majeure.end_force_majeure(session, calendar, user("kadis"), force.id, now=at(4, 10))  # one office day later
    session.commit()
    assert clock_of(session, reklame).deadline.astimezone(WIB) == at(17, 9)  # 16 Nov 09:00 plus one day


def test_force_majeure_recorded_afterwards_moves_deadlines_exactly(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    calendar = sla.calendar_for(session, services.calendar, at(5, 9))
    force_majeure.declare_force_majeure(
        session,
        calendar,
        user("admin"),
        category="layanan_terhenti",
        description="Server aplikasi mati karena banjir di ruang server.",
        permit_type_codes=None,
        started_at=at(3, 13),
        ended_at=at(4, 11),
        now=at(5, 9),
    )
    session.commit()
    clock = clock_of(session, application)
    # 3 office hours on Tuesday afternoon and 3 on Wednesday morning do not count: 9 Nov 09:00 + 6 hours.
    assert clock.deadline.astimezone(WIB) == at(9, 15)


def test_only_the_head_or_an_admin_declares_force_majeure_with_a_clear_reason(session, services, user):
    calendar = sla.calendar_for(session, services.calendar, at(2, 9))
    with pytest.raises(PermissionDenied):
        force_majeure.declare_force_majeure(
            session,
            calendar,
            user("fo"),
            category="kerusakan_jaringan",
            description="Jaringan putus total.",
            permit_type_codes=None,
            started_at=at(2, 9),
            now=at(2, 9),
        )
    with pytest.raises(ValidationFailed) as caught:
        force_majeure.declare_force_majeure(
            session,
            calendar,
            user("kadis"),
            category="lain",
            description="x",
            permit_type_codes=["tidak-ada"],
            started_at=at(3, 9),
            now=at(2, 9),
        )
    assert set(caught.value.errors) == {"kategori", "uraian", "mulai", "jenis_izin"}


def test_clock_ends_when_the_permit_is_issued_not_at_handover(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    for moment in (at(2, 9), at(2, 13), at(3, 9), at(3, 13)):  # receipt, survey, berita acara, head signs
        step(session, services, user, application, moment)
    clock = clock_of(session, application)
    assert clock.ended_at.astimezone(WIB) == at(3, 13) and clock.deadline is None
    # From the receipt on Monday 09:00 to the permit on Tuesday 13:00: 7 + 5 office hours.
    assert clock.used_minutes == 7 * 60 + 5 * 60
    step(session, services, user, application, at(9, 9))  # handed over days later: still the same figure
    assert application.status == "selesai"
    assert clock_of(session, application).used_minutes == 12 * 60


def test_a_rejection_ends_the_clock_when_the_letter_is_issued(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))  # receipt
    step(session, services, user, application, at(2, 13))  # survey scheduled
    step(
        session,
        services,
        user,
        application,
        at(3, 10),
        {"rekomendasi": "tidak_direkomendasikan", "alasan_penolakan": "Lokasi praktik tidak sesuai."},
    )
    clock = clock_of(session, application)
    assert application.status == "ditolak"
    assert clock.ended_at.astimezone(WIB) == at(3, 10) and clock.used_minutes == 7 * 60 + 2 * 60
