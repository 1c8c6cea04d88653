"""The open datasets match the database and carry no person: counts per month, type and district (small
districts merged), and service times from the rolled-up statistics."""
from __future__ import annotations

from sqlalchemy import func, select

from engine.documents.models import Document
from engine.public_data import open_data
from engine.workflow.models import Application
from tests.factories import REKLAME, submit, work


def _issue(session, services, user, **data):
    application = submit(session, services, user, data={**REKLAME, **data})
    while application.status == "diproses":
        work(session, services, user, application)
    return application


def test_issued_permits_match_the_database_with_small_districts_merged(session, services, user):
    for _ in range(3):
        _issue(session, services, user, kecamatan="ilir barat  i")
    _issue(session, services, user, kecamatan="Kemuning")
    rows = open_data.issued_permits(session, "2000-01", "2099-12", services.calendar.zone)
    assert sum(r["jumlah_izin"] for r in rows) == session.scalar(
        select(func.count()).select_from(Document).where(Document.kind == "izin")) == 4
    by_district = {r["kecamatan"]: r["jumlah_izin"] for r in rows}
    assert by_district == {"Ilir Barat I": 3, open_data.OTHER_DISTRICTS: 1}  # one permit alone is not shown apart
    assert {r["kode_jenis_izin"] for r in rows} == {"izin-reklame"}
    assert session.scalar(select(Application.district).order_by(Application.id.desc()).limit(1)) == "Kemuning"


def test_service_times_come_per_month_and_type(session, services, user):
    _issue(session, services, user)
    [row] = open_data.service_times(session, "2000-01", "2099-12")
    assert (row["kode_jenis_izin"], row["jumlah_selesai"]) == ("izin-reklame", 1)
    assert row["tepat_waktu"] == 1 and row["persen_tepat_waktu"] == 100.0 and row["median_hari_kerja"] is not None
