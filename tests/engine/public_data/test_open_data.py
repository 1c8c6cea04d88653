"""The open datasets match the database and carry no person: counts per month, type and district (small
districts merged), and service times from the rolled-up statistics."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.documents.models import Document
from engine.public_data import open_data
from engine.workflow.models import Application
from tests.factories import REKLAME, issued


def _issue(session, services, user, **data):
    return issued(session, services, user, data={**REKLAME, **data})


def test_issued_permits_match_the_database_with_small_districts_merged(session, services, user):
    for _ in range(3):
        _issue(session, services, user, kecamatan="ilir barat  i")
    _issue(session, services, user, kecamatan="Kemuning")
    rows = open_data.issued_permits(session, "2000-01", "2099-12", services.calendar.zone)
    assert (
        sum(r["jumlah_izin"] for r in rows)
        == session.scalar(select(func.count()).select_from(Document).where(Document.kind == "izin"))
        == 4
    )
    by_district = {r["kecamatan"]: r["jumlah_izin"] for r in rows}
    assert by_district == {"Ilir Barat I": 3, open_data.OTHER_DISTRICTS: 1}  # one permit alone is not shown apart
    assert {r["kode_jenis_izin"] for r in rows} == {"izin-reklame"}
    assert session.scalar(select(Application.district).order_by(Application.id.desc()).limit(1)) == "Kemuning"


def test_service_times_come_per_month_and_type(session, services, user):
    _issue(session, services, user)
    [row] = open_data.service_times(session, "2000-01", "2099-12")
    assert (row["kode_jenis_izin"], row["jumlah_selesai"]) == ("izin-reklame", 1)
    assert row["tepat_waktu"] == 1 and row["persen_tepat_waktu"] == 100.0 and row["median_hari_kerja"] is not None


def test_satisfaction_and_complaints_per_month(session, services, user):
    from engine.feedback import complaints, survey
    from engine.service_time import sla
    from tests.engine.feedback.test_ikm import ANSWERS
    from tests.timeline import at

    for answers in ANSWERS:
        application = _issue(session, services, user)
        survey.answer(
            session,
            user("pemohon"),
            application.id,
            {f"unsur_{i}": str(a) for i, a in enumerate(answers, start=1)},
            "WIB",
        )
    calendar = sla.calendar_for(session, services.calendar, at(2, 9))
    late = complaints.file(
        session,
        calendar,
        services.files,
        category="pelayanan",
        description="Antrean terlalu lama tanpa kepastian di loket.",
        now=at(2, 9),
    )
    complaints.file(
        session,
        calendar,
        services.files,
        category="pelayanan",
        description="Petugas tidak ada di loket pada jam layanan.",
        now=at(3, 9),
    )
    complaints.answer(
        session, user("kadis"), late.code, "Kami menambah petugas loket mulai bulan depan.", False, now=at(30, 9)
    )
    session.commit()
    rows = {r["bulan"]: r for r in open_data.feedback(session, "2026-11", "2040-12", "WIB")}
    assert rows["2026-11"] == {
        "bulan": "2026-11",
        "responden_survei": 0,
        "ikm": None,
        "mutu_pelayanan": None,
        "pengaduan_masuk": 2,
        "pengaduan_dijawab": 1,
        "dijawab_tepat_waktu": 0,
    }
    december = next(r for month, r in rows.items() if r["responden_survei"])
    assert december["ikm"] == 84.03 and december["mutu_pelayanan"] == "B"
