"""Official letters from document templates: kop surat, title and number, body blocks, place and
date, signature block, and the UU ITE footer. Pure Python (fpdf2).

A template is data (JSON in the process bundle, editable by admins): a title, a list of blocks
and the kind of signature; where the agency wants an English copy, ``en`` holds its title and
blocks, printed after the Indonesian letter under the same number and signature. Text may name facts as ``{name}``; only plain names are replaced, so
a template cannot reach into objects. fpdf2's core fonts are latin-1: enough for Indonesian, but
typographic dashes and the like are folded to ASCII first.
"""

from __future__ import annotations

import re

import qrcode
from fpdf import FPDF

from .pades import with_signature_field

_FOLD = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
# The signature block's top edge (mm from the page top); pades.STAMP_BOX falls inside it.
SIGNATURE_TOP = 188
ESIGN_FOOTER = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik, sehingga sah "
    "sebagai alat bukti hukum sesuai Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi "
    "Elektronik Pasal 5 ayat (1) beserta perubahannya. Keaslian dokumen dapat diverifikasi di {url} atau "
    "dengan memindai kode QR. Cetakan dokumen ini adalah salinan dari dokumen elektronik yang asli."
)
PAPER_FOOTER = (
    "Keaslian dokumen ini dapat diverifikasi di {url} atau dengan memindai kode QR; arsip "
    "pindaian dokumen asli bertanda tangan basah tersimpan pada sistem."
)
DRAFT_FOOTER = (
    "DRAF untuk dibaca penanda tangan: belum bernomor, belum ditandatangani, bukan dokumen resmi dan "
    "tidak dapat diverifikasi."
)
# The fixed words of a letter, in Indonesian and in the English copy.
WORDS = {
    "id": {
        "number": "Nomor: {number}",
        "issued": "Ditetapkan di {city}\npada tanggal {date}\n{position}",
        "scan": "Pindai untuk verifikasi\nKode: {code}",
        "esign": ESIGN_FOOTER,
        "paper": PAPER_FOOTER,
        "draft": DRAFT_FOOTER,
    },
    "en": {
        "number": "Number: {number}",
        "issued": "Issued in {city}\non {date}\n{position}",
        "scan": "Scan to verify\nCode: {code}",
        "signed_above": "(signed on the Indonesian original above)",
        "esign": (
            "This document has been signed electronically with an electronic certificate and is therefore valid "
            "legal evidence under Law Number 11 of 2008 on Electronic Information and Transactions, Article 5(1), "
            "as amended. Its authenticity can be verified at {url} or by scanning the QR code. A printout of "
            "this document is a copy of the original electronic document."
        ),
        "paper": (
            "The authenticity of this document can be verified at {url} or by scanning the QR code; a scan of "
            "the original bearing the handwritten signature is kept in the system."
        ),
        "draft": (
            "DRAFT for the signer to read: not yet numbered, not yet signed, not an official document and "
            "cannot be verified."
        ),
        "heading": "ENGLISH TRANSLATION",
        "note": (
            "This translation is provided for information. The Indonesian text above is the authentic "
            "version and prevails in case of any difference."
        ),
    },
}


def latin(text) -> str:
    return str(text if text is not None else "").translate(_FOLD).encode("latin-1", "replace").decode("latin-1")


def fill(text: str, values: dict) -> str:
    """Replace ``{name}`` with ``values[name]`` (``-`` when missing). Nothing else is interpreted."""
    return _PLACEHOLDER.sub(
        lambda m: str(values.get(m.group(1), "-") if values.get(m.group(1)) not in (None, "") else "-"), text
    )


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


