"""The IKM report is a readable PDF in the regulation's layout."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from engine.feedback import ikm, report_pdf
from engine.feedback.survey import Report
from tests.engine.feedback.test_ikm import ANSWERS


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is installed by .ci/run")
def test_the_report_reads_as_the_regulation_lays_it_out(tmp_path):
    pdf = report_pdf.render(
        Report("2026-07", "2026-12", ikm.index(ANSWERS), ["Loket ramah dan cepat."]),
        "DPMPTSP Kota Contoh",
        "Izin Reklame",
    )
    path = tmp_path / "ikm.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in text and "Izin Reklame" in text
    assert "Juli 2026 s.d. Desember 2026" in text and "Jumlah responden" in text
    assert "U4" in text and "Biaya/tarif" in text and "2,75" in text  # the cost element's NRR
    assert "3,361" in text and "84,03" in text and "B (Baik)" in text
    assert "Loket ramah dan cepat." in text


def test_a_period_without_answers_says_so():
    assert report_pdf.render(Report("2026-01", "2026-01", None, []), "DPMPTSP", "Semua").startswith(b"%PDF")
