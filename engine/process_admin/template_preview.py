"""Document templates as a process admin edits them: which placeholders a template may use, which
of its placeholders nothing in the draft fills, and a sample letter to look at before publishing.

The sample is rendered by the same letter maker as real documents, unsigned, with "PRATINJAU" as
its number, so it can never be taken for an issued document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from engine.core.localtime import N_, format_date
from engine.core.services import Services
from engine.documents.letters import signer_position
from engine.workflow.diagram_terms import KIND_TITLES
from engine.workflow.file_lint import TEMPLATE_TABLES
from engine.workflow.forms import load_form

# What issue_document always provides, with what an admin sees in the list.
STANDARD_PLACEHOLDERS = {
    "reg_number": N_("nomor registrasi permohonan"),
    "permit_name": N_("nama jenis izin"),
    "applicant_name": N_("nama Pemohon"),
    "applicant_nik": N_("NIK Pemohon"),
    "agency_name": N_("nama dinas"),
    "agency_short": N_("singkatan dinas"),
    "agency_city": N_("kota/kabupaten"),
    "number": N_("nomor dokumen"),
    "date": N_("tanggal dokumen"),
    "berlaku_sampai": N_("masa berlaku izin (bila jenis izin punya masa berlaku)"),
    "retribusi_rupiah": N_("retribusi dalam rupiah (bila ada)"),
    "fiktif_positif": N_("keterangan bila izin terbit karena batas waktu layanan terlampaui"),
    # Filled by the head's decisions (teguran, pembatalan penerbitan, pencabutan, pembatalan).
    "alasan": N_("alasan keputusan atau teguran"),
    "dasar_hukum": N_("dasar hukum keputusan"),
    "kewajiban": N_("yang wajib dilakukan Pemohon (teguran)"),
    "izin_nomor": N_("nomor izin yang diputuskan"),
    "izin_tanggal": N_("tanggal izin yang diputuskan"),
    "izin_keterangan": N_("nomor izin yang telah diterbitkan, bila ada (teguran)"),
    "subjek": N_("pemohon atau pemegang izin (teguran)"),
    "permohonan_tanggal": N_("tanggal permohonan diajukan"),
}
TABLES = dict(
    zip(
        TEMPLATE_TABLES,
        (
            N_("isian formulir permohonan"),
            N_("daftar berkas unggahan"),
            N_("isian formulir tugas yang menerbitkan dokumen"),
        ),
        strict=True,
    )
)
# The letter maker replaces exactly this shape of {name}; nothing else in a template is interpreted.
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
PREVIEW_NUMBER = "PRATINJAU - bukan dokumen resmi"
_SAMPLES = {
    "reg_number": "IZN/2026/000123",
    "applicant_name": "Siti Rahmawati",
    "applicant_nik": "3171234567890001",
    "retribusi_rupiah": "Rp1.250.000",
    "berlaku_sampai": "31 Desember 2027",
}


@dataclass(frozen=True)
class TemplateInfo:
    name: str  # file name in the bundle, templates/<kind>.json
    kind: str
    title: str  # what the agency calls the document


def templates_of(files: dict[str, str]) -> list[TemplateInfo]:
    found = []
    for name in sorted(n for n in files if n.startswith("templates/") and n.endswith(".json")):
        kind = name[len("templates/") : -len(".json")]
        found.append(TemplateInfo(name, kind, KIND_TITLES.get(kind, kind.replace("_", " ").title())))
    return found


def form_fields(files: dict[str, str]) -> dict[str, str]:
    """Every field of the draft's forms (name -> title): their values can be placed in a letter.
    Uploads are left out: they print as the "lampiran" table."""
    fields = {}
    for name in sorted(n for n in files if n.endswith(".schema.json")):
        try:
            form = load_form(files, name[len("forms/") :], None)
        except (ValueError, AttributeError, TypeError):  # a form that does not load offers no fields
            continue
        for field in form.fields:
            try:
                if not field.is_file:
                    fields.setdefault(field.name, field.title)
            except AttributeError:  # a field whose schema is not an object (e.g. ``true``)
                continue
    return fields


def unknown_placeholders(files: dict[str, str], text: str) -> list[str]:
    """Placeholders neither standard nor a form field: scripts and fee tables may still set them,
    else they print as "-"."""
    known = set(STANDARD_PLACEHOLDERS) | set(form_fields(files))
    return sorted(set(PLACEHOLDER.findall(text)) - known)


def preview_pdf(services: Services, permit_name: str, template: dict, now: datetime) -> bytes:
    """An unsigned sample of the letter, with sample facts and each other placeholder shown by name."""
    agency = services.agency
    english = template.get("en") if isinstance(template.get("en"), dict) else {}
    blocks = template.get("blocks", []) + english.get("blocks", [])
    texts = [template.get("title", ""), english.get("title", "")] + [
        json.dumps(block, ensure_ascii=False) for block in blocks
    ]
    values = {name: f"<{name}>" for text in texts for name in PLACEHOLDER.findall(text)}
    values.update(
        _SAMPLES,
        agency_name=agency.name,
        agency_short=agency.short_name,
        agency_city=agency.city,
        permit_name=permit_name,
        number=PREVIEW_NUMBER,
        date=format_date(now, services.calendar.zone),
    )
    for block in blocks:
        if block.get("when"):
            values.setdefault(block["when"], f"<{block['when']}>")
    mode = template.get("signature") or "segel"

    def signer(locale: str) -> dict:
        position = signer_position(mode, agency.short_name, None, locale)
        if mode == "segel":
            return {"position": position, "name": agency.seal_name}
        return {
            "position": position,
            "name": "Nama Penanda Tangan",
            "rank": "Pangkat/Golongan",
            "nip": "198001012005011001",
        }

    tables = {key: [(label, f"<{label}>")] for key, label in TABLES.items()}
    facts = {
        "template": template,
        "values": values,
        "tables": tables,
        "agency": vars(agency),
        "signer": signer("id"),
        "number": PREVIEW_NUMBER,
        "date": values["date"],
        "verify_url": services.verify_url("PRATINJAU"),
        "verify_code": "PRATINJAU",
        "paper": False,
    }
    if isinstance(template.get("en"), dict):
        english = {**values, "date": format_date(now, services.calendar.zone, "en")}
        facts["english"] = {
            "template": template["en"],
            "values": english,
            "date": english["date"],
            "signer": signer("en"),
        }
    return services.documents.render(facts)
