"""Periodic reports as PDF: the monthly issuance report to the mayor (R4.3)."""

from __future__ import annotations

from engine.core.localtime import format_month, local

from .pdfs import Letter, latin


def _month_name(month: str) -> str:
    year, number = month.split("-")
    return format_month(int(year), int(number))


def _days(value) -> str:
    return "-" if value is None else f"{value:g}".replace(".", ",")


def monthly_issuance(agency: dict, month: str, permits: list, summary, zone: str = "WIB") -> bytes:
    """``permits``: sla_stats.IssuedPermit rows; ``summary``: sla_stats.Report for the month; dates
    in the agency's ``zone``."""
    title = f"Laporan Penerbitan Izin Bulan {_month_name(month)}"
    pdf = Letter({"agency": agency, "title": title})
    pdf.title_block(title, f"LAP/{month}")
    pdf.paragraph(
        f"Kepada Yth. Wali Kota {agency['city'].replace('Kota ', '')}. Dengan hormat, bersama ini kami "
        f"sampaikan laporan penerbitan izin oleh {agency['name']} selama bulan {_month_name(month)}."
    )
    counts: dict[str, int] = {}
    for permit in permits:
        counts[permit.permit_name] = counts.get(permit.permit_name, 0) + 1
    pdf.paragraph("Rekapitulasi izin terbit:", "B")
    pdf.pairs([(name, f"{n} izin") for name, n in sorted(counts.items())] or [("Tidak ada izin terbit", "-")])
    pdf.pairs([("Jumlah", f"{len(permits)} izin")])
    total = summary.total
    pdf.paragraph("Kinerja waktu layanan:", "B")
    pdf.pairs(
        [
            ("Permohonan selesai", str(total.count)),
            ("Tepat waktu", f"{total.on_time} ({_days(total.on_time_rate)}%)" if total.count else "-"),
            ("Median waktu layanan", f"{_days(total.median)} hari kerja"),
            ("Persentil 90", f"{_days(total.p90)} hari kerja"),
        ]
    )
    if permits:
        pdf.paragraph("Daftar izin terbit:", "B")
        pdf.set_font("Helvetica", "B", 9)
        widths = (52, 48, 40, 30)
        for width, head in zip(widths, ("Nomor izin", "Jenis izin", "Pemegang", "Tanggal"), strict=True):
            pdf.cell(width, 6, head, border=1)
        pdf.ln()
        pdf.set_font("Helvetica", "", 8.5)
        for permit in permits:
            cells = (
                permit.number,
                permit.permit_name,
                permit.holder,
                local(permit.issued_at, zone).strftime("%d-%m-%Y"),
            )
            for width, text in zip(widths, cells, strict=True):
                pdf.cell(width, 6, latin(text)[:40], border=1)
            pdf.ln()
    return bytes(pdf.output())