class Letter(FPDF):
    def __init__(self, facts: dict):
        super().__init__(format="A4", unit="mm")
        self.facts = facts
        self.set_auto_page_break(True, margin=30)
        self.set_margins(20, 15, 20)
        self.set_title(latin(facts.get("title", "")))
        self.set_author(latin(facts["agency"]["name"]))
        self.set_creator("PTSP-el")
        self.words = WORDS["id"]
        self.signature_page = None  # 1-based, where the signature block stands
        self.add_page()

    def header(self):
        if self.facts.get("draft"):
            self.watermark()
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

    def watermark(self):
        """DRAF across the page, drawn first so the text lies over it."""
        self.set_font("Helvetica", "B", 96)
        self.set_text_color(225, 225, 225)
        with self.rotation(45, x=105, y=160):
            self.text(42, 190, "DRAF")
        self.set_text_color(0, 0, 0)

    def footer(self):
        if self.facts.get("draft"):
            self.set_y(-24)
            self.set_font("Helvetica", "B", 8)
            self.multi_cell(0, 4, latin(self.words["draft"]), align="C")
            return
        url = self.facts.get("verify_url")
        if not url:
            return
        self.set_y(-24)
        self.set_font("Helvetica", "I", 7.5)
        text = self.words["paper"] if self.facts.get("paper") else self.words["esign"]
        self.multi_cell(0, 3.6, latin(text.format(url=url)), align="J")

    def translation(self, facts: dict):
        """A new page in English: what the copy is, then the letter again in the copy's words."""
        self.add_page()  # closes the last Indonesian page, whose footer stays Indonesian
        self.words = WORDS["en"]
        self.facts = {**self.facts, **facts}
        self.set_font("Helvetica", "B", 10.5)
        self.cell(0, 6, self.words["heading"], align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "I", 9)
        self.multi_cell(0, 4.5, latin(self.words["note"]), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def title_block(self, title: str, number: str):
        self.set_font("Helvetica", "B", 13)
        self.multi_cell(0, 7, latin(title.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10.5)
        self.cell(0, 6, latin(self.words["number"].format(number=number)), align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def paragraph(self, text: str, style: str = ""):
        self.set_font("Helvetica", style, 10.5)
        self.multi_cell(0, 5.5, latin(text), align="J", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def pairs(self, rows, label_w: float = 62):
        for label, value in rows:
            self.set_font("Helvetica", "", 10)
            x, y = self.get_x(), self.get_y()
            self.multi_cell(label_w - 2, 5.5, latin(label), align="L", new_x="LMARGIN", new_y="NEXT")
            label_bottom = self.get_y()
            self.set_xy(x + label_w, y)
            self.cell(4, 5.5, ":")
            self.multi_cell(0, 5.5, latin(value), align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_y(max(self.get_y(), label_bottom, y + 5.5))
        self.ln(2)

    def signature_block(self, *, copy: bool = False):
        """Place, date and signer, with the gap the stamp (or the wet signature) fills; on a copy the
        gap says the signature is on the original."""
        f = self.facts
        signer = f["signer"]
        if self.get_y() > SIGNATURE_TOP - 3:
            self.add_page()
        if not copy:
            self.signature_page = self.page_no()
        self.set_y(SIGNATURE_TOP)
        self.set_x(115)
        self.set_font("Helvetica", "", 10.5)
        self.multi_cell(
            75,
            5.5,
            latin(self.words["issued"].format(city=f["agency"]["city"], date=f["date"], position=signer["position"])),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if copy:
            self.set_xy(115, SIGNATURE_TOP + 25)
            self.set_font("Helvetica", "I", 9)
            self.multi_cell(75, 4.5, latin(self.words["signed_above"]), new_x="LMARGIN", new_y="NEXT")
        # The electronic stamp (or the wet signature on paper) goes in the gap; the name follows.
        self.set_y(SIGNATURE_TOP + 55)
        self.set_x(115)
        self.set_font("Helvetica", "BU", 10.5)
        self.cell(75, 5.5, latin(signer["name"]), new_x="LMARGIN", new_y="NEXT")
        for line in (signer.get("rank"), f"NIP. {signer['nip']}" if signer.get("nip") else None):
            if line:
                self.set_x(115)
                self.set_font("Helvetica", "", 10)
                self.cell(75, 5, latin(line), new_x="LMARGIN", new_y="NEXT")
        if f.get("paper") and f.get("verify_url") and not copy:
            # Hand-signed documents carry the QR code printed on the page (no electronic stamp).
            image = qrcode.make(f["verify_url"], box_size=8, border=2).get_image()
            self.image(image, x=20, y=SIGNATURE_TOP + 8, w=38, h=38)
            self.set_xy(20, SIGNATURE_TOP + 47)
            self.set_font("Helvetica", "", 7)
            self.multi_cell(60, 3.5, latin(self.words["scan"].format(code=f["verify_code"])))


def _body(pdf: Letter, template: dict, values: dict, tables: dict) -> None:
    for block in template.get("blocks", []):
        if block.get("when") and not values.get(block["when"]):
            continue
        if "text" in block:
            pdf.paragraph(fill(block["text"], values), block.get("style", ""))
        elif "facts" in block:
            pdf.pairs([(fill(label, values), fill(value, values)) for label, value in block["facts"]])
        elif "table" in block:
            rows = tables.get(block["table"]) or []
            if rows:
                pdf.pairs(rows)


def render(facts: dict) -> bytes:
    """``facts``: template, values (for placeholders), tables (named lists of label/value pairs),
    agency, signer, number, date, verify_url, verify_code, paper (hand-signed layout), draft (marked
    DRAF, for the signer to read), and english (the copy's template ``en``, values, signer and date)
    when the agency wants an English copy."""
    template = facts["template"]
    values = facts["values"]
    title = fill(template["title"], values)
    pdf = Letter({**facts, "title": f"{title} {facts['number']}"})
    pdf.title_block(title, facts["number"])
    _body(pdf, template, values, facts.get("tables", {}))
    if template.get("signature"):
        pdf.signature_block()
    english = facts.get("english")
    if english:
        pdf.translation({"signer": english["signer"], "date": english["date"]})
        pdf.title_block(fill(english["template"]["title"], english["values"]), facts["number"])
        _body(pdf, english["template"], english["values"], facts.get("tables", {}))
        if template.get("signature"):
            pdf.signature_block(copy=True)
    content = bytes(pdf.output())
    if pdf.signature_page and not facts.get("paper") and not facts.get("draft"):
        content = with_signature_field(content, pdf.signature_page - 1)
    return content
