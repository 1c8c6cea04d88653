"""The starting bundle of a new permit type: the agencies' usual service flow, ready to edit.

Front office verification (with return to the applicant and rejection), the technical team's
Berita Acara, retribution from a fee table when the type has one, the Kepala Dinas's signature
and handover. The diagram is drawn by ``starter_diagram``.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from engine.process_admin.starter_diagram import SHARED_FORMS, slug, starter_bpmn


def starter_tariff(code: str, name: str) -> str:
    """A fee table by category; the admin replaces the rows with the regional regulation's tariffs."""
    did = f"tarif_{slug(code)}"
    rules = [("kecil", 50000), ("sedang", 100000), ("besar", 200000)]
    rows = "".join(
        f'<rule id="Rule_{key}"><inputEntry id="In_{key}"><text>"{key}"</text></inputEntry>'
        f'<outputEntry id="Out_{key}"><text>{amount}</text></outputEntry></rule>\n      '
        for key, amount in rules
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" '
        f'id="Definitions_{did}" name={quoteattr("Tarif " + name)} namespace="http://ptsp-el/dmn">\n'
        f'  <decision id="{did}" name={quoteattr("Tarif Retribusi " + name)}>\n'
        f'    <decisionTable id="DecisionTable_{did}" hitPolicy="UNIQUE">\n'
        '      <input id="Input_kategori" label="Kategori">'
        '<inputExpression id="InputExpression_kategori" typeRef="string"><text>kategori</text></inputExpression>'
        "</input>\n"
        '      <output id="Output_tarif" label="Tarif per unit (Rp)" name="tarif" typeRef="number" />\n'
        f"      {rows}</decisionTable>\n  </decision>\n</definitions>\n"
    )


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def starter_forms(code: str, name: str, requirements: list[str], has_retribution: bool) -> dict[str, str]:
    """The application form (details, category and one upload per requirement document)."""
    uploads = {f"berkas_{i}": req for i, req in enumerate(requirements or ["Kartu Tanda Penduduk (KTP)"], start=1)}
    properties = {
        "nama_usaha": {"type": "string", "title": "Nama usaha / kegiatan", "minLength": 3, "maxLength": 200},
        "alamat_lokasi": {"type": "string", "title": "Alamat lokasi", "minLength": 5, "maxLength": 300},
    }
    order = ["nama_usaha", "alamat_lokasi"]
    if has_retribution:
        properties["kategori"] = {
            "type": "string",
            "title": "Kategori",
            "oneOf": [
                {"const": "kecil", "title": "Kecil"},
                {"const": "sedang", "title": "Sedang"},
                {"const": "besar", "title": "Besar"},
            ],
        }
        properties["jumlah_unit"] = {"type": "integer", "title": "Jumlah unit", "minimum": 1, "maximum": 1000}
        order += ["kategori", "jumlah_unit"]
    for key, title in uploads.items():
        properties[key] = {"type": "string", "format": "file", "title": title}
    order += list(uploads)
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Permohonan {name}",
        "type": "object",
        "required": order,
        "properties": properties,
    }
    ui = {"ui:order": order, "ui:summary": ["nama_usaha", "alamat_lokasi"], "alamat_lokasi": {"ui:widget": "textarea"}}
    if has_retribution:
        ui["kategori"] = {"ui:widget": "select"}
    files = {f"forms/{code}/permohonan.schema.json": _dump(schema), f"forms/{code}/permohonan.uischema.json": _dump(ui)}
    if has_retribution:
        files[f"forms/{code}/penetapan-retribusi.schema.json"] = _dump(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "Penetapan Retribusi (SKRD)",
                "type": "object",
                "required": ["penetapan_sesuai", "jatuh_tempo"],
                "properties": {
                    "tarif": {"type": "integer", "title": "Tarif per unit (Rp)"},
                    "retribusi": {"type": "integer", "title": "Jumlah retribusi terhitung (Rp)"},
                    "penetapan_sesuai": {
                        "type": "boolean",
                        "title": "Perhitungan telah diperiksa dan sesuai tabel tarif",
                        "const": True,
                    },
                    "jatuh_tempo": {"type": "string", "format": "date", "title": "Tanggal jatuh tempo pembayaran"},
                },
            }
        )
        files[f"forms/{code}/penetapan-retribusi.uischema.json"] = _dump(
            {
                "ui:order": ["tarif", "retribusi", "penetapan_sesuai", "jatuh_tempo"],
                "tarif": {"ui:readonly": True, "ui:options": {"format": "rupiah"}},
                "retribusi": {"ui:readonly": True, "ui:options": {"format": "rupiah"}},
            }
        )
    return files


SKRD_TEMPLATE = {
    "title": "Surat Ketetapan Retribusi Daerah (SKRD)",
    "signature": "segel",
    "blocks": [
        {
            "text": "Atas permohonan {permit_name} nomor registrasi {reg_number}, ditetapkan retribusi daerah sebagai "
            "berikut:"
        },
        {
            "facts": [
                ["Nama wajib retribusi", "{applicant_name}"],
                ["NIK", "{applicant_nik}"],
                ["Objek retribusi", "{nama_usaha}, {alamat_lokasi}"],
                ["Kategori", "{kategori}"],
                ["Jumlah unit", "{jumlah_unit}"],
            ]
        },
        {"facts": [["Jumlah retribusi terutang", "{retribusi_rupiah}"], ["Jatuh tempo pembayaran", "{jatuh_tempo}"]]},
        {
            "text": "Pembayaran dilakukan melalui bank persepsi atau kanal pembayaran elektronik yang ditunjuk dengan "
            "mencantumkan nomor registrasi {reg_number}."
        },
    ],
}


def starter_bundle(
    code: str, name: str, requirements: list[str], has_retribution: bool, forms_dir: Path, templates_dir: Path
) -> dict[str, str]:
    """Every file of a new permit type's first draft: diagram, forms, fee table and document templates."""
    files = {"proses.bpmn": starter_bpmn(code, name, has_retribution)}
    files.update(starter_forms(code, name, requirements, has_retribution))
    for form in (f for f in SHARED_FORMS if f"umum/{f}." in files["proses.bpmn"]):
        for part in ("schema", "uischema"):
            files[f"forms/umum/{form}.{part}.json"] = (forms_dir / "umum" / f"{form}.{part}.json").read_text("utf-8")
    for path in sorted(templates_dir.glob("*.json")):
        files[f"templates/{path.name}"] = path.read_text(encoding="utf-8")
    if has_retribution:
        files["tarif.dmn"] = starter_tariff(code, name)
        files["templates/skrd.json"] = _dump(SKRD_TEMPLATE)
    return files
