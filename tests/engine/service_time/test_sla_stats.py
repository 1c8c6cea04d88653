"""Service-time statistics rolled up when services and stages end."""

from __future__ import annotations

from tests.timeline import at, step, submit


def test_finished_services_and_stages_feed_the_statistics(session, services, user):
    from engine.service_time import sla_stats

    application = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    moments = iter([at(2, 9), at(2, 13), at(3, 9), at(3, 13), at(4, 9)])
    while application.status == "diproses":
        step(session, services, user, application, next(moments))
    late = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    moments = iter([at(2, 9), at(5, 9), at(9, 9), at(10, 9), at(12, 9)])  # past its five working days
    while late.status == "diproses":
        step(session, services, user, late, next(moments))
    report = sla_stats.report(session, ("2026-11", "2026-11"))
    assert (report.total.count, report.total.on_time, report.total.on_time_rate) == (2, 1, 50.0)
    # The service ends with the permit (the head's step): Monday 09:00 to Tuesday 13:00 is 7 + 5 office
    # hours, 1.5 working days; the late one, Monday 2 Nov 09:00 to Tuesday 10 Nov 09:00, 7 + 5 x 8 + 1 =
    # 48 office hours, 6 working days against its 5.
    assert report.total.median == 1.5
    assert report.total.p90 == 6.0
    stages = {s.label: s for s in report.by_stage}
    assert stages["Verifikasi Berkas"].count == 2 and stages["Persetujuan Kepala Dinas"].count == 2
    assert stages["Tim Teknis"].count == 2  # scheduling and the berita acara are one stage
    officers = {s.label for s in report.by_officer}
    assert user("kadis").name in officers and user("teknis").name in officers
    assert [m.label for m in report.by_month] == ["2026-11"]
