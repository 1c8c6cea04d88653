"""The public statistics page and the open data downloads: stable URLs, a data dictionary, counts that
match the database, and no NIK, name or address anywhere."""

import csv
import io

from sqlalchemy import func, select

from engine.documents.models import Document
from tests.factories import REKLAME, issued

PERIOD = "dari=2000-01&sampai=2099-12"


def test_the_open_data_match_the_database_and_name_nobody(client, session, services, user):
    for _ in range(3):
        application = issued(session, services, user)
    counted = session.scalar(select(func.count()).select_from(Document).where(Document.kind == "izin"))
    as_csv = client.get(f"/data/izin-terbit.csv?{PERIOD}")
    rows = list(csv.DictReader(io.StringIO(as_csv.get_data(as_text=True))))
    assert as_csv.mimetype == "text/csv" and sum(int(r["jumlah_izin"]) for r in rows) == counted == 3
    as_json = client.get(f"/data/izin-terbit.json?{PERIOD}").get_json()
    assert sum(r["jumlah_izin"] for r in as_json["records"]) == counted
    assert [f["name"] for f in as_json["fields"]] == list(rows[0].keys()) and as_json["license"] == "CC-BY-4.0"
    times = client.get(f"/data/waktu-layanan.json?{PERIOD}").get_json()["records"]
    assert sum(r["jumlah_selesai"] for r in times) == 3
    person = user("pemohon")
    for body in (
        as_csv.get_data(as_text=True),
        str(as_json),
        str(times),
        client.get(f"/statistik?{PERIOD}").get_data(as_text=True),
    ):
        for secret in (
            person.nik,
            person.name,
            person.email,
            REKLAME["alamat_lokasi"],
            REKLAME["nama_penyelenggara"],
            application.reg_number,
        ):
            assert secret not in body
    dictionary = client.get("/data/kamus.json").get_json()
    assert {d["dataset"] for d in dictionary} == {"izin-terbit", "waktu-layanan", "kepuasan-pengaduan"}
    assert all(d["distributions"][0].endswith(".csv") for d in dictionary)


def test_a_bad_period_or_dataset_is_a_clear_404(client):
    assert client.get("/data/izin-terbit.csv?dari=2026-13").status_code == 404
    assert client.get("/data/rahasia.json").status_code == 404
    assert client.get("/data/izin-terbit.xml").status_code == 404
    page = client.get("/statistik")
    assert page.status_code == 200 and "Data terbuka" in page.get_data(as_text=True)
