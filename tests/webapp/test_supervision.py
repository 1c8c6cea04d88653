"""The supervisor's dashboard: figures, exports that spreadsheet readers open, the monthly PDF."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from tests.timeline import at, submit


def test_dashboard_shows_on_time_rate_and_percentiles(finished_two, app, login):
    page = login("pengawas", app.test_client()).get("/pengawasan/?dari=2026-11&sampai=2026-11")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    # Ended with the permit: 1.5 working days for one, 6 for the late one (tests/engine/test_sla.py).
    assert "50%" in text and "1,5 hari kerja" in text and "6 hari kerja" in text
    assert "Surat Izin Praktik Tenaga Kesehatan" in text and "Verifikasi Berkas" in text


def test_exports_open_in_a_spreadsheet_reader(finished_two, app, login):
    client = login("pengawas", app.test_client())
    xlsx = client.get("/pengawasan/ekspor.xlsx?dari=2026-11&sampai=2026-11")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Dimensi", "Nama", "Jumlah selesai")
    assert ("Total", "Semua jenis izin", 2, 1, 50, 1.5, 6) == tuple(rows[1])
    csv_text = client.get("/pengawasan/ekspor.csv?dari=2026-11&sampai=2026-11").get_data(as_text=True)
    assert csv_text.lstrip("\ufeff").startswith("Dimensi,Nama,Jumlah selesai")
    assert client.get("/pengawasan/ekspor.doc").status_code == 404


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by .ci/run")
def test_monthly_issuance_report_is_a_readable_pdf(finished_two, app, login, tmp_path, session):
    from sqlalchemy import select

    from engine.documents.models import Document

    response = login("kadis", app.test_client()).get("/pengawasan/laporan-bulanan?bulan=2026-11")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    path = tmp_path / "laporan.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "LAPORAN PENERBITAN IZIN BULAN NOVEMBER 2026" in text
    numbers = [d.number for d in session.scalars(select(Document).where(Document.kind == "izin"))]
    assert numbers and all(number in text for number in numbers)
    assert "2 izin" in text and "Tepat waktu" in text


def test_dashboard_lists_missed_stages_with_what_followed(app, login, session, services, user, deadline_policy):
    from engine.casework import deadlines

    escalated = submit(session, services, user, "surat-izin-praktik", at(2, 8))
    deemed = submit(session, services, user, "izin-reklame", at(2, 8))
    deadline_policy(deemed.permit_type.code, "fiktif_positif")
    assert deadlines.sweep_stages(session, services, at(3, 9)) == deadlines.StageSweep([escalated.id], [deemed.id])
    session.commit()
    text = login("pengawas", app.test_client()).get("/pengawasan/?dari=2026-11&sampai=2026-11").get_data(as_text=True)
    assert "<strong>1</strong> dieskalasikan" in text and "<strong>1</strong> dianggap disetujui" in text
    assert escalated.reg_number in text and deemed.reg_number in text
    assert "tidak diputus dalam 1 hari kerja; dianggap disetujui (fiktif positif, PP 28/2025)" in text
    later = login("pengawas", app.test_client()).get("/pengawasan/?dari=2026-12&sampai=2026-12").get_data(as_text=True)
    assert "<strong>0</strong> dieskalasikan" in later
