"""Admins keep the working calendar and each permit type's SLA policy; deadlines follow at once."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from engine import queries, sla_policy
from engine.definitions import permit_type_by_code
from engine.errors import PermissionDenied, ValidationFailed
from engine.models import AuditEvent
from tests.timeline import WIB, at, clock_of, step, submit


def test_a_local_holiday_moves_running_deadlines_by_one_day_and_back(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    assert clock_of(session, application).deadline.astimezone(WIB) == at(9, 9)
    sla_policy.set_calendar_day(session, services.calendar, user("admin"), date(2026, 11, 5), "libur",
                                "Hari Jadi Kota", now=at(3, 9))
    session.commit()
    assert clock_of(session, application).deadline.astimezone(WIB) == at(10, 9)
    sla_policy.remove_calendar_day(session, services.calendar, user("admin"), date(2026, 11, 5), now=at(3, 10))
    session.commit()
    assert clock_of(session, application).deadline.astimezone(WIB) == at(9, 9)
    actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.action.like("calendar_%"))
                                             .order_by(AuditEvent.id))]
    assert actions == ["calendar_day_set", "calendar_day_removed"]


def test_an_extra_working_saturday_shortens_the_wait(session, services, user):
    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    step(session, services, user, application, at(2, 9))
    sla_policy.set_calendar_day(session, services.calendar, user("admin"), date(2026, 11, 7), "kerja",
                                "Sabtu pengganti", now=at(3, 9))
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
        sla_policy.update_policy(session, user("admin"), permit_type, working_days="2,5", warning_percent="150",
                                 deadline_policy="abaikan", stage_days={"Tim Teknis": "x"})
    assert set(failed.value.errors) == {"hari_kerja", "peringatan", "kebijakan", "tahap_0"}
    session.rollback()
    assert permit_type.sla_working_days == 5
    with pytest.raises(ValidationFailed) as failed:
        sla_policy.update_policy(session, user("admin"), permit_type, working_days="3", warning_percent="80",
                                 deadline_policy="eskalasi", stage_days={"Verifikasi Berkas": "2", "Tim Teknis": "2"})
    assert "melebihi waktu layanan" in failed.value.errors["hari_kerja"]
    original = dict(permit_type.sla_stages)
    try:
        sla_policy.update_policy(session, user("admin"), permit_type, working_days="5", warning_percent="75",
                                 deadline_policy="eskalasi",
                                 stage_days={"Verifikasi Berkas": "0.5", "Tim Teknis": "2",
                                             "Persetujuan Kepala Dinas": "1", "Penyerahan": ""})
        session.commit()
        change = session.scalar(select(AuditEvent).where(AuditEvent.action == "sla_policy_changed")).summary
        assert change["perubahan"]["peringatan_persen"] == {"sebelum": 80, "sesudah": 75}
        assert change["perubahan"]["tahap"]["sesudah"] == {"Verifikasi Berkas": 0.5, "Tim Teknis": 2,
                                                           "Persetujuan Kepala Dinas": 1}
        application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
        assert queries.open_items(session, application)[0].due_at.astimezone(WIB) == at(2, 12)  # half a day
    finally:
        permit_type.sla_stages, permit_type.sla_warning_ratio = original, 0.8
        session.commit()
