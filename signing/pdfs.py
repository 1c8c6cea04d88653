"""Official-letter PDFs (kop surat, number, body, signature block, QR) with fpdf2.

fpdf2's core fonts are latin-1: enough for Indonesian, but typographic dashes and the like are
folded to ASCII first.
"""
from __future__ import annotations

import qrcode
from fpdf import FPDF

_FOLD = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def latin(text) -> str:
    return str(text if text is not None else "").translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


class _Letter(FPDF):
    def __init__(self, facts: dict):
        super().__init__(format="A4", unit="mm")
        self.facts = facts
        self.set_auto_page_break(True, margin=30)
        self.set_margins(20, 15, 20)
        self.set_title(latin(facts.get("title", "")))
        self.set_author(latin(facts["agency"]["name"]))
        self.set_creator("PTSP-el")
        self.add_page()

    def header(self):
        agency = self.facts["agency"]
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 6, latin(agency["government"].upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "B", 13)
        self.multi_cell(0, 6, latin(agency["name"].upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)
        self.cell(0, 5, latin(agency["address"]), align="C", new_x="LMARGIN", new_y="NEXT")
        y = self.get_y() + 1
        self.set_line_width(0.8)
        self.line(20, y, 190, y)
        self.set_line_width(0.2)
        self.line(20, y + 1.2, 190, y + 1.2)
        self.set_y(y + 5)

    def footer(self):
        url = self.facts.get("verify_url")
        if not url:
            return
        self.set_y(-24)
        self.set_font("Helvetica", "I", 7.5)
        self.multi_cell(0, 3.6, latin(
            "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik, sehingga "
            "sah sebagai alat bukti hukum sesuai Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan "
            "Transaksi Elektronik Pasal 5 ayat (1) beserta perubahannya. Keaslian dokumen dapat diverifikasi "
            f"di {url} atau dengan memindai kode QR. Cetakan dokumen ini adalah salinan dari dokumen "
            "elektronik yang asli."), align="J")

    def title_block(self, title: str, number: str):
        self.set_font("Helvetica", "B", 13)
        self.multi_cell(0, 7, latin(title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10.5)
        self.cell(0, 6, latin(f"Nomor: {number}"), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def paragraph(self, text: str, style: str = ""):
        self.set_font("Helvetica", style, 10.5)
        self.multi_cell(0, 5.5, latin(text), align="J", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def pairs(self, rows, label_w: float = 62):
        for label, value in rows:
            self.set_font("Helvetica", "", 10)
            x, y = self.get_x(), self.get_y()
            self.multi_cell(label_w, 5.5, latin(label), new_x="RIGHT", new_y="TOP")
            self.set_xy(x + label_w, y)
            self.cell(4, 5.5, ":")
            self.multi_cell(0, 5.5, latin(value), new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), y + 5.5))
        self.ln(2)

    def signature_block(self, with_qr: bool):
        agency = self.facts["agency"]
        # Fixed position so the signature stamp box (see pades.STAMP_BOX) falls inside it.
        if self.get_y() > 185:
            self.add_page()
        self.set_y(190)
        self.set_x(120)
        self.set_font("Helvetica", "", 10.5)
        self.multi_cell(70, 5.5, latin(f"Ditetapkan di {agency['city']}\npada tanggal {self.facts['date']}\n"
                                       f"KEPALA {agency['short_name']}"), new_x="LMARGIN", new_y="NEXT")
        self.set_y(240)
        self.set_x(120)
        self.set_font("Helvetica", "BU", 10.5)
        self.cell(70, 5.5, latin(agency["head_name"]), new_x="LMARGIN", new_y="NEXT")
        self.set_x(120)
        self.set_font("Helvetica", "", 10)
        self.cell(70, 5, latin(agency["head_rank"]), new_x="LMARGIN", new_y="NEXT")
        self.set_x(120)
        self.cell(70, 5, latin(f"NIP. {agency['head_nip']}"), new_x="LMARGIN", new_y="NEXT")
        if with_qr and self.facts.get("verify_url"):
            image = qrcode.make(self.facts["verify_url"], box_size=8, border=2).get_image()
            self.image(image, x=20, y=200, w=38, h=38)
            self.set_xy(20, 238)
            self.set_font("Helvetica", "", 7)
            self.multi_cell(60, 3.5, latin(f"Pindai untuk verifikasi\nKode: {self.facts['verify_code']}"))


def _permit(pdf: _Letter, f: dict):
    pdf.title_block(f"Keputusan Kepala Dinas tentang Pemberian {f['permit_name']}", f["number"])
    pdf.paragraph(f"Berdasarkan permohonan dengan nomor registrasi {f['reg_number']} dan hasil pemeriksaan "
                  f"Tim Teknis, Kepala {f['agency']['name']} memberikan {f['permit_name']} kepada:")
    pdf.pairs([("Nama pemohon", f["applicant_name"]), ("NIK", f["applicant_nik"])] + f["fields"])
    if f.get("retribution"):
        pdf.pairs([("Retribusi yang telah dibayar", "Rp " + f"{int(f['retribution']):,}".replace(",", "."))])
    pdf.paragraph("Izin ini berlaku sejak tanggal ditetapkan dan wajib dipatuhi sesuai ketentuan peraturan "
                  "perundang-undangan. Apabila di kemudian hari terdapat kekeliruan, keputusan ini akan "
                  "ditinjau kembali sebagaimana mestinya.")
    pdf.signature_block(with_qr=True)


def _receipt(pdf: _Letter, f: dict):
    pdf.title_block("Tanda Terima Berkas Permohonan", f["number"])
    pdf.paragraph(f"Telah diterima dengan lengkap berkas permohonan {f['permit_name']} sebagai berikut:")
    pdf.pairs([("Nomor registrasi", f["reg_number"]), ("Nama pemohon", f["applicant_name"]),
               ("NIK", f["applicant_nik"]), ("Tanggal diterima", f["date"])])
    pdf.paragraph("Berkas persyaratan yang diterima:", "B")
    pdf.pairs([(label, value) for label, value in f["attachments"]])
    pdf.paragraph(f"Status permohonan dapat dilacak setiap saat dengan nomor registrasi {f['reg_number']} "
                  "pada portal layanan. Tanda terima ini diterbitkan secara elektronik dan tidak memerlukan "
                  "tanda tangan basah.")


def _rejection(pdf: _Letter, f: dict):
    pdf.title_block(f"Surat Penolakan Permohonan {f['permit_name']}", f["number"])
    pdf.pairs([("Nomor registrasi", f["reg_number"]), ("Nama pemohon", f["applicant_name"]),
               ("NIK", f["applicant_nik"])])
    pdf.paragraph("Dengan hormat, setelah dilakukan pemeriksaan terhadap permohonan Saudara, dengan ini kami "
                  "sampaikan bahwa permohonan tersebut tidak dapat dikabulkan dengan alasan sebagai berikut:")
    pdf.paragraph(f["reason"] or "-", "I")
    pdf.paragraph("Saudara dapat mengajukan permohonan baru setelah memenuhi ketentuan yang berlaku.")
    pdf.signature_block(with_qr=True)


_LAYOUTS = {"izin": _permit, "tanda_terima": _receipt, "penolakan": _rejection}


def render(kind: str, facts: dict) -> bytes:
    pdf = _Letter({**facts, "title": f"{kind} {facts['number']}"})
    _LAYOUTS[kind](pdf, facts)
    return bytes(pdf.output())
