"""The survey's report as a PDF in the layout of PermenPANRB 14/2017: the period and unit, the number
of respondents, each element's NRR and weighted NRR, the index, its conversion and the quality grade."""

from __future__ import annotations

from fpdf import FPDF, XPos, YPos

from engine.core.localtime import format_month
from engine.feedback.ikm import GRADES, UNSUR
from engine.feedback.survey import Report


def _month(text: str) -> str:
    year, month = (int(part) for part in text.split("-"))
    return format_month(year, month)


def render(report: Report, agency: str, unit: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, agency, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    period = _month(report.start) if report.start == report.end else f"{_month(report.start)} s.d. {_month(report.end)}"
    index = report.index
    for label, value in (
        ("Unit layanan", unit),
        ("Periode", period),
        ("Jumlah responden", str(index.respondents if index else 0)),
        ("Dasar", "Peraturan Menteri PANRB Nomor 14 Tahun 2017"),
    ):
        pdf.cell(45, 6, label)
        pdf.multi_cell(0, 6, f": {value}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if index is None:
        pdf.multi_cell(0, 6, "Belum ada jawaban survei pada periode ini.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(pdf.output())
    pdf.set_font("Helvetica", "B", 10)
    widths = (12, 100, 30, 38)
    for width, title in zip(widths, ("No", "Unsur pelayanan", "NRR", "NRR tertimbang"), strict=True):
        pdf.cell(width, 8, title, border=1, align="C")
    pdf.ln()
    pdf.set_font("Helvetica", "", 10)
    for number, ((title, _), nrr, weighted) in enumerate(
        zip(UNSUR, index.nrr_shown(), index.weighted_shown(), strict=True), 1
    ):
        pdf.cell(widths[0], 7, f"U{number}", border=1, align="C")
        pdf.cell(widths[1], 7, title, border=1)
        pdf.cell(widths[2], 7, f"{nrr}".replace(".", ","), border=1, align="C")
        pdf.cell(widths[3], 7, f"{weighted}".replace(".", ","), border=1, align="C")
        pdf.ln()
    ikm = index.ikm.numerator / index.ikm.denominator
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(widths[0] + widths[1], 8, "Indeks Kepuasan Masyarakat (jumlah NRR tertimbang)", border=1)
    pdf.cell(widths[2] + widths[3], 8, f"{ikm:.3f}".replace(".", ","), border=1, align="C")
    pdf.ln()
    pdf.cell(widths[0] + widths[1], 8, "Nilai IKM unit layanan (IKM x 25)", border=1)
    pdf.cell(widths[2] + widths[3], 8, f"{index.converted}".replace(".", ","), border=1, align="C")
    pdf.ln()
    pdf.cell(widths[0] + widths[1], 8, "Mutu pelayanan", border=1)
    pdf.cell(widths[2] + widths[3], 8, f"{index.grade} ({index.quality})", border=1, align="C")
    pdf.ln(12)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        "Bobot setiap unsur 1/9. Nilai interval konversi: "
        + "; ".join(f"{grade} ({quality}) mulai {floor}".replace(".", ",") for floor, grade, quality in GRADES)
        + ".",
    )
    if report.comments:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 10)
        pdf.multi_cell(0, 6, "Saran dan masukan responden", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 9)
        for comment in report.comments[:30]:
            pdf.multi_cell(
                0, 5, "- " + comment.encode("latin-1", "replace").decode("latin-1"), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
    return bytes(pdf.output())
