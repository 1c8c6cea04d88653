"""Admins keep the working calendar and each permit type's SLA policy; deadlines follow at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine.casework import queries
from engine.core.errors import PermissionDenied, ValidationFailed
from engine.core.models import AuditEvent
from engine.service_time import sla_policy
from engine.workflow.definitions import permit_type_by_code
from tests.timeline import WIB, at, clock_of, step, submit


def test_a_local_holiday_moves_running_deadlines_by_one_day_and_back(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    assert clock_of(session, application).deadline.astimezone(WIB) == at(9, 9)
    sla_policy.set_calendar_day(
        session, services.calendar, user("admin"), date(2026, 11, 5), "libur", "Hari Jadi Kota", now=at(3, 9)
    )
    session.commit()
    assert clock_of(session, application).deadline.astimezone(WIB) == at(10, 9)
    sla_policy.remove_calendar_day(session, services.calendar, user("admin"), date(2026, 11, 5), now=at(3, 10))
    session.commit()
    assert clock_of(session, application).deadline.astimezone(WIB) == at(9, 9)
    actions = [
        e.action
        for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("calendar_%")).order_by(AuditEvent.id))
    ]
    assert actions == ["calendar_day_set", "calendar_day_removed"]


def test_an_extra_working_saturday_shortens_the_wait(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    sla_policy.set_calendar_day(
        session, services.calendar, user("admin"), date(2026, 11, 7), "kerja", "Sabtu pengganti", now=at(3, 9)
    )
    session.commit()
    assert clock_of(session, application).deadline.astimezone(WIB) == at(7, 9 + 8 - 8)  # Saturday 09:00


def test_only_an_admin_keeps_the_calendar_and_bad_input_is_explained(session, services, user):
    with pytest.raises(PermissionDenied):
        sla_policy.set_calendar_day(session, services.calendar, user("kadis"), date(2026, 11, 5), "libur", "Libur")
    with pytest.raises(ValidationFailed) as failed:
        sla_policy.set_calendar_day(session, services.calendar, user("admin"), None, "cuti", "")
    assert set(failed.value.errors) == {"tanggal", "jenis", "keterangan"}


def test_calendar_year_shows_national_holidays_cuti_bersama_and_the_agencys_days(session, services, user):
    sla_policy.set_calendar_day(session, services.calendar, user("admin"), date(2026, 11, 5), "libur", "Hari Jadi Kota")
    entries = {e.day: e for e in sla_policy.calendar_year(session, 2026)}
    assert entries[date(2026, 12, 25)].source == "nasional"
    assert entries[date(2026, 12, 24)].source == "nasional"  # cuti bersama Natal
    assert entries[date(2026, 11, 5)].name == "Hari Jadi Kota" and entries[date(2026, 11, 5)].source == "admin"


def test_policy_changes_are_validated_whole_and_audited_with_a_diff(session, services, user):
    permit_type = permit_type_by_code(session, "surat-izin-praktik")
    stages = sla_policy.staff_stages(session, permit_type)
    assert stages == ["Verifikasi Berkas", "Tim Teknis", "Persetujuan Kepala Dinas", "Penyerahan"]
    with pytest.raises(ValidationFailed) as failed:
        sla_policy.update_policy(
            session,
            user("admin"),
            permit_type,
            working_days="2,5",
            warning_percent="150",
            deadline_policy="abaikan",
            stage_days={"Tim Teknis": "x"},
        )
    assert set(failed.value.errors) == {"hari_kerja", "peringatan", "kebijakan", "tahap_0"}
    session.rollback()
    assert permit_type.sla_working_days == 5
    with pytest.raises(ValidationFailed) as failed:
        sla_policy.update_policy(
            session,
            user("admin"),
            permit_type,
            working_days="3",
            warning_percent="80",
            deadline_policy="eskalasi",
            stage_days={"Verifikasi Berkas": "2", "Tim Teknis": "2"},
        )
    assert "melebihi waktu layanan" in failed.value.errors["hari_kerja"]
    original = dict(permit_type.sla_stages)
    try:
        sla_policy.update_policy(
            session,
            user("admin"),
            permit_type,
            working_days="5",
            warning_percent="75",
            deadline_policy="eskalasi",
            stage_days={
                "Verifikasi Berkas": "0.5",
                "Tim Teknis": "2",
                "Persetujuan Kepala Dinas": "1",
                "Penyerahan": "",
            },
        )
        session.commit()
        change = session.scalar(select(AuditEvent).where(AuditEvent.action == "sla_policy_changed")).summary
        assert change["perubahan"]["peringatan_persen"] == {"sebelum": 80, "sesudah": 75}
        assert change["perubahan"]["tahap"]["sesudah"] == {
            "Verifikasi Berkas": 0.5,
            "Tim Teknis": 2,
            "Persetujuan Kepala Dinas": 1,
        }
        application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
        assert queries.open_items(session, application)[0].due_at.astimezone(WIB) == at(2, 12)  # half a day
    finally:
        permit_type.sla_stages, permit_type.sla_warning_ratio = original, 0.8
        session.commit()


def test_a_local_holiday_moves_the_stage_deadline_of_a_file_not_yet_received(session, services, user):
    from engine.casework import deadlines

    application = submit(session, services, user, "surat-izin-praktik", at(2, 9))  # Monday 09:00
    item = queries.open_items(session, application)[0]
    assert item.due_at.astimezone(WIB) == at(3, 9)  # the front office's one day: Tuesday 09:00
    sla_policy.set_calendar_day(
        session, services.calendar, user("admin"), date(2026, 11, 3), "libur", "Hari Jadi Kota", now=at(2, 10)
    )
    session.commit()
    session.expire_all()
    item = queries.open_items(session, application)[0]
    assert item.due_at.astimezone(WIB) == at(4, 9)  # Tuesday is off now: Wednesday 09:00
    assert deadlines.sweep_stages(session, services, at(3, 10)) == deadlines.StageSweep([], [])  # not on the holiday
    assert deadlines.sweep_stages(session, services, at(4, 9)).escalated == [application.id]


def test_stage_targets_are_shared_by_consecutive_tasks_of_a_stage_and_fit_the_total(session, services, user):
    permit_type = permit_type_by_code(session, "surat-izin-praktik")
    # SIP: verification 1 + technical team 2 + head 1 + handover 1 = the 5-day service time.
    assert sum(permit_type.sla_stages.values()) == permit_type.sla_working_days == 5
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))  # received; the technical team starts
    survey = queries.open_items(session, application)[0]
    assert survey.due_at.astimezone(WIB) == at(4, 9)  # two days from Monday 09:00
    step(session, services, user, application, at(3, 15))  # survey scheduled Tuesday 15:00
    berita_acara = queries.open_items(session, application)[0]
    assert berita_acara.task_spec == "berita_acara"
    # The same stage: the Berita Acara is due when the stage is, not two more days on.
    assert berita_acara.due_at.astimezone(WIB) == at(4, 9)
    assert berita_acara.stage_started_at.astimezone(WIB) == at(2, 9)
    step(session, services, user, application, at(4, 9))  # written exactly at the stage's deadline
    head = queries.open_items(session, application)[0]
    assert head.stage == "Persetujuan Kepala Dinas" and head.due_at.astimezone(WIB) == at(5, 9)
    step(session, services, user, application, at(5, 9))  # the permit, at the head's deadline
    # Every stage used its whole target, and the service took 3 of its 5 days (verification comes
    # before the receipt, handover after the permit).
    assert clock_of(session, application).used_minutes == 3 * 8 * 60
    from engine.service_time import sla_stats

    stages = {s.label: s for s in sla_stats.report(session, ("2026-11", "2026-11")).by_stage}
    assert stages["Tim Teknis"].count == 1 and stages["Tim Teknis"].on_time == 1
    assert stages["Tim Teknis"].median == 2.0
