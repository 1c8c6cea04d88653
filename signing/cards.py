"""The permit card (kartu izin): a card-sized PDF, front and back, with the permit's key facts and the
QR code of its verification page. It is a convenience copy; the signed permit is the legal document."""

from __future__ import annotations

import qrcode
from fpdf import FPDF, XPos, YPos

from signing.pdfs import latin

WIDTH, HEIGHT = 85.6, 54.0  # ISO/IEC 7810 ID-1, in millimetres


def render(facts: dict) -> bytes:
    """``facts``: agency, government, title, number, holder, valid_until, facts (label → value),
    verify_url, verify_code."""
    pdf = FPDF(unit="mm", format=(WIDTH, HEIGHT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(4, 4, 4)

    pdf.add_page()  # front
    pdf.set_fill_color(11, 94, 138)
    pdf.rect(0, 0, WIDTH, 11, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(4, 2)
    pdf.set_font("Helvetica", "B", 6.5)
    pdf.cell(WIDTH - 8, 3.4, latin(facts["government"].upper()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 5.5)
    pdf.multi_cell(WIDTH - 8, 2.6, latin(facts["agency"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(20, 20, 20)
    pdf.set_xy(4, 13)
    pdf.set_font("Helvetica", "B", 9)
    pdf.multi_cell(WIDTH - 8, 4.2, latin(facts["title"].upper()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 6.5)
    pdf.cell(WIDTH - 8, 3.6, latin(f"Nomor: {facts['number']}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1.5)
    rows = [
        ("Pemegang", facts["holder"]),
        *list(facts.get("facts", {}).items())[:3],
        ("Berlaku sampai", facts.get("valid_until") or "-"),
    ]
    for label, value in rows:
        pdf.set_font("Helvetica", "", 6)
        pdf.cell(22, 3.3, latin(label))
        pdf.set_font("Helvetica", "B", 6)
        pdf.multi_cell(WIDTH - 30, 3.3, latin(f": {value}")[:90], new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.add_page()  # back
    image = qrcode.make(facts["verify_url"], box_size=8, border=1).get_image()
    pdf.image(image, x=4, y=6, w=30, h=30)
    pdf.set_xy(37, 7)
    pdf.set_font("Helvetica", "B", 7)
    pdf.multi_cell(WIDTH - 41, 3.4, "Periksa keaslian izin ini", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(37)
    pdf.set_font("Helvetica", "", 6)
    pdf.multi_cell(
        WIDTH - 41,
        3,
        latin(
            "Pindai kode QR atau buka alamat di bawah. Kartu ini salinan ringkas; "
            "dokumen izin yang ditandatangani elektronik adalah yang sah."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(37)
    pdf.set_font("Helvetica", "B", 6.5)
    pdf.cell(WIDTH - 41, 4, latin(f"Kode: {facts['verify_code']}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_xy(4, 40)
    pdf.set_font("Helvetica", "", 5.2)
    pdf.multi_cell(WIDTH - 8, 2.6, latin(facts["verify_url"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
